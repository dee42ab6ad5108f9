import pino from 'pino';
import { loadConfig } from '../../src/config';
import { type Running, start } from '../../src/main';
import { RedisServer } from '../faults/harness';
import { ADMIN_KEY, call, eventually, NO_LIMITS, startService, type TestService } from '../helpers/service';

/** The review's low-severity findings, each through real HTTP against real Redis. */
let svc: TestService;
const PASSWORD = 'a perfectly long password';

beforeAll(async () => {
  svc = await startService('hardening', 'all');
  await eventually(async () => ((await call(svc.url, '/readyz', { key: null })).status === 200 ? true : undefined));
}, 30_000);
afterAll(async () => {
  await svc?.stop();
});

async function key(scopes: string[], site: string) {
  const r = await call(svc.url, '/v1/keys', { body: { name: site, scopes, site }, key: undefined });
  expect(r.status).toBe(201);
  return r.body.secret as string;
}

describe('review cursors', () => {
  it("are opaque and bound to the caller's site: a scan that ends on another site's comments reveals nothing, and the cursor works for its own site only", async () => {
    // More of another site's comments than one page scans (2000), older than anything of site A:
    // the page ends on one of them. Written straight into the index, as stored comments would be.
    const held = `${svc.prefix}:idx:status:held`;
    const pipeline = svc.redis.pipeline();
    for (let i = 0; i < 2100; i++) pipeline.zadd(held, 1_000_000 + i, `other-site-secret-${i}`);
    await pipeline.exec();
    const readerA = await key(['comments:read'], 'site-a');
    const readerB = await key(['comments:read'], 'site-b');
    const page = await call(svc.url, '/v1/review?status=held', { key: readerA });
    expect(page.status).toBe(200);
    expect(page.body.items).toEqual([]);
    const cursor = page.body.nextCursor as string;
    expect(typeof cursor).toBe('string');
    const decoded = Buffer.from(cursor, 'base64url').toString('latin1');
    expect(decoded).not.toMatch(/other-site-secret|100\d{4}/);
    // Pages on for its own site; refused for another site's key and for an unbound key.
    expect((await call(svc.url, `/v1/review?status=held&cursor=${cursor}`, { key: readerA })).status).toBe(200);
    const elsewhere = await call(svc.url, `/v1/review?status=held&cursor=${cursor}`, { key: readerB });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await call(svc.url, `/v1/review?status=held&cursor=${cursor}`)).status).toBe(422);
    await svc.redis.del(held);
  });
});

describe('a resubmission with ?wait', () => {
  it('answers a comments:write key with the decision, without the moderator\'s reason or the history', async () => {
    const writer = await key(['comments:write'], 'wait-site');
    const body = { id: 'wait-1', articleId: 'a', author: { id: 'u' }, text: 'What a moron.' };
    const first = await call(svc.url, '/v1/comments?wait=8000', { key: writer, body });
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('held');
    const decided = await call(svc.url, '/v1/comments/wait-1/decision', { body: { decision: 'rejected', reason: 'MODERATOR-ONLY NOTE' } });
    expect(decided.status).toBe(200);
    const again = await call(svc.url, '/v1/comments?wait=2000', { key: writer, body });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: 'wait-1', status: 'rejected', verdict: { decision: 'rejected' } });
    expect(again.body.history).toBeUndefined();
    expect(JSON.stringify(again.body)).not.toContain('MODERATOR-ONLY NOTE');
    // Who may read comments sees it all.
    const full = await call(svc.url, '/v1/comments?wait=2000', { body: { ...body, site: 'wait-site' } });
    expect(full.body.verdict.reason).toBe('MODERATOR-ONLY NOTE');
    expect(full.body.history).toHaveLength(1);
  }, 30_000);
});

describe('the session cookie', () => {
  it('a malformed cookie is no session: 401 with a problem, not 500', async () => {
    const r = await call(svc.url, '/v1/review', { key: null, headers: { cookie: 'decorum_session=%E0%A4%A' } });
    expect(r.status).toBe(401);
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(r.body.detail).toMatch(/sign in/);
  });

  it('carries the __Host- prefix when the service is configured for HTTPS (secure cookies)', async () => {
    const secure = await startService('hardening-secure', 'api', { SECURE_COOKIES: 'true' });
    try {
      expect((await call(secure.url, '/v1/moderators', { body: { email: 'host@example.org', password: PASSWORD } })).status).toBe(201);
      const res = await fetch(`${secure.url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'host@example.org', password: PASSWORD }) });
      expect(res.status).toBe(201);
      const setCookie = res.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/^__Host-decorum_session=[\w-]+;/);
      expect(setCookie).toMatch(/; Secure/);
      expect(setCookie).toMatch(/; Path=\//);
      expect(setCookie).not.toMatch(/Domain=/i);
      const token = setCookie.split(';')[0].split('=')[1];
      expect((await call(secure.url, '/v1/session', { key: null, headers: { cookie: `__Host-decorum_session=${token}` } })).status).toBe(200);
      // The unprefixed name is not read: a cookie planted without the prefix's guarantees is ignored.
      expect((await call(secure.url, '/v1/session', { key: null, headers: { cookie: `decorum_session=${token}` } })).status).toBe(401);
    } finally {
      await secure.stop();
    }
  }, 30_000);
});

describe('author.name', () => {
  it.each([
    ['NUL', 'a\u0000b'],
    ['ESC', 'a\u001b[31mred'],
    ['a right-to-left override', 'gpj.\u202eexe'],
    ['a bidi isolate', 'x\u2067y'],
  ])('refuses %s with a 422 naming the field', async (_what, name) => {
    const r = await call(svc.url, '/v1/comments', { body: { articleId: 'a', author: { id: 'u', name }, text: 'hello there' } });
    expect(r.status).toBe(422);
    expect(r.body.errors[0].path).toBe('author.name');
  });

  it('accepts names in any script', async () => {
    const r = await call(svc.url, '/v1/comments', { body: { articleId: 'a', author: { id: 'u', name: 'Łukasz Ñoño 山田 محمد' }, text: 'hello there' } });
    expect(r.status).toBe(202);
  });
});

describe('webhook URLs', () => {
  it.each(['http://LOCALHOST./x', 'http://localhost../x', 'http://[::7f00:1]/x', 'http://[2002:7f00:1::1]/x', 'http://[::ffff:0:7f00:1]/x'])('refuses %s at creation', async (url) => {
    const r = await call(svc.url, '/v1/webhooks', { body: { url, events: ['comment.held'] } });
    expect(r.status).toBe(422);
    expect(r.body.errors[0].path).toBe('url');
  });
});

describe('without Redis', () => {
  let redis: RedisServer;
  let running: Running | undefined;
  afterAll(async () => {
    await running?.stop();
    await redis?.cleanup();
  });

  it('/readyz and /metrics say unavailable without repeating the data store\'s error text', async () => {
    redis = await RedisServer.start();
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', REDIS_URL: redis.url, REDIS_PREFIX: 'hardening', ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: 'silent', ...NO_LIMITS });
    running = await start('api', config, pino({ level: 'silent' }));
    const base = `http://127.0.0.1:${running.port}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    await redis.stop('SIGTERM');
    for (const path of ['/readyz', '/metrics']) {
      const res = await fetch(base + path);
      expect([path, res.status]).toEqual([path, 503]);
      const text = await res.text();
      expect(text).not.toContain(String(redis.port));
      expect(text).not.toMatch(/ECONNREFUSED|enableOfflineQueue|Connection is closed|127\.0\.0\.1/);
      expect(JSON.parse(text).detail).toMatch(/service log/);
    }
  }, 30_000);
});
