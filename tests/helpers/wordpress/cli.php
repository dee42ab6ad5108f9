<?php
/**
 * The test's hands inside WordPress, run with php-cli: `php cli.php <command> <wordpress dir> [json]`.
 *   createdb / dropdb   the test's own database (DB_* constants read from the copy's wp-config-db.php)
 *   install             wp_install() and the plugin activated, as a site owner would do it
 *   comments            every comment with its status and the plugin's meta, as JSON
 *   set-status          {"id", "status"}: what a WordPress moderator's click does
 *   repeat-hook         {"id"}: fires comment_post again for a comment, as a retried hook would
 *   uninstall           deactivates and deletes the plugin as the Plugins screen does; what it left
 * Answers one line of JSON on stdout.
 */

$command = $argv[1] ?? '';
$wp_dir  = rtrim( $argv[2] ?? '', '/' );
$args    = json_decode( $argv[3] ?? '{}', true );
require $wp_dir . '/wp-config-db.php';

if ( 'createdb' === $command || 'dropdb' === $command ) {
	mysqli_report( MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT );
	[ $host, $port ] = array_pad( explode( ':', DB_HOST, 2 ), 2, '3306' );
	$db   = new mysqli( $host, DB_USER, DB_PASSWORD, '', (int) $port );
	$name = $db->real_escape_string( DB_NAME );
	$db->query( 'createdb' === $command ? "CREATE DATABASE `$name` CHARACTER SET utf8mb4" : "DROP DATABASE IF EXISTS `$name`" );
	echo json_encode( array( 'ok' => true ) ), "\n";
	exit( 0 );
}

// wp-load.php under php-cli: WordPress reads the request's host and path in places.
$home                   = parse_url( WP_HOME );
$_SERVER['HTTP_HOST']   = $home['host'] . ':' . $home['port'];
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_NAME'] = $home['host'];
if ( 'install' === $command ) {
	define( 'WP_INSTALLING', true );
}
require $wp_dir . '/wp-load.php';

switch ( $command ) {
	case 'install':
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		require_once ABSPATH . 'wp-admin/includes/plugin.php';
		$installed = wp_install( 'Decorum test', $args['user'], $args['email'], true, '', $args['password'] );
		$activated = activate_plugin( 'decorum/decorum.php' );
		if ( is_wp_error( $activated ) ) {
			fwrite( STDERR, $activated->get_error_message() . "\n" );
			exit( 1 );
		}
		echo json_encode( array( 'postId' => 1, 'userId' => (int) $installed['user_id'] ) ), "\n";
		break;
	case 'comments':
		$out = array();
		foreach ( get_comments( array( 'status' => 'all', 'type' => 'all', 'orderby' => 'comment_ID', 'order' => 'ASC' ) ) as $c ) {
			$out[] = decorum_test_comment( $c );
		}
		// 'all' is approved and pending only.
		foreach ( array( 'spam', 'trash' ) as $status ) {
			foreach ( get_comments( array( 'status' => $status, 'orderby' => 'comment_ID', 'order' => 'ASC' ) ) as $c ) {
				$out[] = decorum_test_comment( $c );
			}
		}
		echo json_encode( $out ), "\n";
		break;
	case 'set-status':
		echo json_encode( array( 'ok' => wp_set_comment_status( (int) $args['id'], $args['status'] ) ) ), "\n";
		break;
	case 'repeat-hook':
		do_action( 'comment_post', (int) $args['id'], 0, array() );
		echo json_encode( array( 'ok' => true ) ), "\n";
		break;
	case 'uninstall':
		require_once ABSPATH . 'wp-admin/includes/plugin.php';
		deactivate_plugins( 'decorum/decorum.php' );
		uninstall_plugin( 'decorum/decorum.php' );
		global $wpdb;
		echo json_encode(
			array(
				'options' => $wpdb->get_col( "SELECT option_name FROM $wpdb->options WHERE option_name LIKE '%decorum%'" ),
				'meta'    => (int) $wpdb->get_var( "SELECT COUNT(*) FROM $wpdb->commentmeta WHERE meta_key LIKE '\\_decorum%'" ),
				'cron'    => (bool) wp_next_scheduled( 'decorum_resend' ),
			)
		), "\n";
		break;
	default:
		fwrite( STDERR, "unknown command $command\n" );
		exit( 2 );
}

function decorum_test_comment( WP_Comment $c ) {
	return array(
		'id'       => (int) $c->comment_ID,
		'approved' => (string) $c->comment_approved,
		'content'  => $c->comment_content,
		'state'    => get_comment_meta( $c->comment_ID, '_decorum_state', true ),
		'status'   => get_comment_meta( $c->comment_ID, '_decorum_status', true ),
		'verdict'  => json_decode( (string) get_comment_meta( $c->comment_ID, '_decorum_verdict', true ), true ),
		'error'    => get_comment_meta( $c->comment_ID, '_decorum_error', true ),
	);
}
