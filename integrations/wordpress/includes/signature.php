<?php
/**
 * Standard Webhooks verification (https://www.standardwebhooks.com): the signature is
 * base64(HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>")), the key being the base64
 * part of the secret after "whsec_". Pure functions, so they can be checked without WordPress.
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** How far a delivery's timestamp may be from our clock, either way (the specification's 5 minutes). */
const DECORUM_WEBHOOK_TOLERANCE_S = 300;

/** The HMAC key of a whsec_ secret, or false when the secret is not one. */
function decorum_secret_key( $secret ) {
	$encoded = 0 === strpos( $secret, 'whsec_' ) ? substr( $secret, 6 ) : $secret;
	$key     = base64_decode( $encoded, true );
	return ( false === $key || '' === $key ) ? false : $key;
}

/**
 * True when one of the signatures in the header (space-separated "v1,<base64>", one per secret
 * during a rotation) is the body's, and the timestamp is within the tolerance; otherwise the
 * reason, as a string.
 */
function decorum_verify_webhook( $secret, $msg_id, $timestamp, $signature_header, $body, $now ) {
	$key = decorum_secret_key( (string) $secret );
	if ( false === $key ) {
		return 'no webhook signing secret is configured';
	}
	if ( '' === $msg_id || '' === $timestamp || '' === $signature_header ) {
		return 'missing webhook-id, webhook-timestamp or webhook-signature';
	}
	if ( ! ctype_digit( $timestamp ) ) {
		return 'webhook-timestamp is not a Unix time';
	}
	if ( abs( $now - (int) $timestamp ) > DECORUM_WEBHOOK_TOLERANCE_S ) {
		return 'webhook-timestamp is too far from now';
	}
	$expected = base64_encode( hash_hmac( 'sha256', $msg_id . '.' . $timestamp . '.' . $body, $key, true ) );
	foreach ( preg_split( '/\s+/', trim( $signature_header ) ) as $versioned ) {
		$parts = explode( ',', $versioned, 2 );
		if ( 2 === count( $parts ) && 'v1' === $parts[0] && hash_equals( $expected, $parts[1] ) ) {
			return true;
		}
	}
	return 'no signature matches';
}
