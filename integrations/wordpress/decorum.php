<?php
/**
 * Plugin Name:       Decorum
 * Description:       Sends every new comment to a Decorum moderation service and applies its decisions, automatic or a moderator's, through signed webhooks.
 * Version:           1.0.0
 * Requires at least: 6.0
 * Requires PHP:      7.4
 * License:           MIT
 * Text Domain:       decorum
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

define( 'DECORUM_PLUGIN_FILE', __FILE__ );

require_once __DIR__ . '/includes/settings.php';
require_once __DIR__ . '/includes/decisions.php';
require_once __DIR__ . '/includes/client.php';
require_once __DIR__ . '/includes/submission.php';
require_once __DIR__ . '/includes/signature.php';
require_once __DIR__ . '/includes/webhook.php';
require_once __DIR__ . '/includes/admin.php';

add_action( 'admin_menu', 'decorum_add_settings_page' );
add_action( 'admin_init', 'decorum_register_settings' );

add_filter( 'pre_comment_approved', 'decorum_hold_new_comment', 99, 2 );
// Before WordPress's own comment_post hooks (priority 10): a verdict that arrives in time sets the
// status first, so the "please moderate" e-mail goes out only for comments still pending.
add_action( 'comment_post', 'decorum_on_comment_post', 5, 2 );
add_action( DECORUM_RESEND_HOOK, 'decorum_resend_unsent' );

add_action( 'rest_api_init', 'decorum_register_webhook_route' );

add_filter( 'manage_edit-comments_columns', 'decorum_add_comment_column' );
add_action( 'manage_comments_custom_column', 'decorum_render_comment_column', 10, 2 );
add_action( 'admin_notices', 'decorum_outage_notice' );
add_action( 'admin_post_decorum_resend', 'decorum_handle_resend_now' );

register_deactivation_hook( __FILE__, 'decorum_deactivate' );

/** A scheduled resend would run code that is no longer loaded. */
function decorum_deactivate() {
	wp_clear_scheduled_hook( DECORUM_RESEND_HOOK );
}
