<?php
/**
 * Every new comment goes to Decorum and stays pending until a decision arrives: in the
 * submission's answer (mode "wait"), or later by webhook. If Decorum can't be reached the comment
 * stays pending (never lost, never approved), an admin notice says so, and WP-Cron sends it again.
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

const DECORUM_RESEND_HOOK   = 'decorum_resend';
const DECORUM_OUTAGE_OPTION = 'decorum_outage';
/** Comments one resend run sends at most; the next run, soon after, takes the rest. */
const DECORUM_RESEND_BATCH = 50;

/**
 * A new comment is pending until Decorum decides, whatever WordPress's own rules would have
 * said; spam and trash (another plugin's verdict) stay as they are.
 */
function decorum_hold_new_comment( $approved, $commentdata ) {
	if ( ! decorum_configured() || is_wp_error( $approved ) || 'spam' === $approved || 'trash' === $approved ) {
		return $approved;
	}
	return 0;
}

function decorum_on_comment_post( $comment_id, $approved ) {
	if ( ! decorum_configured() || 'spam' === $approved || 'trash' === $approved ) {
		return;
	}
	$s = decorum_settings();
	decorum_send( (int) $comment_id, 'wait' === $s['mode'] ? (int) $s['wait_ms'] : 0 );
}

/**
 * Sends one comment and records what came of it. Returns the outcome (see decorum_submit).
 */
function decorum_send( $comment_id, $wait_ms ) {
	$comment = get_comment( $comment_id );
	if ( ! $comment ) {
		return 'gone';
	}
	$result = decorum_submit( $comment, $wait_ms );
	switch ( $result['outcome'] ) {
		case 'decided':
			// A webhook may have brought this decision (or a later one) already: applying is idempotent.
			if ( ! decorum_apply_decision( $comment_id, $result['status'], $result['verdict'] ) ) {
				update_comment_meta( $comment_id, DECORUM_META_STATE, 'decided' );
			}
			break;
		case 'queued':
			if ( 'decided' !== get_comment_meta( $comment_id, DECORUM_META_STATE, true ) ) {
				update_comment_meta( $comment_id, DECORUM_META_STATE, 'sent' );
			}
			delete_comment_meta( $comment_id, DECORUM_META_ERROR );
			break;
		case 'unreachable':
			update_comment_meta( $comment_id, DECORUM_META_STATE, 'unsent' );
			update_comment_meta( $comment_id, DECORUM_META_ERROR, $result['error'] );
			decorum_outage_started( $result['error'] );
			decorum_schedule_resend();
			break;
		default:
			update_comment_meta( $comment_id, DECORUM_META_STATE, 'refused' );
			update_comment_meta( $comment_id, DECORUM_META_ERROR, $result['error'] );
	}
	if ( 'decided' === $result['outcome'] || 'queued' === $result['outcome'] ) {
		decorum_outage_over();
	}
	return $result['outcome'];
}

/** Seconds between resends while Decorum is unreachable. */
function decorum_resend_delay() {
	return max( 1, (int) apply_filters( 'decorum_resend_delay', 60 ) );
}

function decorum_schedule_resend() {
	if ( ! wp_next_scheduled( DECORUM_RESEND_HOOK ) ) {
		wp_schedule_single_event( time() + decorum_resend_delay(), DECORUM_RESEND_HOOK );
	}
}

/** The comments Decorum has not received yet, oldest first. */
function decorum_unsent_comment_ids( $limit ) {
	return get_comments(
		array(
			'fields'     => 'ids',
			'status'     => 'any',
			'meta_key'   => DECORUM_META_STATE, // phpcs:ignore WordPress.DB.SlowDBQuery -- the only index WordPress gives comment meta.
			'meta_value' => 'unsent', // phpcs:ignore WordPress.DB.SlowDBQuery
			'orderby'    => 'comment_ID',
			'order'      => 'ASC',
			'number'     => $limit,
		)
	);
}

function decorum_count_unsent() {
	return (int) get_comments(
		array(
			'count'      => true,
			'status'     => 'any',
			'meta_key'   => DECORUM_META_STATE, // phpcs:ignore WordPress.DB.SlowDBQuery
			'meta_value' => 'unsent', // phpcs:ignore WordPress.DB.SlowDBQuery
		)
	);
}

/**
 * The WP-Cron job: sends what could not be sent, without waiting for verdicts (webhooks bring
 * them). Stops at the first failure: Decorum is still away, and the next run comes soon.
 */
function decorum_resend_unsent() {
	if ( ! decorum_configured() ) {
		return;
	}
	foreach ( decorum_unsent_comment_ids( DECORUM_RESEND_BATCH ) as $id ) {
		if ( 'unreachable' === decorum_send( (int) $id, 0 ) ) {
			break;
		}
	}
	if ( decorum_count_unsent() > 0 ) {
		decorum_schedule_resend();
	}
}

function decorum_outage_started( $error ) {
	$outage = get_option( DECORUM_OUTAGE_OPTION );
	update_option(
		DECORUM_OUTAGE_OPTION,
		array(
			'since' => is_array( $outage ) ? $outage['since'] : time(),
			'error' => (string) $error,
		),
		false
	);
}

function decorum_outage_over() {
	if ( false !== get_option( DECORUM_OUTAGE_OPTION ) && 0 === decorum_count_unsent() ) {
		delete_option( DECORUM_OUTAGE_OPTION );
	}
}
