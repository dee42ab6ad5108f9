<?php
/**
 * The one call the plugin makes to Decorum: POST /v1/comments, through the WordPress HTTP API.
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** Decorum refuses these in a comment's text and in an author's name; they carry nothing a reader sees. */
const DECORUM_TEXT_FORBIDDEN = '/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/';
const DECORUM_NAME_FORBIDDEN = '/[\x00-\x1F\x7F\x{80}-\x{9F}\x{61C}\x{200E}\x{200F}\x{202A}-\x{202E}\x{2066}-\x{2069}]/u';

/** The body of POST /v1/comments for a WordPress comment. */
function decorum_comment_payload( WP_Comment $comment ) {
	$s = decorum_settings();
	// A signed-in reader is their user id; anyone else is known by a digest of the e-mail they
	// typed, so one person's comments group together without Decorum storing the address.
	$author_id = $comment->user_id
		? 'user-' . (int) $comment->user_id
		: 'guest-' . substr( hash( 'sha256', strtolower( trim( $comment->comment_author_email ) ) . '|' . $comment->comment_author ), 0, 20 );
	$payload = array(
		'id'        => decorum_remote_id( $comment->comment_ID ),
		'articleId' => 'post-' . (int) $comment->comment_post_ID,
		'author'    => array( 'id' => $author_id ),
		'text'      => preg_replace( DECORUM_TEXT_FORBIDDEN, ' ', $comment->comment_content ),
		'metadata'  => array(
			'wordpressCommentId' => (int) $comment->comment_ID,
			'postUrl'            => (string) get_permalink( $comment->comment_post_ID ),
		),
	);
	$name = trim( (string) preg_replace( DECORUM_NAME_FORBIDDEN, '', $comment->comment_author ) );
	if ( '' !== $name ) {
		$payload['author']['name'] = mb_substr( $name, 0, 200 );
	}
	if ( $comment->comment_parent ) {
		$payload['parentId'] = decorum_remote_id( $comment->comment_parent );
	}
	if ( '' !== $s['site_id'] ) {
		$payload['site'] = $s['site_id'];
	}
	return $payload;
}

/**
 * Submits a comment. Decorum's id is derived from the WordPress id, so sending the same comment
 * again (a retried hook, a resend after an outage) finds the same record and never makes a second.
 *
 * @return array{outcome: string, status?: string, verdict?: array, error?: string}
 *   outcome: decided (status and verdict), queued, unreachable (worth trying again), refused (not).
 */
function decorum_submit( WP_Comment $comment, $wait_ms ) {
	$s   = decorum_settings();
	$url = $s['service_url'] . '/v1/comments' . ( $wait_ms > 0 ? '?wait=' . (int) $wait_ms : '' );
	$headers = array(
		'Authorization' => 'Bearer ' . $s['api_key'],
		'Content-Type'  => 'application/json',
	);
	// Decorum limits submissions per reader's address; a CMS posting from its own server must say
	// whose address it is (Decorum believes it only from proxies it trusts: TRUST_PROXY).
	if ( '' !== $comment->comment_author_IP ) {
		$headers['X-Forwarded-For'] = $comment->comment_author_IP;
	}
	$response = wp_remote_post(
		$url,
		array(
			'timeout'     => 5 + $wait_ms / 1000,
			'redirection' => 0,
			'headers'     => $headers,
			'body'        => wp_json_encode( decorum_comment_payload( $comment ) ),
			'data_format' => 'body',
		)
	);
	if ( is_wp_error( $response ) ) {
		return array( 'outcome' => 'unreachable', 'error' => $response->get_error_message() );
	}
	$code = (int) wp_remote_retrieve_response_code( $response );
	$body = json_decode( wp_remote_retrieve_body( $response ), true );
	if ( 200 === $code && is_array( $body ) && isset( $body['status'], $body['verdict'] ) && is_array( $body['verdict'] ) ) {
		return array( 'outcome' => 'decided', 'status' => (string) $body['status'], 'verdict' => $body['verdict'] );
	}
	if ( $code >= 200 && $code < 300 ) {
		return array( 'outcome' => 'queued' );
	}
	$detail = is_array( $body ) && isset( $body['detail'] ) ? (string) $body['detail'] : wp_remote_retrieve_response_message( $response );
	$error  = sprintf( 'HTTP %d: %s', $code, $detail );
	// Overload, limits and server errors pass; any other 4xx (a bad key, a refused text) will not.
	if ( 408 === $code || 429 === $code || $code >= 500 || $code < 200 ) {
		return array( 'outcome' => 'unreachable', 'error' => $error );
	}
	return array( 'outcome' => 'refused', 'error' => $error );
}
