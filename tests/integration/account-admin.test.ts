import { randomBytes, scryptSync } from 'node:crypto';
import { DEFAULT_SCRYPT_N } from '../../src/auth/passwords';
import { call, startService, type TestService } from '../helpers/service';

let svc: TestService;
const PASSWORD = 'a perfectly long password';

beforeAll(async () => {
  svc = await startService('account-admin', 'api', { LOGIN_MAX_FAILURES: '5', LOGIN_MAX_FAILURES_PER_IP: '1000', LOGIN_WINDOW_S: '60' });
});
afterAll(async () => {
  await svc?.stop();
});

async function createModerator(email: string, role: 'moderator' | 'admin' = 'moderator', as?: string) {
  const r = await call(svc.url, '/v1/moderators', { key: as, body: { email, password: PASSWORD, role } });
  expect(r.status).toBe(201);
  // The account plus its key as `secret` (the one creation shape), split for the cases' convenience.
  const { secret, ...moderator } = r.body as { id: string; email: string; role: string; disabled: boolean; secret: string };
  return { moderator, apiKey: secret };
}

async function signIn(email: string, password = PASSWORD, url = svc.url, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ email, password }) });
  const body = (await res.json()) as any;
  return { status: res.status, body, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] };
}

const asSession = (s: { cookie: string; body: { csrfToken: string } }) => ({ key: null, headers: { cookie: s.cookie, 'x-csrf-token': s.body.csrfToken } });

async function auditActions(subject: string): Promise<string[]> {
  const page = await call(svc.url, '/v1/audit?limit=500');
  return (page.body.items as { action: string; subject: string }[])
    .filter((e) => e.subject === subject)
    .map((e) => e.action)
    .reverse();
}

describe('sign-in lockout', () => {
  it('checks and counts in one step: of 40 parallel wrong passwords, only the limit (5) reach the hash', async () => {
    await createModerator('race@example.org');
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => signIn('race@example.org', `wrong guess ${i}`)));
    const counts = answers.reduce<Record<number, number>>((acc, a) => ({ ...acc, [a.status]: (acc[a.status] ?? 0) + 1 }), {});
    expect(counts).toEqual({ 401: 5, 429: 35 });
    // Locked even for the right password.
    expect((await signIn('race@example.org')).status).toBe(429);
  }, 60_000);

  it('counts an IPv6 client by its /64, as the submission limits do', async () => {
    const own = await startService('account-admin-v6', 'api', { LOGIN_MAX_FAILURES: '100', LOGIN_MAX_FAILURES_PER_IP: '3', LOGIN_WINDOW_S: '60', TRUST_PROXY: '1' });
    try {
      const from = (ip: string, i: number) => signIn(`nobody${i}@example.org`, 'whatever', own.url, { 'x-forwarded-for': ip });
      expect((await from('2001:db8:1:2::1', 0)).status).toBe(401);
      expect((await from('2001:db8:1:2::2', 1)).status).toBe(401);
      expect((await from('2001:db8:1:2:ffff::3', 2)).status).toBe(401);
      // Same /64, yet another address: locked.
      expect((await from('2001:db8:1:2:aaaa:bbbb:cccc:4', 3)).status).toBe(429);
      // Another /64: counted apart.
      expect((await from('2001:db8:1:3::1', 4)).status).toBe(401);
    } finally {
      await own.stop();
    }
  }, 60_000);

  it('hashes at N=2^17 by default; verifies a hash made with the old parameters (N=2^15) and replaces it at sign-in', async () => {
    // The default cost, which the other suites lower to save time.
    const own = await startService('account-admin-scrypt', 'api', { PASSWORD_SCRYPT_N: String(DEFAULT_SCRYPT_N) });
    try {
      const created = await call(own.url, '/v1/moderators', { body: { email: 'fresh@example.org', password: PASSWORD } });
      expect(await own.redis.hget(`${own.prefix}:moderator:${created.body.id}`, 'passwordHash')).toMatch(/^scrypt\$131072\$8\$1\$/);
      const legacy = await call(own.url, '/v1/moderators', { body: { email: 'legacy@example.org', password: PASSWORD } });
      const id = legacy.body.id;
      const salt = randomBytes(16);
      const old = scryptSync(PASSWORD.normalize('NFC'), salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
      await own.redis.hset(`${own.prefix}:moderator:${id}`, 'passwordHash', ['scrypt', 1 << 15, 8, 1, salt.toString('base64url'), old.toString('base64url')].join('$'));
      expect((await signIn('legacy@example.org', 'not it at all', own.url)).status).toBe(401);
      expect(await own.redis.hget(`${own.prefix}:moderator:${id}`, 'passwordHash')).toMatch(/^scrypt\$32768\$/);
      expect((await signIn('legacy@example.org', PASSWORD, own.url)).status).toBe(201);
      expect(await own.redis.hget(`${own.prefix}:moderator:${id}`, 'passwordHash')).toMatch(/^scrypt\$131072\$8\$1\$/);
      expect((await signIn('legacy@example.org', PASSWORD, own.url)).status).toBe(201);
    } finally {
      await own.stop();
    }
  }, 60_000);
});

describe('revoking accounts', () => {
  it('disabling refuses the key, the sessions and sign-in from the next request; enabling restores the key but not the old sessions', async () => {
    const { moderator, apiKey } = await createModerator('disable@example.org');
    const s = await signIn('disable@example.org');
    expect((await call(svc.url, '/v1/review', { key: apiKey })).status).toBe(200);
    const off = await call(svc.url, `/v1/moderators/${moderator.id}`, { method: 'PATCH', body: { disabled: true } });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: moderator.id, disabled: true });
    expect((await call(svc.url, '/v1/review', { key: apiKey })).status).toBe(401);
    expect((await call(svc.url, '/v1/review', asSession(s))).status).toBe(401);
    expect((await signIn('disable@example.org')).status).toBe(401);
    expect((await call(svc.url, `/v1/moderators/${moderator.id}`, { method: 'PATCH', body: { disabled: false } })).status).toBe(200);
    expect((await call(svc.url, '/v1/review', { key: apiKey })).status).toBe(200);
    expect((await call(svc.url, '/v1/review', asSession(s))).status).toBe(401);
    expect((await signIn('disable@example.org')).status).toBe(201);
    expect(await auditActions(moderator.id)).toEqual(['moderator.created', 'moderator.disabled', 'moderator.enabled']);
  });

  it('a role change applies to the very next request, for key and session alike', async () => {
    const { moderator, apiKey } = await createModerator('promote@example.org');
    const s = await signIn('promote@example.org');
    expect((await call(svc.url, '/v1/keys', { key: apiKey })).status).toBe(403);
    expect((await call(svc.url, `/v1/moderators/${moderator.id}`, { method: 'PATCH', body: { role: 'admin' } })).body.role).toBe('admin');
    expect((await call(svc.url, '/v1/keys', { key: apiKey })).status).toBe(200);
    expect((await call(svc.url, '/v1/keys', asSession(s))).status).toBe(200);
    await call(svc.url, `/v1/moderators/${moderator.id}`, { method: 'PATCH', body: { role: 'moderator' } });
    expect((await call(svc.url, '/v1/keys', { key: apiKey })).status).toBe(403);
    const entries = (await call(svc.url, '/v1/audit?limit=500')).body.items.filter((e: { subject: string; action: string }) => e.subject === moderator.id && e.action === 'moderator.role');
    expect(entries.map((e: { from: string; to: string; moderatorId: string }) => [e.from, e.to, e.moderatorId])).toEqual([
      ['admin', 'moderator', 'admin'],
      ['moderator', 'admin', 'admin'],
    ]);
  });

  it("setting a password ends the account's sessions; the old password stops working, the new one signs in", async () => {
    const { moderator } = await createModerator('reset@example.org');
    const s = await signIn('reset@example.org');
    const NEW = 'another long password';
    expect((await call(svc.url, `/v1/moderators/${moderator.id}`, { method: 'PATCH', body: { password: NEW } })).status).toBe(200);
    expect((await call(svc.url, '/v1/review', asSession(s))).status).toBe(401);
    expect((await signIn('reset@example.org')).status).toBe(401);
    expect((await signIn('reset@example.org', NEW)).status).toBe(201);
    expect(await auditActions(moderator.id)).toEqual(['moderator.created', 'moderator.password']);
    const short = await call(svc.url, `/v1/moderators/${moderator.id}`, { method: 'PATCH', body: { password: 'short' } });
    expect(short.status).toBe(422);
    expect(short.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('rotating the personal key refuses the old one at once and shows the new one once', async () => {
    const { moderator, apiKey } = await createModerator('rotate@example.org');
    const r = await call(svc.url, `/v1/moderators/${moderator.id}/rotate-key`, { method: 'POST' });
    expect(r.status).toBe(200);
    expect(r.body.secret).toMatch(/^dk_/);
    expect(r.body.secret).not.toBe(apiKey);
    expect((await call(svc.url, '/v1/review', { key: apiKey })).status).toBe(401);
    expect((await call(svc.url, '/v1/review', { key: r.body.secret })).status).toBe(200);
    expect(JSON.stringify((await call(svc.url, '/v1/moderators')).body)).not.toContain(r.body.secret);
    expect(await auditActions(moderator.id)).toEqual(['moderator.created', 'moderator.key-rotated']);
  });

  it('deleting an account refuses its key and sessions at once and frees its email', async () => {
    const { moderator, apiKey } = await createModerator('gone@example.org');
    const s = await signIn('gone@example.org');
    expect((await call(svc.url, `/v1/moderators/${moderator.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(svc.url, '/v1/review', { key: apiKey })).status).toBe(401);
    expect((await call(svc.url, '/v1/review', asSession(s))).status).toBe(401);
    expect((await call(svc.url, `/v1/moderators/${moderator.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await call(svc.url, '/v1/moderators')).body.items.map((m: { id: string }) => m.id)).not.toContain(moderator.id);
    await createModerator('gone@example.org');
    expect(await auditActions(moderator.id)).toEqual(['moderator.created', 'moderator.deleted']);
  });

  it('refuses an admin disabling, demoting or deleting itself (409), and a moderator managing accounts (403)', async () => {
    const admin = await createModerator('self@example.org', 'admin');
    const id = admin.moderator.id;
    for (const [method, body] of [
      ['PATCH', { disabled: true }],
      ['PATCH', { role: 'moderator' }],
      ['DELETE', undefined],
    ] as const) {
      const r = await call(svc.url, `/v1/moderators/${id}`, { key: admin.apiKey, method, body });
      expect([method, r.status, r.headers.get('content-type')]).toEqual([method, 409, expect.stringMatching(/^application\/problem\+json/)]);
    }
    expect((await call(svc.url, '/v1/review', { key: admin.apiKey })).status).toBe(200);
    const mod = await createModerator('plain@example.org');
    expect((await call(svc.url, `/v1/moderators/${id}`, { key: mod.apiKey, method: 'PATCH', body: { disabled: true } })).status).toBe(403);
    expect((await call(svc.url, `/v1/moderators/${id}/rotate-key`, { key: mod.apiKey, method: 'POST' })).status).toBe(403);
  });

  it("a site-bound admin manages its own site's accounts only; another site's are 404", async () => {
    const siteAdmin = await call(svc.url, '/v1/keys', { body: { name: 'a admin', scopes: ['admin'], site: 'site-a' } });
    const a = (await call(svc.url, '/v1/moderators', { key: siteAdmin.body.secret, body: { email: 'of-a@example.org', password: PASSWORD } })).body;
    const unbound = await createModerator('of-all@example.org');
    expect((await call(svc.url, `/v1/moderators/${unbound.moderator.id}`, { key: siteAdmin.body.secret, method: 'PATCH', body: { disabled: true } })).status).toBe(404);
    expect((await call(svc.url, `/v1/moderators/${unbound.moderator.id}/rotate-key`, { key: siteAdmin.body.secret, method: 'POST' })).status).toBe(404);
    expect((await call(svc.url, `/v1/moderators/${unbound.moderator.id}`, { key: siteAdmin.body.secret, method: 'DELETE' })).status).toBe(404);
    expect((await call(svc.url, '/v1/review', { key: unbound.apiKey })).status).toBe(200);
    const own = await call(svc.url, `/v1/moderators/${a.id}`, { key: siteAdmin.body.secret, method: 'PATCH', body: { disabled: true } });
    expect(own.status).toBe(200);
    // Recorded as the key's doing.
    const entry = (await call(svc.url, '/v1/audit?limit=500')).body.items.find((e: { subject: string; action: string }) => e.subject === a.id && e.action === 'moderator.disabled');
    expect(entry.moderatorId).toBe(siteAdmin.body.id);
  });

  it('answers 422 problems for a malformed id or an empty change', async () => {
    expect((await call(svc.url, '/v1/moderators/nope', { method: 'PATCH', body: { disabled: true } })).status).toBe(422);
    const { moderator } = await createModerator('empty@example.org');
    const empty = await call(svc.url, `/v1/moderators/${moderator.id}`, { method: 'PATCH', body: {} });
    expect(empty.status).toBe(422);
    expect(empty.body.detail).toMatch(/at least one of role, disabled, password/);
    expect((await call(svc.url, '/v1/moderators/mod_AAAAAAAAAAAA', { method: 'DELETE' })).status).toBe(404);
  });
});
