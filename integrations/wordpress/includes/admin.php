<?php
/**
 * What moderators see in wp-admin: a Decorum column in the comment list (the decision, the
 * flagged categories and their evidence, a link to the dashboard) and a notice while Decorum
 * can't be reached.
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

function decorum_add_comment_column( $columns ) {
	$columns['decorum'] = __( 'Decorum', 'decorum' );
	return $columns;
}

function decorum_render_comment_column( $column, $comment_id ) {
	if ( 'decorum' !== $column ) {
		return;
	}
	$state = get_comment_meta( $comment_id, DECORUM_META_STATE, true );
	$error = (string) get_comment_meta( $comment_id, DECORUM_META_ERROR, true );
	echo '<div class="decorum-verdict" data-state="' . esc_attr( $state ) . '">';
	switch ( $state ) {
		case 'unsent':
			echo '<p>' . esc_html__( 'Not sent yet: Decorum could not be reached. Held until it decides.', 'decorum' ) . '</p>';
			break;
		case 'refused':
			/* translators: %s: Decorum's answer */
			echo '<p>' . esc_html( sprintf( __( 'Decorum refused it (%s). Held for you to decide.', 'decorum' ), $error ) ) . '</p>';
			break;
		case 'sent':
			echo '<p>' . esc_html__( 'Waiting for Decorum\'s decision.', 'decorum' ) . '</p>';
			break;
		case 'decided':
			decorum_render_verdict( $comment_id );
			break;
		default:
			echo '<p>' . esc_html__( 'Not moderated by Decorum.', 'decorum' ) . '</p>';
	}
	echo '</div>';
}

function decorum_render_verdict( $comment_id ) {
	$status  = (string) get_comment_meta( $comment_id, DECORUM_META_STATUS, true );
	$summary = json_decode( (string) get_comment_meta( $comment_id, DECORUM_META_VERDICT, true ), true );
	if ( ! is_array( $summary ) ) {
		$summary = array();
	}
	$by = 'auto' === ( $summary['decidedBy'] ?? '' ) ? __( 'automatically', 'decorum' ) : __( 'by a moderator', 'decorum' );
	echo '<p><strong class="decorum-decision">' . esc_html( $status ) . '</strong> ' . esc_html( $by ) . '</p>';
	if ( ! empty( $summary['reason'] ) ) {
		echo '<p class="decorum-reason">' . esc_html( $summary['reason'] ) . '</p>';
	}
	if ( ! empty( $summary['flagged'] ) ) {
		echo '<ul class="decorum-flags">';
		foreach ( $summary['flagged'] as $category => $flag ) {
			echo '<li><span class="decorum-category">' . esc_html( $category ) . '</span>';
			if ( '' !== ( $flag['severity'] ?? '' ) ) {
				echo ' (' . esc_html( $flag['severity'] ) . ')';
			}
			foreach ( (array) ( $flag['evidence'] ?? array() ) as $e ) {
				echo '<br>“<span class="decorum-evidence">' . esc_html( $e['text'] ?? '' ) . '</span>” <code>' . esc_html( $e['rule'] ?? '' ) . '</code>';
			}
			echo '</li>';
		}
		echo '</ul>';
	}
	$url = decorum_dashboard_url( $comment_id, $status );
	if ( $url ) {
		echo '<p><a class="decorum-link" href="' . esc_url( $url ) . '" target="_blank" rel="noopener noreferrer">' . esc_html__( 'Open in Decorum', 'decorum' ) . '</a></p>';
	}
}

/** The dashboard's list that holds the comment, opened on it. */
function decorum_dashboard_url( $comment_id, $status ) {
	$base = decorum_settings()['service_url'];
	if ( '' === $base || ! in_array( $status, array( 'held', 'approved', 'rejected' ), true ) ) {
		return '';
	}
	return $base . '/dashboard#' . $status . '/' . rawurlencode( decorum_remote_id( $comment_id ) );
}

function decorum_outage_notice() {
	$outage = get_option( DECORUM_OUTAGE_OPTION );
	if ( ! is_array( $outage ) || ! current_user_can( 'moderate_comments' ) ) {
		return;
	}
	$count = decorum_count_unsent();
	if ( 0 === $count ) {
		// The comments that waited were deleted meanwhile: nothing is held back any more.
		delete_option( DECORUM_OUTAGE_OPTION );
		return;
	}
	echo '<div class="notice notice-error decorum-outage"><p>';
	echo esc_html(
		sprintf(
			/* translators: 1: how long ago, 2: the error, 3: number of comments */
			_n(
				'Decorum could not be reached for %1$s (%2$s). %3$d new comment is held as pending and will be sent when it answers.',
				'Decorum could not be reached for %1$s (%2$s). %3$d new comments are held as pending and will be sent when it answers.',
				$count,
				'decorum'
			),
			human_time_diff( (int) $outage['since'] ),
			$outage['error'],
			$count
		)
	);
	echo '</p><form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '">';
	echo '<input type="hidden" name="action" value="decorum_resend">';
	wp_nonce_field( 'decorum_resend' );
	submit_button( __( 'Send them now', 'decorum' ), 'secondary', 'submit', false );
	echo '</form></div>';
}

function decorum_handle_resend_now() {
	if ( ! current_user_can( 'moderate_comments' ) ) {
		wp_die( esc_html__( 'You are not allowed to moderate comments.', 'decorum' ), 403 );
	}
	check_admin_referer( 'decorum_resend' );
	decorum_resend_unsent();
	wp_safe_redirect( wp_get_referer() ? wp_get_referer() : admin_url( 'edit-comments.php' ) );
	exit;
}
