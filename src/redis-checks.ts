import { ReplyError } from 'ioredis';
import { masters, type RedisClient } from './redis';
import type { Logger } from './logger';

/**
 * The Redis answers, but is set up so that it would lose accepted comments or their jobs. Thrown
 * at start: refusing to run is cheaper than finding out after an eviction.
 */
export class RedisMisconfiguredError extends Error {}

export interface RedisSettings {
  /** `maxmemory-policy`, or null when neither CONFIG nor INFO would tell. */
  evictionPolicy: string | null;
  /** Whether the AOF is on, or null when unknown. */
  appendonly: boolean | null;
  /** RDB save points (`save`), '' for none, or null when unknown. */
  save: string | null;
  /** Why CONFIG GET could not be used (managed Redis often disables or renames it), if it could not. */
  configUnavailable?: string;
}

/** An error reply from Redis, as opposed to a connection failure (ioredis types ReplyError as any). */
function isReplyError(err: unknown): err is Error {
  return err instanceof Error && err instanceof ReplyError;
}

/** CONFIG GET one parameter; null if Redis knows no such parameter. */
async function configGet(redis: RedisClient, name: string): Promise<string | null> {
  const reply = (await redis.call('CONFIG', 'GET', name)) as string[];
  return reply.length >= 2 ? reply[1] : null;
}

/** `field:value` lines of an INFO section. */
async function infoSection(redis: RedisClient, section: string): Promise<Map<string, string>> {
  const text = await redis.info(section);
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}

/**
 * Reads what durability depends on. A command Redis refuses (an error reply: unknown or renamed
 * command, no ACL permission) means "can't tell"; a connection error is not caught, since start
 * must fail on it like on any other unreachable Redis.
 */
export async function readRedisSettings(redis: RedisClient): Promise<RedisSettings> {
  try {
    const [evictionPolicy, appendonly, save] = await Promise.all([
      configGet(redis, 'maxmemory-policy'),
      configGet(redis, 'appendonly'),
      configGet(redis, 'save'),
    ]);
    return { evictionPolicy, appendonly: appendonly === null ? null : appendonly === 'yes', save };
  } catch (err) {
    if (!isReplyError(err)) throw err;
    // INFO is usually still allowed where CONFIG is not, and it does report the eviction policy
    // and whether the AOF is on (though not the RDB save points).
    const settings: RedisSettings = { evictionPolicy: null, appendonly: null, save: null, configUnavailable: err.message };
    try {
      const memory = await infoSection(redis, 'memory');
      const persistence = await infoSection(redis, 'persistence');
      settings.evictionPolicy = memory.get('maxmemory_policy') ?? null;
      const aof = persistence.get('aof_enabled');
      settings.appendonly = aof === undefined ? null : aof === '1';
    } catch (infoErr) {
      if (!isReplyError(infoErr)) throw infoErr;
    }
    return settings;
  }
}

/**
 * Refuses a Redis that may evict keys (BullMQ's jobs and our comments have no copy elsewhere) and
 * warns about one that persists nothing (a restart would lose everything accepted so far).
 * `where` names the Redis in messages, without its password.
 */
export async function checkRedis(conn: RedisClient, log: Logger, where: string): Promise<RedisSettings[]> {
  // Every master of a Cluster holds data (and can evict it), so every master is checked.
  const nodes = masters(conn);
  const out: RedisSettings[] = [];
  for (const node of nodes) {
    out.push(await checkNode(node, log, nodes.length > 1 ? `${node.options.host}:${node.options.port} (${where})` : where));
  }
  return out;
}

async function checkNode(redis: RedisClient, log: Logger, where: string): Promise<RedisSettings> {
  const s = await readRedisSettings(redis);
  if (s.evictionPolicy !== null && s.evictionPolicy !== 'noeviction') {
    throw new RedisMisconfiguredError(
      `Redis at ${where} may evict keys (maxmemory-policy ${s.evictionPolicy}), which silently loses queued comments and jobs; ` +
        'set maxmemory-policy noeviction (redis-server --maxmemory-policy noeviction, or in redis.conf)',
    );
  }
  if (s.configUnavailable !== undefined) {
    log.warn(
      { redis: where, reason: s.configUnavailable, maxmemoryPolicy: s.evictionPolicy, appendonly: s.appendonly },
      s.evictionPolicy === null
        ? 'cannot read the Redis configuration (CONFIG is disabled); make sure maxmemory-policy is noeviction and the AOF is on'
        : 'cannot read the Redis configuration (CONFIG is disabled); checked what INFO shows, make sure the AOF is on',
    );
  }
  if (s.appendonly === false && s.save === '') {
    log.warn(
      { redis: where },
      'Redis persists nothing (appendonly no, no save points): a Redis restart loses every comment and queued job; run it with --appendonly yes --appendfsync everysec',
    );
  } else if (s.appendonly === false && s.save !== null) {
    log.warn(
      { redis: where, save: s.save },
      'Redis persists only RDB snapshots: a Redis crash loses what was accepted since the last one; turn on the AOF (--appendonly yes --appendfsync everysec)',
    );
  }
  return s;
}
