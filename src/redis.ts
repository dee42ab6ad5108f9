import { Redis, type RedisOptions } from 'ioredis';

export class RedisUnavailableError extends Error {}

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

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return 'the configured REDIS_URL';
  }
}

/** Errors that mean "Redis is not there right now" (as opposed to a bug): answer 503, retry later. */
export function isRedisUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const msg = err.message;
  return (
    err instanceof RedisUnavailableError ||
    /Stream isn't writeable|Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|max retries per request|LOADING|Command timed out|enableOfflineQueue/i.test(msg)
  );
}
