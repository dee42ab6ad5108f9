import http from 'node:http';
import https from 'node:https';
import { BlockedAddressError, guardedLookup, isPrivateAddress, literalAddress } from './ssrf';

export const USER_AGENT = 'Decorum-Webhooks/1';

/** How much of a receiver's answer we keep for the delivery log. */
const RESPONSE_SNIPPET_BYTES = 1024;

export type SendResult =
  | { kind: 'response'; status: number; retryAfter?: string; latencyMs: number; body: string }
  | { kind: 'error'; reason: 'timeout' | 'network' | 'blocked' | 'bad-url'; message: string; latencyMs: number };

export interface SendOptions {
  timeoutMs: number;
  allowPrivate: boolean;
}

/**
 * POSTs one delivery. Never follows a redirect (a 3xx comes back as the answer), never reaches a
 * private address unless allowed, and gives up after `timeoutMs` for the whole exchange, the
 * answer's body included. Never throws: every outcome is a value the caller records.
 */
export async function send(target: string, body: string, headers: Record<string, string>, opts: SendOptions): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = new URL(target);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported protocol ${url.protocol}`);
  } catch (err) {
    return { kind: 'error', reason: 'bad-url', message: (err as Error).message, latencyMs: 0 };
  }
  const literal = literalAddress(url.hostname);
  if (!opts.allowPrivate && literal && isPrivateAddress(literal)) {
    // Sockets skip the lookup for an address, so the guard must look at it here.
    return { kind: 'error', reason: 'blocked', message: `${literal} is a loopback, private or link-local address`, latencyMs: 0 };
  }
  const signal = AbortSignal.timeout(opts.timeoutMs);
  const request = url.protocol === 'https:' ? https.request : http.request;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const done = (r: SendResult) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    const fail = (err: Error) => {
      if (signal.aborted) return done({ kind: 'error', reason: 'timeout', message: `no complete answer within ${opts.timeoutMs} ms`, latencyMs: elapsed() });
      if (err instanceof BlockedAddressError) return done({ kind: 'error', reason: 'blocked', message: err.message, latencyMs: elapsed() });
      const code = (err as NodeJS.ErrnoException).code;
      done({ kind: 'error', reason: 'network', message: code ? `${code}: ${err.message}` : err.message, latencyMs: elapsed() });
    };
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': USER_AGENT },
        signal,
        // A fresh connection per delivery: the address guard runs on every connect, and no
        // pooled socket outlives an endpoint's URL change.
        agent: false,
        ...(opts.allowPrivate ? {} : { lookup: guardedLookup as unknown as typeof import('node:dns').lookup }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (chunk: Buffer) => {
          if (kept < RESPONSE_SNIPPET_BYTES) {
            chunks.push(chunk);
            kept += chunk.length;
          }
        });
        res.on('end', () => {
          const retryAfter = res.headers['retry-after'];
          done({
            kind: 'response',
            status: res.statusCode ?? 0,
            ...(typeof retryAfter === 'string' && { retryAfter }),
            latencyMs: elapsed(),
            body: Buffer.concat(chunks).subarray(0, RESPONSE_SNIPPET_BYTES).toString('utf8'),
          });
        });
        res.on('error', fail);
        res.on('aborted', () => fail(new Error('the receiver closed the connection mid-answer')));
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}
