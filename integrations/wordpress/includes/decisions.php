<?php
/**
 * Decorum's side of a WordPress comment: its id there, and applying a decision (from the
 * submission's answer or a webhook) to the comment's status.
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

// Comment meta the plugin keeps. _decorum_state: unsent (Decorum unreachable, to be sent again),
// sent (waiting for the verdict), decided, refused (Decorum answered 4xx: a person must look).
const DECORUM_META_STATE      = '_decorum_state';
const DECORUM_META_ERROR      = '_decorum_error';
const DECORUM_META_STATUS     = '_decorum_status';
const DECORUM_META_VERDICT    = '_decorum_verdict';
const DECORUM_META_DECIDED_AT = '_decorum_decided_at';

/**
 * Decorum's comment ids are global to a deployment that may serve several sites, so a blog's ids
 * carry its site id: "wp-42" for a blog without one, "wp-gazette-42" otherwise.
 */
function decorum_id_prefix() {
	$site = decorum_settings()['site_id'];
	return 'wp-' . ( '' === $site ? '' : $site . '-' );
}

function decorum_remote_id( $comment_id ) {
	return decorum_id_prefix() . (int) $comment_id;
}

/** The WordPress comment a Decorum id names, or 0 when it is not one of this blog's. */
function decorum_local_id( $remote_id ) {
	$prefix = decorum_id_prefix();
	if ( ! is_string( $remote_id ) || 0 !== strpos( $remote_id, $prefix ) ) {
		return 0;
	}
	$rest = substr( $remote_id, strlen( $prefix ) );
	return ctype_digit( $rest ) ? (int) $rest : 0;
}

/** The WordPress status (for wp_set_comment_status) a Decorum status maps to, or null for none yet. */
function decorum_wp_status_for( $decorum_status ) {
	$s = decorum_settings();
	switch ( $decorum_status ) {
		case 'approved':
			return $s['on_approved'];
		case 'held':
			return $s['on_held'];
		case 'rejected':
			return $s['on_rejected'];
		default:
			return null;
	}
}

/** What the comment list shows: the decision, who made it, and each flagged category with its evidence. */
function decorum_verdict_summary( array $verdict ) {
	$flagged = array();
	foreach ( (array) ( $verdict['categories'] ?? array() ) as $category => $result ) {
		if ( empty( $result['flagged'] ) ) {
			continue;
		}
		$evidence = array();
		foreach ( (array) ( $result['evidence'] ?? array() ) as $e ) {
			$evidence[] = array(
				'text' => (string) ( $e['text'] ?? '' ),
				'rule' => (string) ( $e['rule'] ?? '' ),
			);
		}
		$flagged[ (string) $category ] = array(
			'severity' => (string) ( $result['severity'] ?? '' ),
			'evidence' => $evidence,
		);
	}
	return array(
		'decision'  => (string) ( $verdict['decision'] ?? '' ),
		'decidedBy' => (string) ( $verdict['decidedBy'] ?? '' ),
		'decidedAt' => (string) ( $verdict['decidedAt'] ?? '' ),
		'reason'    => (string) ( $verdict['reason'] ?? '' ),
		'flagged'   => $flagged,
	);
}

/**
 * Applies a decision unless a later one was applied already: webhooks are not ordered, so a
 * retried automatic verdict must not undo a moderator's reversal. decidedAt is ISO 8601 in UTC,
 * so comparing the strings compares the times. Returns whether the comment changed.
 */
function decorum_apply_decision( $comment_id, $decorum_status, array $verdict ) {
	$comment = get_comment( $comment_id );
	$wp      = decorum_wp_status_for( $decorum_status );
	if ( ! $comment || null === $wp ) {
		return false;
	}
	$decided_at = (string) ( $verdict['decidedAt'] ?? '' );
	$applied_at = (string) get_comment_meta( $comment_id, DECORUM_META_DECIDED_AT, true );
	if ( '' !== $applied_at && strcmp( $decided_at, $applied_at ) < 0 ) {
		return false;
	}
	update_comment_meta( $comment_id, DECORUM_META_STATUS, $decorum_status );
	// JSON, slashed: comment meta is unslashed on the way in, which would eat the backslashes of escaped quotes.
	update_comment_meta( $comment_id, DECORUM_META_VERDICT, wp_slash( wp_json_encode( decorum_verdict_summary( $verdict ) ) ) );
	update_comment_meta( $comment_id, DECORUM_META_DECIDED_AT, $decided_at );
	update_comment_meta( $comment_id, DECORUM_META_STATE, 'decided' );
	delete_comment_meta( $comment_id, DECORUM_META_ERROR );
	wp_set_comment_status( $comment_id, $wp );
	return true;
}
