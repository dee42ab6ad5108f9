import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Logger } from './logger';

export class RedisUnavailableError extends Error {}

/** A connection to one Redis (possibly found through Sentinel) or to a Redis Cluster. */
export type RedisClient = Redis | Cluster;

/**
 * Where Redis is: one server by URL, a master that Sentinel names, or a Cluster by its seed
 * nodes. In a Cluster every key of one deployment carries the same hash tag (the prefix is
 * `{...}`), so the Lua scripts and BullMQ's multi-key commands stay in one slot.
 */
export type RedisTarget =
  | { mode: 'single'; url: string }
  | { mode: 'sentinel'; sentinels: { host: string; port: number }[]; name: string; username?: string; password?: string; tls: boolean }
  | { mode: 'cluster'; nodes: { host: string; port: number }[]; username?: string; password?: string; tls: boolean };

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
export async function connectRedis(target: RedisTarget | string, options: RedisOptions = {}, timeoutMs = 3000): Promise<RedisClient> {
  const t: RedisTarget = typeof target === 'string' ? { mode: 'single', url: target } : target;
  const redis = open(t, { lazyConnect: true, connectTimeout: timeoutMs, ...options });
  // Without a listener ioredis prints every failed reconnect; callers log what matters.
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (err) {
    redis.disconnect();
    const reason = err instanceof Error ? err.message : String(err);
    throw new RedisUnavailableError(`cannot reach Redis at ${describeTarget(t)} (${reason})`);
  }
}

function open(t: RedisTarget, options: RedisOptions): RedisClient {
  switch (t.mode) {
    case 'single':
      return new Redis(t.url, options);
    case 'sentinel':
      return new Redis({
        ...options,
        sentinels: t.sentinels,
        name: t.name,
        ...(t.username !== undefined && { username: t.username }),
        ...(t.password !== undefined && { password: t.password, sentinelPassword: t.password }),
        ...(t.tls && { tls: {}, enableTLSForSentinelMode: true }),
      });
    case 'cluster': {
      const { lazyConnect, enableOfflineQueue, ...perNode } = options;
      return new Cluster(t.nodes, {
        lazyConnect,
        ...(enableOfflineQueue !== undefined && { enableOfflineQueue }),
        redisOptions: {
          ...perNode,
          ...(t.username !== undefined && { username: t.username }),
          ...(t.password !== undefined && { password: t.password }),
          ...(t.tls && { tls: {} }),
        },
      });
    }
  }
}

/** Where, for messages: never with a password. */
export function describeTarget(t: RedisTarget | string): string {
  if (typeof t === 'string') return redactUrl(t);
  switch (t.mode) {
    case 'single':
      return redactUrl(t.url);
    case 'sentinel':
      return `master "${t.name}" via Sentinel ${t.sentinels.map((n) => `${n.host}:${n.port}`).join(',')}`;
    case 'cluster':
      return `Cluster ${t.nodes.map((n) => `${n.host}:${n.port}`).join(',')}`;
  }
}

/** The masters of a Cluster, or the one server: what startup checks and scans must visit. */
export function masters(conn: RedisClient): Redis[] {
  return conn instanceof Cluster ? conn.nodes('master') : [conn];
}

/**
 * Closes a connection without waiting on a Redis that is not there: QUIT (so Redis sees a clean
 * goodbye) when connected, and drops the socket when not connected or Redis doesn't answer soon.
 */
export async function closeRedis(conn: RedisClient, timeoutMs = 1000): Promise<void> {
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
export function watchConnection(conn: RedisClient, name: string, log: Logger): void {
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

/** A flat [field, value, …] reply as an object: a hash returned by a Lua script, a stream entry's fields. */
export function fieldsOf(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]] = flat[i + 1];
  return out;
}
