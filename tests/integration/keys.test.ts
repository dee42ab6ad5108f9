import { createHash } from 'node:crypto';
import { call, eventually, startService, type TestService } from '../helpers/service';

let svc: TestService;

async function createKey(name: string, scopes: string[], site: string): Promise<{ id: string; key: string }> {
  const r = await call(svc.url, '/v1/keys', { body: { name, scopes, site } });
  expect(r.status).toBe(201);
  return { id: r.body.id, key: r.body.secret };
}

let submitted = 0;
/** Submits a comment the default policy holds (a text of its own, so the spam rule's repeat count stays out of it), and waits for its verdict. */
async function heldComment(id: string, key?: string, site?: string): Promise<void> {
  const r = await call(svc.url, '/v1/comments', { key, body: { id, ...(site && { site }), articleId: 'a-1', author: { id: 'u-1' }, text: `What a moron${'.'.repeat(++submitted)}` } });
  expect(r.status).toBe(202);
  const status = await eventually(async () => {
    const s = (await call(svc.url, `/v1/comments/${id}`)).body.status;
    return s === 'queued' ? undefined : s;
  }, 20_000);
  expect(status).toBe('held');
}

beforeAll(async () => {
  svc = await startService('keys');
  await eventually(async () => ((await call(svc.url, '/readyz', { key: null })).status === 200 ? true : undefined));
});
afterAll(async () => {
  await svc?.stop();
});

describe('/v1/keys', () => {
  it('creates a key shown once, lists it without a secret, and a revoked key is refused at once', async () => {
    const created = await call(svc.url, '/v1/keys', { body: { name: 'CMS of site A', scopes: ['comments:read'], site: 'site-a' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'CMS of site A', scopes: ['comments:read'], site: 'site-a' });
    expect(created.body.secret).toMatch(/^dk_/);
    expect(created.body.id).toMatch(/^key_/);
    const { id, secret: key } = created.body;

    const list = await call(svc.url, '/v1/keys');
    expect(list.status).toBe(200);
    const listed = list.body.items.find((k: { id: string }) => k.id === id);
    expect(listed).toEqual({ id, name: 'CMS of site A', scopes: ['comments:read'], site: 'site-a', createdAt: created.body.createdAt });
    expect(JSON.stringify(list.body)).not.toContain(key);

    expect((await call(svc.url, '/v1/review', { key })).status).toBe(200);
    expect((await call(svc.url, `/v1/keys/${id}`, { method: 'DELETE' })).status).toBe(204);
    // The very next request: no cache, no grace period.
    expect((await call(svc.url, '/v1/review', { key })).status).toBe(401);
    expect((await call(svc.url, '/v1/keys')).body.items.map((k: { id: string }) => k.id)).not.toContain(id);
    expect((await call(svc.url, `/v1/keys/${id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('is for admins only, and refuses unknown scopes and bad sites', async () => {
    const reader = await createKey('reader', ['comments:read', 'moderate'], 'site-a');
    expect((await call(svc.url, '/v1/keys', { key: reader.key })).status).toBe(403);
    expect((await call(svc.url, '/v1/keys', { key: reader.key, body: { name: 'x', scopes: ['admin'], site: 'site-a' } })).status).toBe(403);
    expect((await call(svc.url, '/v1/keys', { body: { name: 'x', scopes: ['root'], site: 'site-a' } })).status).toBe(422);
    expect((await call(svc.url, '/v1/keys', { body: { name: 'x', scopes: [], site: 'site-a' } })).status).toBe(422);
    expect((await call(svc.url, '/v1/keys', { body: { name: 'x', scopes: ['comments:read'], site: 'a b/c' } })).status).toBe(422);
    // A key with the admin scope manages keys too.
    const admin = await createKey('ops', ['admin'], 'site-a');
    expect((await call(svc.url, '/v1/keys', { key: admin.key })).status).toBe(200);
  });

  it('stores keys only as SHA-256 digests: the plain key is nowhere in Redis', async () => {
    const { key } = await createKey('hashed', ['comments:write'], 'site-h');
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, names] = await svc.redis.scan(cursor, 'MATCH', `${svc.prefix}:*`, 'COUNT', 1000);
      cursor = next;
      found.push(...names);
    } while (cursor !== '0');
    const dump: string[] = [];
    for (const name of found) {
      const type = await svc.redis.type(name);
      if (type === 'string') dump.push((await svc.redis.get(name)) ?? '');
      else if (type === 'hash') dump.push(JSON.stringify(await svc.redis.hgetall(name)));
      else if (type === 'zset') dump.push(JSON.stringify(await svc.redis.zrange(name, 0, -1)));
      else if (type === 'set') dump.push(JSON.stringify(await svc.redis.smembers(name)));
      else if (type === 'list') dump.push(JSON.stringify(await svc.redis.lrange(name, 0, -1)));
      else if (type === 'stream') dump.push(JSON.stringify(await svc.redis.xrange(name, '-', '+')));
      dump.push(name);
    }
    const all = dump.join('\n');
    expect(all).not.toContain(key);
    expect(all).not.toContain(key.slice(3));
    // The check can fail: the digest is there.
    expect(all).toContain(createHash('sha256').update(key).digest('base64url'));
  });
});

describe('scopes', () => {
  let writer: { id: string; key: string };
  let reader: { id: string; key: string };
  let moderator: { id: string; key: string };
  beforeAll(async () => {
    writer = await createKey('writer', ['comments:write'], 'scoped');
    reader = await createKey('reader', ['comments:read'], 'scoped');
    moderator = await createKey('moderator', ['moderate'], 'scoped');
    await heldComment('sc-1', writer.key);
  });

  it('comments:write submits, but may not read or decide', async () => {
    expect((await call(svc.url, '/v1/comments/sc-1', { key: writer.key })).status).toBe(403);
    expect((await call(svc.url, '/v1/review', { key: writer.key })).status).toBe(403);
    expect((await call(svc.url, '/v1/comments/sc-1/decision', { key: writer.key, body: { decision: 'approved' } })).status).toBe(403);
    expect((await call(svc.url, '/v1/moderate', { key: writer.key, body: { text: 'hello' } })).status).toBe(200);
  });

  it('comments:read reads, but may not submit or decide', async () => {
    const got = await call(svc.url, '/v1/comments/sc-1', { key: reader.key });
    expect(got.status).toBe(200);
    expect(got.body.site).toBe('scoped');
    expect((await call(svc.url, '/v1/review?status=all', { key: reader.key })).body.items.map((c: { id: string }) => c.id)).toEqual(['sc-1']);
    const submit = await call(svc.url, '/v1/comments', { key: reader.key, body: { articleId: 'a', author: { id: 'u' }, text: 'hi' } });
    expect(submit.status).toBe(403);
    expect((await call(svc.url, '/v1/comments/sc-1/decision', { key: reader.key, body: { decision: 'approved' } })).status).toBe(403);
    expect((await call(svc.url, '/v1/webhooks', { key: reader.key })).status).toBe(403);
  });

  it('moderate decides, recorded as decided by the key', async () => {
    const decided = await call(svc.url, '/v1/comments/sc-1/decision', { key: moderator.key, body: { decision: 'approved' } });
    expect(decided.status).toBe(200);
    expect(decided.body.verdict).toMatchObject({ decision: 'approved', decidedBy: moderator.id });
    expect(moderator.id).toMatch(/^key_/);
  });
});

describe('sites', () => {
  let writerA: { id: string; key: string };
  let readerA: { id: string; key: string };
  let modA: { id: string; key: string };
  let writerB: { id: string; key: string };
  beforeAll(async () => {
    writerA = await createKey('CMS A', ['comments:write'], 'site-a');
    readerA = await createKey('reviewer A', ['comments:read', 'moderate'], 'site-a');
    modA = await createKey('moderator A', ['moderate'], 'site-a');
    writerB = await createKey('CMS B', ['comments:write'], 'site-b');
    await heldComment('site-a-1', writerA.key);
    await heldComment('site-b-1', writerB.key);
    // The admin key names the site in the body.
    await heldComment('site-b-2', undefined, 'site-b');
  });

  it("records each comment's site", async () => {
    expect((await call(svc.url, '/v1/comments/site-a-1')).body.site).toBe('site-a');
    expect((await call(svc.url, '/v1/comments/site-b-1')).body.site).toBe('site-b');
    expect((await call(svc.url, '/v1/comments/site-b-2')).body.site).toBe('site-b');
  });

  it("a key of site A can neither read nor decide site B's comments: 404, as if they did not exist", async () => {
    expect((await call(svc.url, '/v1/comments/site-a-1', { key: readerA.key })).status).toBe(200);
    const read = await call(svc.url, '/v1/comments/site-b-1', { key: readerA.key });
    expect(read.status).toBe(404);
    expect(read.body.detail).toBe((await call(svc.url, '/v1/comments/no-such-comment', { key: readerA.key })).body.detail.replace('no-such-comment', 'site-b-1'));
    const decide = await call(svc.url, '/v1/comments/site-b-1/decision', { key: modA.key, body: { decision: 'rejected' } });
    expect(decide.status).toBe(404);
    // Nothing changed.
    expect((await call(svc.url, '/v1/comments/site-b-1')).body.status).toBe('held');
  });

  it("lists only its own site's comments in review; the admin key sees every site", async () => {
    const ids = (key?: string) => call(svc.url, '/v1/review?status=all&limit=100', { key }).then((r) => r.body.items.map((c: { id: string }) => c.id) as string[]);
    const a = await ids(readerA.key);
    expect(a).toContain('site-a-1');
    expect(a).not.toContain('site-b-1');
    expect(a).not.toContain('site-b-2');
    const all = await ids();
    expect(all).toEqual(expect.arrayContaining(['site-a-1', 'site-b-1', 'site-b-2']));
  });

  it('refuses what spans every site to a key bound to one, and submitting to another site', async () => {
    expect((await call(svc.url, '/v1/review/counts', { key: readerA.key })).status).toBe(403);
    expect((await call(svc.url, '/v1/review/stats', { key: readerA.key })).status).toBe(403);
    expect((await call(svc.url, '/v1/audit', { key: readerA.key })).status).toBe(403);
    expect((await call(svc.url, '/v1/review/counts')).status).toBe(200);
    const elsewhere = await call(svc.url, '/v1/comments', { key: writerA.key, body: { site: 'site-b', articleId: 'a', author: { id: 'u' }, text: 'hi' } });
    expect(elsewhere.status).toBe(403);
  });

  it('a decision by a key of the right site applies', async () => {
    const r = await call(svc.url, '/v1/comments/site-a-1/decision', { key: modA.key, body: { decision: 'rejected', reason: 'insult' } });
    expect(r.status).toBe(200);
    expect(r.body.verdict.decidedBy).toBe(modA.id);
  });
});
