import { createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): HMAC-SHA256 over
 * "<webhook-id>.<webhook-timestamp>.<body>" keyed with the secret's bytes (base64 after
 * "whsec_"), sent as "v1,<base64>". Several signatures are space-separated: during a secret
 * rotation we sign with both secrets, so receivers holding either one accept the delivery.
 */
export const SECRET_PREFIX = 'whsec_';

/** 32 random bytes: the spec asks for between 24 and 64. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

function secretBytes(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('a webhook secret starts with whsec_');
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
}

export function sign(secret: string, msgId: string, timestampS: number, body: string): string {
  const mac = createHmac('sha256', secretBytes(secret)).update(`${msgId}.${timestampS}.${body}`).digest('base64');
  return `v1,${mac}`;
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The three headers for one attempt. The timestamp is the attempt's own: receivers reject stale ones. */
export function signedHeaders(secrets: readonly string[], msgId: string, body: string, now: number): SignedHeaders {
  const ts = Math.floor(now / 1000);
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(ts),
    'webhook-signature': secrets.map((s) => sign(s, msgId, ts, body)).join(' '),
  };
}
