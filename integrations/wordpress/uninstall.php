<?php
/**
 * Deleting the plugin removes what it stored: its settings (the key and the secret with them), the
 * outage marker, the scheduled resend, the remembered webhook ids, and the Decorum details kept on
 * each comment. The comments themselves stay.
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
	exit;
}

// Only definitions: the names of what to remove.
require_once __DIR__ . '/includes/settings.php';
require_once __DIR__ . '/includes/decisions.php';
require_once __DIR__ . '/includes/submission.php';

delete_option( DECORUM_OPTION );
delete_option( DECORUM_OUTAGE_OPTION );
wp_clear_scheduled_hook( DECORUM_RESEND_HOOK );
foreach ( array( DECORUM_META_STATE, DECORUM_META_ERROR, DECORUM_META_STATUS, DECORUM_META_VERDICT, DECORUM_META_DECIDED_AT ) as $key ) {
	delete_metadata( 'comment', 0, $key, '', true );
}

// The remembered webhook ids are transients; without an object cache they are rows in options.
global $wpdb;
$wpdb->query( "DELETE FROM $wpdb->options WHERE option_name LIKE '\\_transient\\_decorum\\_wh\\_%' OR option_name LIKE '\\_transient\\_timeout\\_decorum\\_wh\\_%'" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
