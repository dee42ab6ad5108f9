import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { type Role, type Running, start } from '../../src/main';
import { CommentStore } from '../../src/store/comments';
import { keys } from '../../src/store/keys';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ADMIN_KEY = 'test-admin-key-0123456789';

/** A key prefix no other test run shares, so suites can run in parallel on one Redis. */
export function uniquePrefix(label: string): string {
  return `decorum-test:${label}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** Deletes everything a test run created under its prefix. */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (found.length) await redis.unlink(...found);
  } while (cursor !== '0');
}

/** Ids of every comment stored under the prefix, read the way re-moderation reads them. */
export async function storedCommentIds(redis: Redis, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of new CommentStore(redis, keys(prefix)).allIds()) ids.push(...page);
  return ids;
}

/**
 * Submission limits off: suites post many comments by one author from one address. The limits'
 * own suite (tests/integration/limits.test.ts) turns them on with small values.
 */
export const NO_LIMITS = { RATE_LIMIT_KEY_PER_MIN: '0', RATE_LIMIT_AUTHOR_PER_MIN: '0', RATE_LIMIT_IP_PER_MIN: '0', QUEUE_MAX_WAITING: '0', QUEUE_MAX_WAIT_MS: '0' };

/**
 * scrypt at its lowest accepted cost (2^14, 16 MB) rather than the default 2^17 (128 MB, near a
 * second on a busy machine): suites create and sign in dozens of accounts. The suite that checks
 * the default cost and the rehash at sign-in passes the default back in.
 */
export const FAST_PASSWORD_HASHES = { PASSWORD_SCRYPT_N: '16384' };

export interface TestService {
  url: string;
  prefix: string;
  /** A connection of the test's own, to look at what the service stored. */
  redis: Redis;
  running: Running;
  stop(): Promise<void>;
}

/** Starts the real service (API and/or worker) in this process, on a free port, against real Redis. */
export async function startService(label: string, role: Role = 'all', env: Record<string, string> = {}): Promise<TestService> {
  // A prefix of its own, unless the test restarts a service on the data it left (REDIS_PREFIX in env).
  const prefix = env.REDIS_PREFIX ?? uniquePrefix(label);
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    ADMIN_API_KEY: ADMIN_KEY,
    LOG_LEVEL: 'silent',
    WORKER_CONCURRENCY: '4',
    ...NO_LIMITS,
    ...FAST_PASSWORD_HASHES,
    ...env,
  });
  const running = await start(role, config, createLogger('silent'));
  const redis = new Redis(TEST_REDIS_URL);
  return {
    url: `http://127.0.0.1:${running.port ?? 0}`,
    prefix,
    redis,
    running,
    async stop() {
      await running.stop();
      await deletePrefix(redis, prefix);
      await redis.quit();
    },
  };
}

/** fetch with the admin key and JSON body, returning status, headers and parsed body. */
export async function call(
  url: string,
  path: string,
  init: { method?: string; body?: unknown; rawBody?: string; headers?: Record<string, string>; key?: string | null } = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key !== null) headers.authorization = `Bearer ${init.key ?? ADMIN_KEY}`;
  let body: string | undefined = init.rawBody;
  if (init.body !== undefined) body = JSON.stringify(init.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await fetch(url + path, { method: init.method ?? (body !== undefined ? 'POST' : 'GET'), headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // leave as text: a test about a non-JSON answer will say so
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** Polls until `check` returns a value (not a sleep standing in for a wait: it stops as soon as it can). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
