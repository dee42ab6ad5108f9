import { type Receiver, startReceiver } from '../helpers/receiver';
import { call, eventually, startService, type TestService } from '../helpers/service';

/**
 * An admin bound to one site (a scoped key with the admin scope, or an admin account with a site)
 * acts only inside that site: its keys, accounts and webhook endpoints, and its site's events.
 * Only an unbound admin acts across sites.
 */
let svc: TestService;
let receiver: Receiver;
const PASSWORD = 'a perfectly long password';

async function key(scopes: string[], site: string, as?: string) {
  const r = await call(svc.url, '/v1/keys', { key: as, body: { name: `${site} ${scopes.join(' ')}`, scopes, site } });
  expect(r.status).toBe(201);
  return { id: r.body.id as string, key: r.body.secret as string, site: r.body.site as string };
}

let adminA: { id: string; key: string };
let keyB: { id: string; key: string };
beforeAll(async () => {
  svc = await startService('site-admin', 'all', { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCHEDULE: '40ms' });
  receiver = await startReceiver();
  await eventually(async () => ((await call(svc.url, '/readyz', { key: null })).status === 200 ? true : undefined));
  adminA = await key(['admin'], 'siteA');
  keyB = await key(['comments:read'], 'siteB');
}, 30_000);
afterAll(async () => {
  await receiver?.close();
  await svc?.stop();
});

describe('keys', () => {
  it("a site-bound admin creates keys for its own site only; another site's is 403", async () => {
    const other = await call(svc.url, '/v1/keys', { key: adminA.key, body: { name: 'x', scopes: ['comments:read'], site: 'siteB' } });
    expect(other.status).toBe(403);
    expect(other.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(other.body.detail).toMatch(/bound to site siteA/);
    const own = await key(['comments:write'], 'siteA', adminA.key);
    expect(own.site).toBe('siteA');
  });

  it("lists only its site's keys, and can't revoke another site's (404, as if it did not exist)", async () => {
    const listed = (await call(svc.url, '/v1/keys', { key: adminA.key })).body.items as { id: string; site: string }[];
    expect(listed.map((k) => k.id)).toContain(adminA.id);
    expect(listed.map((k) => k.id)).not.toContain(keyB.id);
    expect(new Set(listed.map((k) => k.site))).toEqual(new Set(['siteA']));
    const revoke = await call(svc.url, `/v1/keys/${keyB.id}`, { key: adminA.key, method: 'DELETE' });
    expect(revoke.status).toBe(404);
    // Still working.
    expect((await call(svc.url, '/v1/review', { key: keyB.key })).status).toBe(200);
    // The unbound admin key sees both sites.
    const all = (await call(svc.url, '/v1/keys')).body.items.map((k: { id: string }) => k.id);
    expect(all).toEqual(expect.arrayContaining([adminA.id, keyB.id]));
  });
});

describe('accounts', () => {
  it('a site-bound admin creates accounts bound to its site, never unbound or of another site', async () => {
    const made = await call(svc.url, '/v1/moderators', { key: adminA.key, body: { email: 'a-admin@example.org', password: PASSWORD, role: 'admin' } });
    expect(made.status).toBe(201);
    expect(made.body.site).toBe('siteA');
    const elsewhere = await call(svc.url, '/v1/moderators', { key: adminA.key, body: { email: 'b-admin@example.org', password: PASSWORD, role: 'admin', site: 'siteB' } });
    expect(elsewhere.status).toBe(403);
    // The account it made acts in siteA only: it can't make a key for siteB either.
    const viaAccount = await call(svc.url, '/v1/keys', { key: made.body.secret, body: { name: 'x', scopes: ['admin'], site: 'siteB' } });
    expect(viaAccount.status).toBe(403);
    // Nor see what spans every site.
    expect((await call(svc.url, '/v1/audit', { key: made.body.secret })).status).toBe(403);
  });

  it("lists only its site's accounts; an unbound admin creates unbound ones", async () => {
    const unbound = await call(svc.url, '/v1/moderators', { body: { email: 'everywhere@example.org', password: PASSWORD } });
    expect(unbound.status).toBe(201);
    expect(unbound.body.site).toBeUndefined();
    const mine = (await call(svc.url, '/v1/moderators', { key: adminA.key })).body.items as { email: string; site?: string }[];
    expect(mine.map((m) => m.email)).toContain('a-admin@example.org');
    expect(mine.map((m) => m.email)).not.toContain('everywhere@example.org');
    const all = (await call(svc.url, '/v1/moderators')).body.items.map((m: { email: string }) => m.email);
    expect(all).toEqual(expect.arrayContaining(['a-admin@example.org', 'everywhere@example.org']));
  });

  it("an account bound to a site sees only its site's comments", async () => {
    const made = await call(svc.url, '/v1/moderators', { body: { email: 'reader-b@example.org', password: PASSWORD, site: 'siteB' } });
    expect(made.status).toBe(201);
    expect((await call(svc.url, '/v1/comments', { body: { id: 'acct-a-1', site: 'siteA', articleId: 'a', author: { id: 'u' }, text: 'hello there' } })).status).toBe(202);
    expect((await call(svc.url, '/v1/comments/acct-a-1', { key: made.body.secret })).status).toBe(404);
    expect((await call(svc.url, '/v1/comments/acct-a-1')).status).toBe(200);
  });
});

describe('webhooks', () => {
  it("a site-bound admin's endpoint is of its site: it gets that site's events only, and other sites' endpoints are invisible", async () => {
    const unboundEp = await call(svc.url, '/v1/webhooks', { body: { url: `${receiver.url}?all`, events: ['comment.approved'] } });
    expect(unboundEp.status).toBe(201);
    expect(unboundEp.body.site).toBeUndefined();
    const bEp = await call(svc.url, '/v1/webhooks', { body: { url: `${receiver.url}?b`, site: 'siteB', events: ['comment.approved'] } });
    expect(bEp.body.site).toBe('siteB');
    const aEp = await call(svc.url, '/v1/webhooks', { key: adminA.key, body: { url: `${receiver.url}?a`, events: ['comment.approved'] } });
    expect(aEp.status).toBe(201);
    expect(aEp.body.site).toBe('siteA');
    expect((await call(svc.url, '/v1/webhooks', { key: adminA.key, body: { url: `${receiver.url}?x`, site: 'siteB', events: ['comment.approved'] } })).status).toBe(403);

    const listed = (await call(svc.url, '/v1/webhooks', { key: adminA.key })).body.items.map((e: { id: string }) => e.id);
    expect(listed).toEqual([aEp.body.id]);
    for (const [method, path] of [
      ['GET', ''],
      ['PATCH', ''],
      ['POST', '/ping'],
      ['POST', '/rotate-secret'],
      ['GET', '/deliveries'],
      ['DELETE', ''],
    ]) {
      const r = await call(svc.url, `/v1/webhooks/${bEp.body.id}${path}`, { key: adminA.key, method, ...(method === 'PATCH' && { body: { enabled: false } }) });
      expect([method, path, r.status]).toEqual([method, path, 404]);
    }

    for (const [id, site] of [
      ['wh-a-1', 'siteA'],
      ['wh-b-1', 'siteB'],
    ]) {
      expect((await call(svc.url, '/v1/comments?wait=5000', { body: { id, site, articleId: 'a', author: { id: 'u' }, text: `Thanks for the article ${id}` } })).status).toBe(200);
    }
    // Every delivery's webhook-id ends with its endpoint's id; its body names the comment.
    const commentsFor = (epId: string) =>
      receiver.requests
        .filter((r) => String(r.headers['webhook-id']).endsWith(`_${epId}`))
        .map((r) => JSON.parse(r.body).data.commentId as string)
        .sort();
    await eventually(async () => (commentsFor(unboundEp.body.id).length >= 2 && commentsFor(aEp.body.id).length >= 1 && commentsFor(bEp.body.id).length >= 1 ? true : undefined), 15_000);
    expect(commentsFor(aEp.body.id)).toEqual(['wh-a-1']);
    expect(commentsFor(bEp.body.id)).toEqual(['wh-b-1']);
    expect(commentsFor(unboundEp.body.id)).toEqual(['wh-a-1', 'wh-b-1']);
  }, 30_000);
});
