<?php
/**
 * Settings → Decorum: where the service is, the credentials, the mode and what each decision does.
 * One option (decorum_settings) holds it all, written only through options.php (nonce and the
 * manage_options capability checked there) and cleaned by decorum_sanitize_settings.
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

const DECORUM_OPTION = 'decorum_settings';

/** Mode "hold": every new comment waits as pending for the webhook; "wait": wait up to wait_ms for the verdict first. */
function decorum_default_settings() {
	return array(
		'service_url'    => '',
		'api_key'        => '',
		'webhook_secret' => '',
		'site_id'        => '',
		'mode'           => 'wait',
		'wait_ms'        => 2000,
		'on_approved'    => 'approve',
		'on_held'        => 'hold',
		'on_rejected'    => 'spam',
	);
}

/** What each setting that names a WordPress status may be. */
function decorum_status_choices() {
	return array(
		'on_approved' => array( 'approve' => __( 'Approve', 'decorum' ), 'hold' => __( 'Leave pending', 'decorum' ) ),
		'on_held'     => array( 'hold' => __( 'Pending', 'decorum' ), 'spam' => __( 'Spam', 'decorum' ) ),
		'on_rejected' => array( 'spam' => __( 'Spam', 'decorum' ), 'trash' => __( 'Trash', 'decorum' ), 'hold' => __( 'Leave pending', 'decorum' ) ),
	);
}

function decorum_settings() {
	$stored = get_option( DECORUM_OPTION, array() );
	return array_merge( decorum_default_settings(), is_array( $stored ) ? $stored : array() );
}

/** Nothing is sent, and no comment is held by the plugin, until the service and its key are set. */
function decorum_configured() {
	$s = decorum_settings();
	return '' !== $s['service_url'] && '' !== $s['api_key'];
}

/** The longest wait Decorum accepts (POST /v1/comments?wait=). */
const DECORUM_MAX_WAIT_MS = 10000;

function decorum_sanitize_settings( $input ) {
	$current = decorum_settings();
	// options.php unslashes the form before it reaches this callback.
	$input   = is_array( $input ) ? $input : array();
	$out     = $current;

	$url = isset( $input['service_url'] ) ? esc_url_raw( trim( (string) $input['service_url'] ), array( 'http', 'https' ) ) : '';
	$out['service_url'] = untrailingslashit( $url );
	if ( '' === $url && ! empty( $input['service_url'] ) ) {
		add_settings_error( DECORUM_OPTION, 'decorum_url', __( 'The service URL must start with http:// or https://.', 'decorum' ) );
	}

	// Secrets are never sent back to the browser, so an empty field means "keep the stored one".
	foreach ( array( 'api_key', 'webhook_secret' ) as $secret ) {
		$value = isset( $input[ $secret ] ) ? trim( (string) $input[ $secret ] ) : '';
		if ( '' !== $value ) {
			$out[ $secret ] = sanitize_text_field( $value );
		}
	}
	if ( '' !== $out['webhook_secret'] && false === decorum_secret_key( $out['webhook_secret'] ) ) {
		add_settings_error( DECORUM_OPTION, 'decorum_secret', __( 'The webhook signing secret is not a whsec_… secret; webhooks will be refused until it is.', 'decorum' ) );
	}

	$site           = isset( $input['site_id'] ) ? trim( (string) $input['site_id'] ) : '';
	$out['site_id'] = preg_match( '/^[A-Za-z0-9._:@-]{0,64}$/', $site ) ? $site : $current['site_id'];
	if ( $out['site_id'] !== $site ) {
		add_settings_error( DECORUM_OPTION, 'decorum_site', __( 'A site id uses letters, digits and . _ : @ - only.', 'decorum' ) );
	}

	$out['mode']    = ( isset( $input['mode'] ) && 'hold' === $input['mode'] ) ? 'hold' : 'wait';
	$out['wait_ms'] = isset( $input['wait_ms'] ) ? max( 0, min( DECORUM_MAX_WAIT_MS, absint( $input['wait_ms'] ) ) ) : $current['wait_ms'];

	foreach ( decorum_status_choices() as $key => $choices ) {
		if ( isset( $input[ $key ] ) && array_key_exists( $input[ $key ], $choices ) ) {
			$out[ $key ] = $input[ $key ];
		}
	}
	return $out;
}

function decorum_register_settings() {
	register_setting(
		'decorum',
		DECORUM_OPTION,
		array(
			'type'              => 'array',
			'sanitize_callback' => 'decorum_sanitize_settings',
			'default'           => decorum_default_settings(),
		)
	);
}

function decorum_add_settings_page() {
	add_options_page( __( 'Decorum', 'decorum' ), __( 'Decorum', 'decorum' ), 'manage_options', 'decorum', 'decorum_render_settings_page' );
}

/** Enough of a secret to recognise which one is stored, never enough to use it. */
function decorum_mask_secret( $secret ) {
	if ( '' === $secret ) {
		return __( 'not set', 'decorum' );
	}
	$prefix = preg_match( '/^(whsec_|dk_)/', $secret, $m ) ? $m[1] : '';
	return $prefix . '…' . substr( $secret, -4 );
}

function decorum_render_settings_page() {
	if ( ! current_user_can( 'manage_options' ) ) {
		wp_die( esc_html__( 'You are not allowed to manage these settings.', 'decorum' ), 403 );
	}
	$s       = decorum_settings();
	$choices = decorum_status_choices();
	$name    = function ( $key ) {
		return DECORUM_OPTION . '[' . $key . ']';
	};
	?>
	<div class="wrap">
		<h1><?php esc_html_e( 'Decorum', 'decorum' ); ?></h1>
		<p>
			<?php esc_html_e( 'Register this address as a webhook endpoint in Decorum (events comment.approved, comment.held and comment.rejected):', 'decorum' ); ?>
			<code id="decorum-webhook-url"><?php echo esc_html( rest_url( 'decorum/v1/webhooks' ) ); ?></code>
		</p>
		<form method="post" action="<?php echo esc_url( admin_url( 'options.php' ) ); ?>">
			<?php settings_fields( 'decorum' ); ?>
			<table class="form-table" role="presentation">
				<tr>
					<th scope="row"><label for="decorum-service-url"><?php esc_html_e( 'Service URL', 'decorum' ); ?></label></th>
					<td><input type="url" class="regular-text" id="decorum-service-url" name="<?php echo esc_attr( $name( 'service_url' ) ); ?>" value="<?php echo esc_attr( $s['service_url'] ); ?>" placeholder="https://decorum.example.com"></td>
				</tr>
				<tr>
					<th scope="row"><label for="decorum-api-key"><?php esc_html_e( 'API key', 'decorum' ); ?></label></th>
					<td>
						<input type="password" class="regular-text" id="decorum-api-key" name="<?php echo esc_attr( $name( 'api_key' ) ); ?>" value="" autocomplete="off">
						<p class="description"><?php echo esc_html( sprintf( /* translators: %s: the stored key, masked */ __( 'Stored: %s. Leave empty to keep it.', 'decorum' ), decorum_mask_secret( $s['api_key'] ) ) ); ?></p>
					</td>
				</tr>
				<tr>
					<th scope="row"><label for="decorum-webhook-secret"><?php esc_html_e( 'Webhook signing secret', 'decorum' ); ?></label></th>
					<td>
						<input type="password" class="regular-text" id="decorum-webhook-secret" name="<?php echo esc_attr( $name( 'webhook_secret' ) ); ?>" value="" autocomplete="off">
						<p class="description"><?php echo esc_html( sprintf( /* translators: %s: the stored secret, masked */ __( 'Stored: %s. Leave empty to keep it.', 'decorum' ), decorum_mask_secret( $s['webhook_secret'] ) ) ); ?></p>
					</td>
				</tr>
				<tr>
					<th scope="row"><label for="decorum-site-id"><?php esc_html_e( 'Site id', 'decorum' ); ?></label></th>
					<td>
						<input type="text" class="regular-text" id="decorum-site-id" name="<?php echo esc_attr( $name( 'site_id' ) ); ?>" value="<?php echo esc_attr( $s['site_id'] ); ?>">
						<p class="description"><?php esc_html_e( 'The site your key is bound to; it also keeps this blog\'s comment ids apart from other sites\' in Decorum.', 'decorum' ); ?></p>
					</td>
				</tr>
				<tr>
					<th scope="row"><?php esc_html_e( 'New comments', 'decorum' ); ?></th>
					<td>
						<fieldset>
							<label><input type="radio" name="<?php echo esc_attr( $name( 'mode' ) ); ?>" value="wait" <?php checked( $s['mode'], 'wait' ); ?>> <?php esc_html_e( 'Wait for the verdict up to', 'decorum' ); ?></label>
							<input type="number" min="0" max="<?php echo esc_attr( DECORUM_MAX_WAIT_MS ); ?>" step="100" id="decorum-wait-ms" name="<?php echo esc_attr( $name( 'wait_ms' ) ); ?>" value="<?php echo esc_attr( $s['wait_ms'] ); ?>" aria-label="<?php esc_attr_e( 'Milliseconds to wait', 'decorum' ); ?>"> ms<?php esc_html_e( ', then hold it until Decorum decides', 'decorum' ); ?><br>
							<label><input type="radio" name="<?php echo esc_attr( $name( 'mode' ) ); ?>" value="hold" <?php checked( $s['mode'], 'hold' ); ?>> <?php esc_html_e( 'Hold every new comment until Decorum decides', 'decorum' ); ?></label>
						</fieldset>
					</td>
				</tr>
				<?php
				$labels = array(
					'on_approved' => __( 'Approved by Decorum', 'decorum' ),
					'on_held'     => __( 'Held for review', 'decorum' ),
					'on_rejected' => __( 'Rejected by Decorum', 'decorum' ),
				);
				foreach ( $labels as $key => $label ) :
					?>
				<tr>
					<th scope="row"><label for="decorum-<?php echo esc_attr( $key ); ?>"><?php echo esc_html( $label ); ?></label></th>
					<td>
						<select id="decorum-<?php echo esc_attr( $key ); ?>" name="<?php echo esc_attr( $name( $key ) ); ?>">
							<?php foreach ( $choices[ $key ] as $value => $text ) : ?>
								<option value="<?php echo esc_attr( $value ); ?>" <?php selected( $s[ $key ], $value ); ?>><?php echo esc_html( $text ); ?></option>
							<?php endforeach; ?>
						</select>
					</td>
				</tr>
				<?php endforeach; ?>
			</table>
			<?php submit_button(); ?>
		</form>
	</div>
	<?php
}
