import { MIN_ADMITTED } from '../../src/api/backpressure';
import { keys } from '../../src/store/keys';
import { call, eventually, NO_LIMITS, startService, type TestService } from '../helpers/service';

/** Seconds the window lasts in these tests: short enough to wait out, long enough for a loaded machine. */
const WINDOW_MS = 2000;

const comment = (author: string, over: Record<string, unknown> = {}) => ({
  articleId: 'limits-article',
  author: { id: author },
  text: 'A perfectly ordinary remark about the article.',
  ...over,
});
/** This process's count of submissions refused for one reason, from /metrics. */
async function refusedCount(svc: TestService, reason: string): Promise<number> {
  const text = (await call(svc.url, '/metrics', { key: null })).body as string;
  const m = new RegExp(`^decorum_submissions_refused_total\\{reason="${reason}"\\} (\\d+)$`, 'm').exec(text);
  if (!m) throw new Error(`no refused-submissions sample for ${reason}`);
  return Number(m[1]);
}
const post = (svc: TestService, body: unknown, headers: Record<string, string> = {}) => call(svc.url, '/v1/comments', { body, headers });

function expectRefused(r: { status: number; headers: Headers; body: any }, limit: 'key' | 'author' | 'ip') {
  expect(r.status).toBe(429);
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const retryAfter = Number(r.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW_MS / 1000);
  expect(r.body).toMatchObject({ status: 429, title: 'Too many requests', limit, retryAfter });
  expect(r.body.detail).toContain(`retry in ${retryAfter} s`);
}

describe('per-author limit, shared by two API processes', () => {
  let a: TestService;
  let b: TestService;
  beforeAll(async () => {
    const env = { ...NO_LIMITS, RATE_LIMIT_AUTHOR_PER_MIN: '2', RATE_LIMIT_WINDOW_MS: String(WINDOW_MS) };
    a = await startService('limits-author', 'api', env);
    // The same prefix: a second process of the same deployment.
    b = await startService('limits-author-b', 'api', { ...env, REDIS_PREFIX: a.prefix });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  it('refuses the author past the limit with 429, Retry-After and a problem naming the limit; other authors go through', async () => {
    const first = await post(a, comment('flooder'));
    expect(first.status).toBe(202);
    expect(first.headers.get('ratelimit-limit')).toBe('2');
    expect(first.headers.get('ratelimit-remaining')).toBe('1');
    expect(Number(first.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(1);
    expect((await post(a, comment('flooder'))).status).toBe(202);
    const before = await refusedCount(a, 'author');
    expectRefused(await post(a, comment('flooder')), 'author');
    expect(await refusedCount(a, 'author')).toBe(before + 1);
    expect((await post(a, comment('bystander'))).status).toBe(202);
  });

  it('stores and queues nothing for a refused request', async () => {
    expect((await post(a, comment('hoarder'))).status).toBe(202);
    expect((await post(a, comment('hoarder'))).status).toBe(202);
    const refused = await post(a, comment('hoarder', { id: 'limits-refused-1' }));
    expectRefused(refused, 'author');
    expect((await call(a.url, '/v1/comments/limits-refused-1')).status).toBe(404);
    expect(await a.redis.exists(`${a.prefix}:comment:limits-refused-1`)).toBe(0);
    expect(await a.redis.zscore(`${a.prefix}:idx:status:queued`, 'limits-refused-1')).toBeNull();
  });

  it('counts across processes: what one process admitted, the other refuses', async () => {
    expect((await post(a, comment('roamer'))).status).toBe(202);
    expect((await post(b, comment('roamer'))).status).toBe(202);
    expectRefused(await post(b, comment('roamer')), 'author');
    expectRefused(await post(a, comment('roamer')), 'author');
  });

  it('lets the author in again once the window has passed', async () => {
    expect((await post(a, comment('patient'))).status).toBe(202);
    expect((await post(a, comment('patient'))).status).toBe(202);
    const refused = await post(a, comment('patient'));
    expectRefused(refused, 'author');
    // Refused requests count against nothing, so trying until it works is not itself held against it.
    const started = Date.now();
    const ok = await eventually(async () => {
      const r = await post(a, comment('patient', { id: 'limits-after-window' }));
      return r.status === 202 ? r : undefined;
    }, WINDOW_MS + 3000);
    expect(ok.status).toBe(202);
    expect(Date.now() - started).toBeLessThanOrEqual(Number(refused.headers.get('retry-after')) * 1000 + 1500);
    expect((await call(a.url, '/v1/comments/limits-after-window')).status).toBe(200);
  });
});

describe('per-address limit', () => {
  const env = { ...NO_LIMITS, RATE_LIMIT_IP_PER_MIN: '2', RATE_LIMIT_WINDOW_MS: String(WINDOW_MS) };

  describe('behind a trusted proxy (TRUST_PROXY)', () => {
    let svc: TestService;
    beforeAll(async () => {
      svc = await startService('limits-ip-proxy', 'api', { ...env, TRUST_PROXY: 'loopback' });
    });
    afterAll(async () => svc?.stop());

    it('counts per forwarded client', async () => {
      const from = (ip: string) => ({ 'x-forwarded-for': ip });
      expect((await post(svc, comment('p-1'), from('203.0.113.7'))).status).toBe(202);
      expect((await post(svc, comment('p-2'), from('203.0.113.7'))).status).toBe(202);
      expectRefused(await post(svc, comment('p-3'), from('203.0.113.7')), 'ip');
      expect((await post(svc, comment('p-4'), from('198.51.100.9'))).status).toBe(202);
      // One IPv6 subscriber's /64 is one client: rotating the host half doesn't help.
      expect((await post(svc, comment('p-5'), from('2001:db8:1:2::1'))).status).toBe(202);
      expect((await post(svc, comment('p-6'), from('2001:db8:1:2:ffff::9'))).status).toBe(202);
      expectRefused(await post(svc, comment('p-7'), from('2001:db8:1:2::abcd')), 'ip');
    });
  });

  describe('without TRUST_PROXY', () => {
    let svc: TestService;
    beforeAll(async () => {
      svc = await startService('limits-ip-direct', 'api', env);
    });
    afterAll(async () => svc?.stop());

    it('ignores X-Forwarded-For, so a client cannot dodge the limit by forging it', async () => {
      expect((await post(svc, comment('d-1'), { 'x-forwarded-for': '203.0.113.1' })).status).toBe(202);
      expect((await post(svc, comment('d-2'), { 'x-forwarded-for': '203.0.113.2' })).status).toBe(202);
      expectRefused(await post(svc, comment('d-3'), { 'x-forwarded-for': '203.0.113.3' }), 'ip');
    });
  });
});

describe('several limits at once', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startService('limits-both', 'api', { ...NO_LIMITS, RATE_LIMIT_AUTHOR_PER_MIN: '1', RATE_LIMIT_IP_PER_MIN: '2', RATE_LIMIT_WINDOW_MS: String(WINDOW_MS) });
  });
  afterAll(async () => svc?.stop());

  it('a request one limit refuses counts against none of the others', async () => {
    expect((await post(svc, comment('m-1'))).status).toBe(202);
    expectRefused(await post(svc, comment('m-1')), 'author');
    expectRefused(await post(svc, comment('m-1')), 'author');
    // The address has used one of its two: the refusals above did not count.
    const second = await post(svc, comment('m-2'));
    expect(second.status).toBe(202);
    expect(second.headers.get('ratelimit-remaining')).toBe('0');
    expectRefused(await post(svc, comment('m-3')), 'ip');
  });
});

describe('per-key limit', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startService('limits-key', 'api', { ...NO_LIMITS, RATE_LIMIT_KEY_PER_MIN: '2', RATE_LIMIT_WINDOW_MS: String(WINDOW_MS) });
  });
  afterAll(async () => svc?.stop());

  it('counts each key apart: another admin key still gets in', async () => {
    const admin = await call(svc.url, '/v1/moderators', { body: { email: 'limits-admin@example.org', password: 'a perfectly long password', role: 'admin' } });
    expect(admin.status).toBe(201);
    expect((await post(svc, comment('k-1'))).status).toBe(202);
    expect((await post(svc, comment('k-2'))).status).toBe(202);
    expectRefused(await post(svc, comment('k-3')), 'key');
    const other = await call(svc.url, '/v1/comments', { body: comment('k-4'), key: admin.body.secret });
    expect(other.status).toBe(202);
  });
});

describe('backpressure', () => {
  let svc: TestService;
  beforeAll(async () => {
    // API only: no worker drains the queue.
    svc = await startService('limits-backlog', 'api', { ...NO_LIMITS, QUEUE_MAX_WAITING: '2' });
  });
  afterAll(async () => svc?.stop());

  it('answers 503 with Retry-After once the backlog is full; reads still work', async () => {
    expect((await post(svc, comment('b-1', { id: 'backlog-1' }))).status).toBe(202);
    expect((await post(svc, comment('b-2', { id: 'backlog-2' }))).status).toBe(202);
    const refused = await post(svc, comment('b-3', { id: 'backlog-3' }));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.body).toMatchObject({ status: 503, queueDepth: 2 });
    expect(await refusedCount(svc, 'backlog')).toBe(1);
    expect((await call(svc.url, '/v1/comments/backlog-3')).status).toBe(404);
    const read = await call(svc.url, '/v1/comments/backlog-1');
    expect(read.status).toBe(200);
    expect(read.body.status).toBe('queued');
    expect((await call(svc.url, '/v1/review/counts')).status).toBe(200);
  });

  it('reads the depth from Redis, so a backlog built elsewhere counts too', async () => {
    // A fresh process sees the two comments the first one queued.
    const other = await startService('limits-backlog-b', 'api', { ...NO_LIMITS, QUEUE_MAX_WAITING: '2', REDIS_PREFIX: svc.prefix });
    try {
      expect((await post(other, comment('b-4'))).status).toBe(503);
    } finally {
      await other.stop();
    }
  });
});

describe('admission at the workers measured rate', () => {
  let svc: TestService;
  beforeAll(async () => {
    // API only at first: nothing is decided, so the rate is unknown and only the minimum is admitted.
    svc = await startService('limits-admission', 'api', { ...NO_LIMITS, QUEUE_MAX_WAIT_MS: '1000' });
  });
  afterAll(async () => svc?.stop());

  it('admits the minimum while no worker decides, then admits again as a worker drains the backlog', async () => {
    for (let i = 0; i < MIN_ADMITTED; i++) expect((await post(svc, comment(`adm-${i % 7}`, { id: `adm-${i}` }))).status).toBe(202);
    const refused = await post(svc, comment('adm-x', { id: 'adm-last' }));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.body).toMatchObject({ status: 503, queueDepth: MIN_ADMITTED, decisionsPerSecond: 0, retryAfter: 5 });
    expect(refused.body.detail).toContain("at the workers' rate of 0 a second");

    const worker = await startService('limits-admission-w', 'worker', { ...NO_LIMITS, REDIS_PREFIX: svc.prefix });
    try {
      await eventually(async () => ((await post(svc, comment('adm-x', { id: 'adm-last' }))).status === 202 ? true : undefined), 60_000);
      // The worker counts each automatic decision once, which is what the rate is read from.
      const counted = async () => Number(await svc.redis.get(keys(svc.prefix).autoDecisions));
      await eventually(async () => ((await counted()) >= MIN_ADMITTED + 1 ? true : undefined), 60_000);
      expect(await counted()).toBe(MIN_ADMITTED + 1);
    } finally {
      await worker.stop();
    }
  }, 90_000);
});

describe('per-site limits', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startService('limits-site', 'api', {
      ...NO_LIMITS,
      RATE_LIMIT_AUTHOR_PER_MIN: '3',
      RATE_LIMITS_BY_SITE: JSON.stringify({ gazette: { author: 1 } }),
      RATE_LIMIT_WINDOW_MS: String(WINDOW_MS),
    });
  });
  afterAll(async () => {
    await svc.stop();
  });

  it("apply a site's own limit to its comments, and count authors per site", async () => {
    // The admin key may name the site; the gazette allows one comment per author and window.
    expect((await post(svc, comment('site-reader', { site: 'gazette' }))).status).toBe(202);
    expectRefused(await post(svc, comment('site-reader', { site: 'gazette' })), 'author');
    // The same author id on another site is another reader, under the default limit of 3.
    for (let i = 0; i < 3; i++) expect((await post(svc, comment('site-reader', { site: 'herald' }))).status).toBe(202);
    expectRefused(await post(svc, comment('site-reader', { site: 'herald' })), 'author');
  });

  it('refuses a malformed override at start, naming the variable', async () => {
    const { loadConfig } = await import('../../src/config');
    expect(() => loadConfig({ RATE_LIMITS_BY_SITE: '{"gazette": {"authr": 1}}' })).toThrow(/RATE_LIMITS_BY_SITE/);
    expect(() => loadConfig({ RATE_LIMITS_BY_SITE: 'not json' })).toThrow(/RATE_LIMITS_BY_SITE: must be JSON/);
  });
});
