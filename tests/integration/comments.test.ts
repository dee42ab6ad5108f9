import { CATEGORIES } from '../../src/engine';
import { VerdictSchema } from '../../src/engine/verdict';
import { CommentSchema } from '../../src/domain/comment';
import { call, eventually, startService, storedCommentIds, type TestService } from '../helpers/service';

let svc: TestService;
beforeAll(async () => {
  svc = await startService('comments');
});
afterAll(async () => {
  await svc.stop();
});

const comment = (over: Record<string, unknown> = {}) => ({
  articleId: 'helsinki-summit',
  author: { id: 'reader-1', name: 'Reader One' },
  text: 'The summit changed nothing, as far as I can tell.',
  ...over,
});

async function decided(id: string) {
  return eventually(async () => {
    const r = await call(svc.url, `/v1/comments/${id}`);
    return r.body?.status !== 'queued' ? r.body : undefined;
  });
}

describe('POST /v1/comments', () => {
  it('accepts a comment (202), and the worker decides it through the queue', async () => {
    const r = await call(svc.url, '/v1/comments', { body: comment({ id: 'c-flow-1', text: 'You are an idiot and a liar.' }) });
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ id: 'c-flow-1', status: 'queued' });
    expect(r.headers.get('location')).toBe('/v1/comments/c-flow-1');
    const c = await decided('c-flow-1');
    expect(() => CommentSchema.parse(c)).not.toThrow();
    expect(c.status).toBe('rejected');
    expect(c.verdict.decidedBy).toBe('auto');
    expect(Object.keys(c.verdict.categories).sort()).toEqual([...CATEGORIES].sort());
    const ev = c.verdict.categories.discourtesy.evidence[0];
    expect(c.text.slice(ev.start, ev.end)).toBe(ev.text);
  });

  it('generates an id when the client sends none', async () => {
    const r = await call(svc.url, '/v1/comments', { body: comment() });
    expect(r.status).toBe(202);
    expect(r.body.id).toMatch(/^cmt_[A-Za-z0-9_-]{16}$/);
    expect((await decided(r.body.id)).status).toBe('approved');
  });

  it('answers 200 with the decided comment when ?wait= is long enough', async () => {
    const r = await call(svc.url, '/v1/comments?wait=5000', { body: comment({ id: 'c-wait', text: 'hang every one of them' }) });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('rejected');
    expect(r.body.verdict.categories.violence.flagged).toBe(true);
    expect(() => VerdictSchema.parse(r.body.verdict)).not.toThrow();
  });

  it('is idempotent by id: same record, one verdict, one event', async () => {
    const body = comment({ id: 'c-idem', text: 'What a moron.' });
    const first = await call(svc.url, '/v1/comments', { body });
    expect(first.status).toBe(202);
    await decided('c-idem');
    const again = await call(svc.url, '/v1/comments', { body });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual({ id: 'c-idem', status: 'held' });
    const events = await svc.redis.xrange(`${svc.prefix}:events`, '-', '+');
    expect(events.filter(([, f]) => f[f.indexOf('commentId') + 1] === 'c-idem')).toHaveLength(1);
  });

  it('refuses the same id with different content (409)', async () => {
    await call(svc.url, '/v1/comments', { body: comment({ id: 'c-conflict' }) });
    const r = await call(svc.url, '/v1/comments', { body: comment({ id: 'c-conflict', text: 'something else entirely' }) });
    expect(r.status).toBe(409);
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('accepts numeric-looking and colon ids that BullMQ would refuse as job ids', async () => {
    for (const id of ['12345', 'wp:987']) {
      const r = await call(svc.url, '/v1/comments', { body: comment({ id }) });
      expect(r.status).toBe(202);
      expect((await decided(encodeURIComponent(id))).id).toBe(id);
    }
  });
});

describe('GET /v1/comments/:id', () => {
  it('404s with a problem body for an unknown id', async () => {
    const r = await call(svc.url, '/v1/comments/nope');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ status: 404, title: 'Not found' });
  });
});

describe('POST /v1/moderate', () => {
  it('returns a verdict at once and stores nothing', async () => {
    const before = (await storedCommentIds(svc.redis, svc.prefix)).length;
    const r = await call(svc.url, '/v1/moderate', { body: { text: 'THIS IS THE WORST SUMMIT IN HISTORY, TOTAL DISGRACE' } });
    expect(r.status).toBe(200);
    expect(r.body.decision).toBe('rejected');
    expect(r.body.categories.all_caps).toMatchObject({ flagged: true, severity: 'high' });
    expect(await storedCommentIds(svc.redis, svc.prefix)).toHaveLength(before);
  });
});

describe('health', () => {
  it('reports liveness and readiness without auth', async () => {
    expect((await call(svc.url, '/healthz', { key: null })).body).toEqual({ status: 'ok' });
    const ready = await call(svc.url, '/readyz', { key: null });
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ready');
  });
});

describe('indexes', () => {
  it('files decided comments by status, article and author, and counts their flags per day', async () => {
    const day = Math.floor(Date.now() / 86_400_000);
    const counter = `${svc.prefix}:stats:flags:${day}`;
    const before = Number((await svc.redis.hget(counter, 'discourtesy')) ?? 0);
    const r = await call(svc.url, '/v1/comments?wait=5000', { body: comment({ id: 'c-idx', articleId: 'syria-strike', author: { id: 'idx-author' }, text: 'What a moron.' }) });
    expect(r.status).toBe(200);
    expect(await svc.redis.zscore(`${svc.prefix}:idx:status:held`, 'c-idx')).not.toBeNull();
    expect(await svc.redis.zscore(`${svc.prefix}:idx:status:queued`, 'c-idx')).toBeNull();
    expect(await svc.redis.zscore(`${svc.prefix}:idx:article:syria-strike`, 'c-idx')).not.toBeNull();
    expect(await svc.redis.zscore(`${svc.prefix}:idx:author:idx-author`, 'c-idx')).not.toBeNull();
    // Counted on the day it was submitted (a new day's counter if the run crossed midnight).
    const submittedDay = Math.floor(Date.parse(r.body.submittedAt) / 86_400_000);
    const after = Number(await svc.redis.hget(`${svc.prefix}:stats:flags:${submittedDay}`, 'discourtesy'));
    expect(after).toBe(submittedDay === day ? before + 1 : 1);
  });
});
