<?php
/**
 * Plugin Name: Decorum test setup
 * Description: What only the test changes (a must-use plugin in the test's WordPress copy).
 */

// Every comment in the test comes from 127.0.0.1 within seconds: WordPress would refuse them as a flood.
remove_action( 'check_comment_flood', 'check_comment_flood_db', 10 );
add_filter( 'wp_is_comment_flood', '__return_false', 99 );
// Resend after an outage within a second, not a minute, so the test waits for it.
add_filter(
	'decorum_resend_delay',
	function () {
		return 1;
	}
);
