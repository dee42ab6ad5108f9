import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from './logger';

export class RedisUnavailableError extends Error {}

/**
 * For connections that serve HTTP requests: while Redis is away a command fails at once (and the
 * request gets a 503) instead of waiting in memory for a Redis that may not come back soon; a
 * Redis that stops answering without closing the connection (paused, partitioned) fails a
 * command after `commandTimeout` rather than hanging the request.
 */
export const FAIL_FAST: RedisOptions = { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2000 };

/**
 * Opens a connection and proves it works before the service starts taking traffic, so an
 * unreachable Redis is one clear error at start rather than a stream of retries.
 */
export async function connectRedis(url: string, options: RedisOptions = {}, timeoutMs = 3000): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, ...options });
  // Without a listener ioredis prints every failed reconnect; callers log what matters.
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (err) {
    redis.disconnect();
    const reason = err instanceof Error ? err.message : String(err);
    throw new RedisUnavailableError(`cannot reach Redis at ${redactUrl(url)} (${reason})`);
  }
}

/**
 * Closes a connection without waiting on a Redis that is not there: QUIT (so Redis sees a clean
 * goodbye) when connected, and drops the socket when not connected or Redis doesn't answer soon.
 */
export async function closeRedis(conn: Redis, timeoutMs = 1000): Promise<void> {
  if (conn.status === 'ready') {
    let timer: NodeJS.Timeout | undefined;
    const quit = conn.quit().then(
      () => true,
      () => false,
    );
    const gaveUp = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const clean = await Promise.race([quit, gaveUp]);
    clearTimeout(timer);
    if (clean) return;
  }
  conn.disconnect();
}

/**
 * Logs an outage once when a connection drops and once when it is back, rather than every failed
 * reconnect attempt (ioredis retries every couple of seconds, forever).
 */
export function watchConnection(conn: Redis, name: string, log: Logger): void {
  let lost = false;
  conn.on('reconnecting', () => {
    if (lost) return;
    lost = true;
    log.warn({ connection: name }, 'lost the connection to Redis; reconnecting');
  });
  conn.on('ready', () => {
    if (!lost) return;
    lost = false;
    log.info({ connection: name }, 'reconnected to Redis');
  });
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return 'the configured REDIS_URL';
  }
}

/**
 * Errors that mean "Redis can't take this right now" (as opposed to a bug): answer 503, retry
 * later. That includes a full Redis: with noeviction it refuses writes (OOM) rather than evict.
 */
export function isRedisUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const msg = err.message;
  return (
    err instanceof RedisUnavailableError ||
    /Stream isn't writeable|Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|max retries per request|LOADING|Command timed out|enableOfflineQueue|aborted due to connection close|Ready check failed|OOM command not allowed/i.test(msg)
  );
}
