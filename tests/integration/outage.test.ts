import { Redis } from 'ioredis';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { type Running, start } from '../../src/main';
import { FAIL_FAST } from '../../src/redis';
import { RedisServer, until } from '../faults/harness';
import { ADMIN_KEY, NO_LIMITS } from '../helpers/service';

/**
 * The service against a Redis of the test's own that goes away and comes back (stopped, then
 * paused): requests must get a quick 503 with Retry-After, never a 500 or a hang, and everything
 * must work again without a restart once Redis is back.
 */

/**
 * No request may take longer than this, outage or not: two command timeouts (FAIL_FAST) and a
 * second. Under load a submission's command was seen sent only when another command on the
 * shared connection had timed out, so a hung Redis can cost a request two timeouts in turn
 * (4.0 s), never more.
 */
const REQUEST_BOUND_MS = 2 * Number(FAIL_FAST.commandTimeout) + 1000;

let redis: RedisServer;
let running: Running | undefined;
let base: string;

beforeAll(async () => {
  redis = await RedisServer.start(['--appendonly', 'yes', '--appendfsync', 'everysec']);
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    REDIS_URL: redis.url,
    REDIS_PREFIX: 'outage',
    ADMIN_API_KEY: ADMIN_KEY,
    WORKER_CONCURRENCY: '4',
    LOG_LEVEL: 'silent',
    ...NO_LIMITS,
  });
  running = await start('all', config, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }));
  base = `http://127.0.0.1:${running.port}`;
}, 20_000);

afterAll(async () => {
  await running?.stop();
  await redis?.cleanup();
});

interface Answer {
  status: number;
  ms: number;
  retryAfter: string | null;
  body: { status?: string; verdict?: unknown; title?: string; detail?: string };
}

async function request(path: string, body?: unknown): Promise<Answer> {
  const started = Date.now();
  const res = await fetch(base + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_BOUND_MS * 2),
  });
  const text = await res.text();
  return { status: res.status, ms: Date.now() - started, retryAfter: res.headers.get('retry-after'), body: text ? JSON.parse(text) : {} };
}

const comment = (id: string, text = 'An ordinary remark about the summit.') => ({ id, articleId: 'a-outage', author: { id: 'u-1' }, text });

const decided = (id: string, timeoutMs = 15_000) =>
  until(
    `${id} decided`,
    async () => {
      const r = await request(`/v1/comments/${id}`);
      return r.status === 200 && r.body.status !== 'queued' ? r.body : undefined;
    },
    timeoutMs,
  );

function expectUnavailable(r: Answer) {
  expect(r.status).toBe(503);
  expect(Number(r.retryAfter)).toBeGreaterThan(0);
  expect(r.ms).toBeLessThan(REQUEST_BOUND_MS);
}

const ready = () => until('ready again', async () => ((await request('/readyz')).status === 200 ? true : undefined), 15_000);

describe('while Redis is down', () => {
  it('works before the outage', async () => {
    expect((await request('/v1/comments', comment('before'))).status).toBe(202);
    await decided('before');
  });

  it('answers 503 with Retry-After at once, says not ready, and stays alive', async () => {
    await redis.stop('SIGTERM');
    expectUnavailable(await request('/v1/comments', comment('during')));
    expectUnavailable(await request('/v1/comments/before'));
    expectUnavailable(await request('/v1/comments?wait=2000', comment('during-wait')));
    expectUnavailable(await request('/readyz'));
    expect((await request('/healthz')).status).toBe(200);
    // What needs no Redis keeps working.
    expect((await request('/v1/moderate', { text: 'fine words' })).status).toBe(200);
  });

  it('recovers by itself when Redis returns: reads, writes, the worker and ?wait= all work again', async () => {
    await redis.start();
    await ready();
    // Written before the outage and kept by the AOF.
    expect((await request('/v1/comments/before')).body.status).not.toBe('queued');
    expect((await request('/v1/comments', comment('after'))).status).toBe(202);
    await decided('after');
    // The pub/sub subscriber subscribed again, so a waiting request hears the verdict.
    const waited = await request('/v1/comments?wait=8000', comment('after-wait', 'You are an idiot.'));
    expect(waited.status).toBe(200);
    expect(waited.body.status).toBe('rejected');
  });
});

describe('while Redis hangs (the process is paused: connections stay open, nothing answers)', () => {
  it('answers 503 within the bound instead of hanging, and recovers when Redis resumes', async () => {
    redis.pause();
    try {
      expectUnavailable(await request('/v1/comments', comment('hung')));
      expectUnavailable(await request('/readyz'));
    } finally {
      redis.resume();
    }
    await ready();
    // The comment the paused Redis may have stored after all: the client would retry with the
    // same id, and gets one record and one verdict.
    const retried = await request('/v1/comments', comment('hung'));
    expect(retried.status).toBe(202);
    await decided('hung');
  });
});

describe('while Redis is full (noeviction refuses writes)', () => {
  it('refuses new comments with 503, still serves reads, and takes comments again once there is room', async () => {
    await request('/v1/comments', comment('before-full'));
    await decided('before-full');
    const admin = new Redis(redis.url);
    try {
      // The smallest limit Redis takes: every write is now over it.
      await admin.config('SET', 'maxmemory', '1');
      try {
        expectUnavailable(await request('/v1/comments', comment('when-full')));
        expect((await request('/v1/comments/before-full')).status).toBe(200);
      } finally {
        await admin.config('SET', 'maxmemory', '0');
      }
      expect((await request('/v1/comments', comment('when-full'))).status).toBe(202);
      await decided('when-full');
    } finally {
      await admin.quit();
    }
  });
});

describe('shutting down while Redis is away', () => {
  it('finishes within a bound rather than waiting for Redis', async () => {
    await redis.stop('SIGTERM');
    const started = Date.now();
    await running!.stop();
    running = undefined;
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
