import { execFile } from 'node:child_process';
import path from 'node:path';
import { call, startService, TEST_REDIS_URL, type TestService } from '../helpers/service';

let svc: TestService;
beforeAll(async () => {
  // A small limit and window so the lockout test needs few attempts and no long waits.
  svc = await startService('accounts', 'api', { LOGIN_MAX_FAILURES: '3', LOGIN_WINDOW_S: '60' });
});
afterAll(async () => {
  await svc.stop();
});

const PASSWORD = 'a perfectly long password';

async function createModerator(email: string, role: 'moderator' | 'admin' = 'moderator') {
  const r = await call(svc.url, '/v1/moderators', { body: { email, password: PASSWORD, role } });
  expect(r.status).toBe(201);
  // The account plus its key as `secret` (the one creation shape), split for the cases' convenience.
  const { secret, ...moderator } = r.body as { id: string; email: string; role: string; secret: string };
  return { moderator, apiKey: secret };
}

async function signIn(email: string, password = PASSWORD) {
  const res = await fetch(`${svc.url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const body = (await res.json()) as any;
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { status: res.status, body, setCookie, cookie: setCookie.split(';')[0], headers: res.headers };
}

describe('moderators', () => {
  it('an admin key creates one; the answer has a personal key and never the password hash', async () => {
    const r = await call(svc.url, '/v1/moderators', { body: { email: 'Lena@Example.org', password: PASSWORD } });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ id: expect.stringMatching(/^mod_/), email: 'lena@example.org', role: 'moderator', disabled: false, createdAt: expect.any(String), secret: expect.stringMatching(/^dk_/) });
    expect(JSON.stringify(r.body)).not.toMatch(/scrypt|passwordHash/);
    const stored = await svc.redis.hgetall(`${svc.prefix}:moderator:${r.body.id}`);
    expect(stored.passwordHash).toMatch(/^scrypt\$/);
    expect(stored.passwordHash).not.toContain(PASSWORD);
    // The key is stored only as a digest.
    expect(await svc.redis.hget(`${svc.prefix}:moderators:by-key`, r.body.secret)).toBeNull();
  });

  it('refuses a second account with the same email (409) and a short password (422)', async () => {
    await createModerator('dup@example.org');
    const again = await call(svc.url, '/v1/moderators', { body: { email: 'DUP@example.org', password: PASSWORD } });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const short = await call(svc.url, '/v1/moderators', { body: { email: 'short@example.org', password: 'short' } });
    expect(short.status).toBe(422);
    expect(short.body.errors[0].path).toBe('password');
  });

  it("a moderator's key can review but not create moderators or submit comments", async () => {
    const { apiKey } = await createModerator('roles@example.org');
    expect((await call(svc.url, '/v1/review', { key: apiKey })).status).toBe(200);
    const create = await call(svc.url, '/v1/moderators', { key: apiKey, body: { email: 'x@example.org', password: PASSWORD } });
    expect(create.status).toBe(403);
    expect(create.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const submit = await call(svc.url, '/v1/comments', { key: apiKey, body: { articleId: 'a', author: { id: 'u' }, text: 'hello' } });
    expect(submit.status).toBe(403);
    expect((await call(svc.url, '/v1/review', { key: 'dk_not-a-real-key' })).status).toBe(401);
  });

  it('an admin account can create moderators with its own key', async () => {
    const { apiKey } = await createModerator('boss@example.org', 'admin');
    const r = await call(svc.url, '/v1/moderators', { key: apiKey, body: { email: 'hired@example.org', password: PASSWORD } });
    expect(r.status).toBe(201);
  });
});

describe('sessions', () => {
  it('signs in with an HttpOnly SameSite=Strict cookie and says who is signed in', async () => {
    const { moderator } = await createModerator('sess@example.org');
    const s = await signIn('Sess@example.org');
    expect(s.status).toBe(201);
    expect(s.body.moderator.id).toBe(moderator.id);
    expect(s.body.csrfToken).toEqual(expect.any(String));
    expect(s.setCookie).toMatch(/^decorum_session=[\w-]+;/);
    expect(s.setCookie).toMatch(/HttpOnly/);
    expect(s.setCookie).toMatch(/SameSite=Strict/);
    const me = await call(svc.url, '/v1/session', { key: null, headers: { cookie: s.cookie } });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ kind: 'session', role: 'moderator', moderator: { id: moderator.id }, csrfToken: s.body.csrfToken });
  });

  it('refuses a wrong password and an unknown email alike (401)', async () => {
    await createModerator('wrong@example.org');
    const wrong = await signIn('wrong@example.org', 'not the password');
    const unknown = await signIn('nobody@example.org', 'not the password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
    expect(wrong.setCookie).toBe('');
  });

  it('refuses a cookie-signed state change without the CSRF token (403), and accepts it with', async () => {
    await createModerator('csrf@example.org');
    const s = await signIn('csrf@example.org');
    const id = 'csrf-c1';
    await call(svc.url, '/v1/comments', { body: { id, articleId: 'a', author: { id: 'u' }, text: 'hello there' } });
    const decision = { decision: 'rejected' };
    const without = await call(svc.url, `/v1/comments/${id}/decision`, { key: null, headers: { cookie: s.cookie }, body: decision });
    expect(without.status).toBe(403);
    expect(without.body.detail).toMatch(/CSRF/);
    const forged = await call(svc.url, `/v1/comments/${id}/decision`, { key: null, headers: { cookie: s.cookie, 'x-csrf-token': 'guess' }, body: decision });
    expect(forged.status).toBe(403);
    // With the token the request gets past authentication (the API-only service has no worker, so the comment is still queued: 409).
    const withToken = await call(svc.url, `/v1/comments/${id}/decision`, { key: null, headers: { cookie: s.cookie, 'x-csrf-token': s.body.csrfToken }, body: decision });
    expect(withToken.status).toBe(409);
  });

  it('signs out: the cookie stops working', async () => {
    await createModerator('bye@example.org');
    const s = await signIn('bye@example.org');
    const out = await call(svc.url, '/v1/session', { method: 'DELETE', key: null, headers: { cookie: s.cookie, 'x-csrf-token': s.body.csrfToken } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/decorum_session=;/);
    const after = await call(svc.url, '/v1/review', { key: null, headers: { cookie: s.cookie } });
    expect(after.status).toBe(401);
  });

  it('locks an email after repeated failures, even for the right password, with 429 and Retry-After', async () => {
    await createModerator('locked@example.org');
    for (let i = 0; i < 3; i++) expect((await signIn('locked@example.org', `guess ${i}`)).status).toBe(401);
    const locked = await signIn('locked@example.org');
    expect(locked.status).toBe(429);
    expect(locked.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another account from the same address is not locked by this one's failures.
    await createModerator('other@example.org');
    expect((await signIn('other@example.org')).status).toBe(201);
  });
});

describe('throttling by address', () => {
  it('locks sign-in from an address that fails across many emails', async () => {
    const own = await startService('accounts-ip', 'api', { LOGIN_MAX_FAILURES: '100', LOGIN_MAX_FAILURES_PER_IP: '4', LOGIN_WINDOW_S: '60' });
    try {
      const created = await call(own.url, '/v1/moderators', { body: { email: 'real@example.org', password: PASSWORD } });
      expect(created.status).toBe(201);
      const attempt = (email: string, password: string) =>
        fetch(`${own.url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
      for (let i = 0; i < 4; i++) expect((await attempt(`guess${i}@example.org`, 'whatever')).status).toBe(401);
      const res = await attempt('real@example.org', PASSWORD);
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await own.stop();
    }
  });
});

describe('behind a reverse proxy (TRUST_PROXY)', () => {
  it("counts failures per client address from X-Forwarded-For, not the proxy's", async () => {
    const own = await startService('accounts-proxy', 'api', { LOGIN_MAX_FAILURES: '100', LOGIN_MAX_FAILURES_PER_IP: '2', TRUST_PROXY: '1' });
    try {
      await call(own.url, '/v1/moderators', { body: { email: 'proxied@example.org', password: PASSWORD } });
      const attempt = (from: string, email: string, password: string) =>
        fetch(`${own.url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': from }, body: JSON.stringify({ email, password }) });
      for (let i = 0; i < 2; i++) expect((await attempt('203.0.113.1', `g${i}@example.org`, 'x')).status).toBe(401);
      expect((await attempt('203.0.113.1', 'proxied@example.org', PASSWORD)).status).toBe(429);
      expect((await attempt('203.0.113.2', 'proxied@example.org', PASSWORD)).status).toBe(201);
    } finally {
      await own.stop();
    }
  });
});

describe('decorum moderator add', () => {
  it('creates an account that can sign in from a password on stdin, never argv, and refuses the same email twice', async () => {
    const run = (args: string[], password: string) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = execFile(
          process.execPath,
          [path.join(__dirname, '../../bin/decorum.js'), 'moderator', 'add', ...args],
          { cwd: path.join(__dirname, '../..'), env: { ...process.env, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: svc.prefix } },
          (_e, out, err) => resolve({ code: child.exitCode, out, err }),
        );
        child.stdin?.end(`${password}\n`);
      });
    const first = await run(['--email', 'cli@example.org', '--role', 'admin', '--json'], PASSWORD);
    expect(first.code).toBe(0);
    const printed = JSON.parse(first.out);
    expect(printed).toMatchObject({ email: 'cli@example.org', role: 'admin' });
    expect((await call(svc.url, '/v1/moderators', { key: printed.secret })).status).toBe(200);
    expect((await signIn('cli@example.org')).status).toBe(201);
    const again = await run(['--email', 'cli@example.org'], PASSWORD);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/exists/);
    const short = await run(['--email', 'short@example.org'], 'short');
    expect(short.code).toBe(2);
    expect(short.err).toMatch(/^decorum moderator add: password: /m);
    // A password on the command line is refused outright, so it never lands in shell history.
    const inArgv = await run(['--email', 'argv@example.org', '--password', PASSWORD], PASSWORD);
    expect(inArgv.code).toBe(2);
    expect(inArgv.err).toMatch(/password/);
  }, 60_000);
});
