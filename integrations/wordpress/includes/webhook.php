<?php
/**
 * POST /wp-json/decorum/v1/webhooks: Decorum's decisions, automatic or a moderator's. The
 * permission callback is the signature check, so an unsigned or forged request never reaches
 * the code that changes a comment.
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * How long a delivery's id is remembered: a replay within the timestamp tolerance is dropped by
 * its id, an older one by its timestamp. Decorum's own retries (same id) are dropped for longer
 * than its retry schedule, about a day.
 */
const DECORUM_SEEN_FOR_S = 2 * DAY_IN_SECONDS;

function decorum_register_webhook_route() {
	register_rest_route(
		'decorum/v1',
		'/webhooks',
		array(
			'methods'             => 'POST',
			'callback'            => 'decorum_handle_webhook',
			'permission_callback' => 'decorum_webhook_permission',
		)
	);
}

function decorum_webhook_permission( WP_REST_Request $request ) {
	$verified = decorum_verify_webhook(
		decorum_settings()['webhook_secret'],
		(string) $request->get_header( 'webhook-id' ),
		(string) $request->get_header( 'webhook-timestamp' ),
		(string) $request->get_header( 'webhook-signature' ),
		$request->get_body(),
		time()
	);
	if ( true === $verified ) {
		return true;
	}
	return new WP_Error( 'decorum_bad_signature', 'webhook refused: ' . $verified, array( 'status' => 401 ) );
}

function decorum_seen_key( $msg_id ) {
	return 'decorum_wh_' . md5( $msg_id );
}

function decorum_handle_webhook( WP_REST_Request $request ) {
	$msg_id = (string) $request->get_header( 'webhook-id' );
	if ( false !== get_transient( decorum_seen_key( $msg_id ) ) ) {
		return new WP_REST_Response( array( 'result' => 'duplicate' ), 200 );
	}
	$event = json_decode( $request->get_body(), true );
	if ( ! is_array( $event ) || ! isset( $event['type'] ) ) {
		return new WP_Error( 'decorum_bad_payload', 'the body is not a Decorum event', array( 'status' => 400 ) );
	}
	$result = 'ignored';
	if ( in_array( $event['type'], array( 'comment.approved', 'comment.held', 'comment.rejected' ), true ) ) {
		$data       = is_array( $event['data'] ?? null ) ? $event['data'] : array();
		$comment_id = decorum_local_id( $data['commentId'] ?? null );
		// Another site's comment, or one deleted here since: nothing to do, and nothing to retry.
		if ( $comment_id && get_comment( $comment_id ) && is_array( $data['verdict'] ?? null ) ) {
			$result = decorum_apply_decision( $comment_id, (string) ( $data['status'] ?? '' ), $data['verdict'] ) ? 'applied' : 'superseded';
		}
	}
	// Remembered only once handled: a delivery that failed half way is retried by Decorum and must run again.
	set_transient( decorum_seen_key( $msg_id ), time(), DECORUM_SEEN_FOR_S );
	return new WP_REST_Response( array( 'result' => $result ), 200 );
}
