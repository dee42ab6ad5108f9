import { ADMIN_KEY, call, startService, type TestService } from '../helpers/service';

let svc: TestService;
let mod: { id: string; key: string };

const held = ['What a moron.', 'Shut up, you.', 'What an idiot that minister is.', 'buy cheap pills at http://spam.example.com now'];

async function post(id: string, text: string, over: Record<string, unknown> = {}) {
  const r = await call(svc.url, '/v1/comments?wait=5000', { body: { id, articleId: 'summit', author: { id: 'u-1', name: 'Una' }, text, ...over } });
  expect(r.status).toBe(200);
  return r.body;
}

beforeAll(async () => {
  svc = await startService('review');
  const created = await call(svc.url, '/v1/moderators', { body: { email: 'rev@example.org', password: 'a perfectly long password' } });
  mod = { id: created.body.id, key: created.body.secret };
  // Sequential, so submission order (the queue's order) is the order posted here.
  for (const [i, text] of held.entries()) {
    expect((await post(`h${i}`, text, i === 3 ? { articleId: 'markets', author: { id: 'u-2' } } : {})).status).toBe('held');
  }
  expect((await post('ok1', 'A thoughtful piece, thank you.')).status).toBe('approved');
}, 30_000);
afterAll(async () => {
  await svc.stop();
});

const review = (qs: string, key = mod.key) => call(svc.url, `/v1/review${qs}`, { key });
const ids = (body: { items: { id: string }[] }) => body.items.map((c) => c.id);

describe('GET /v1/review', () => {
  it('lists held comments oldest first by default, with verdicts', async () => {
    const r = await review('');
    expect(r.status).toBe(200);
    expect(ids(r.body)).toEqual(['h0', 'h1', 'h2', 'h3']);
    expect(r.body.nextCursor).toBeNull();
    expect(r.body.items[0].verdict.categories.discourtesy.flagged).toBe(true);
  });

  it('pages with a cursor, without repeats or gaps, in either order', async () => {
    const first = await review('?limit=2');
    expect(ids(first.body)).toEqual(['h0', 'h1']);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await review(`?limit=2&cursor=${first.body.nextCursor}`);
    expect(ids(second.body)).toEqual(['h2', 'h3']);
    expect(second.body.nextCursor).toBeNull();
    const newest = await review('?order=newest&limit=3');
    expect(ids(newest.body)).toEqual(['h3', 'h2', 'h1']);
    const rest = await review(`?order=newest&limit=3&cursor=${newest.body.nextCursor}`);
    expect(ids(rest.body)).toEqual(['h0']);
  });

  it('filters by category, article, author and text', async () => {
    expect(ids((await review('?category=spam')).body)).toEqual(['h3']);
    expect(ids((await review('?articleId=markets')).body)).toEqual(['h3']);
    expect(ids((await review('?authorId=u-1')).body)).toEqual(['h0', 'h1', 'h2']);
    expect(ids((await review('?q=MINISTER')).body)).toEqual(['h2']);
    expect(ids((await review('?status=approved')).body)).toEqual(['ok1']);
    expect(ids((await review('?status=all&authorId=u-1&order=newest')).body)).toEqual(['ok1', 'h2', 'h1', 'h0']);
    // A blank filter is no filter, as a form sends it.
    expect(ids((await review('?category=&articleId=')).body)).toHaveLength(4);
  });

  it('answers 422 problems for a bad filter or a cursor it never issued', async () => {
    const bad = await review('?category=nonsense');
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await review('?cursor=garbage')).status).toBe(422);
    expect((await review('?limit=1000')).status).toBe(422);
  });

  it('counts each queue', async () => {
    const r = await call(svc.url, '/v1/review/counts', { key: mod.key });
    expect(r.body).toMatchObject({ held: 4, approved: 1, rejected: 0, queued: 0 });
  });

  it('counts per day by decision and category', async () => {
    const r = await call(svc.url, '/v1/review/stats?days=3', { key: mod.key });
    expect(r.status).toBe(200);
    expect(r.body.days).toHaveLength(3);
    // Summed over the days: a run straddling midnight UTC splits them across two.
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(r.body.byDecision.held)).toBe(4);
    expect(sum(r.body.byDecision.approved)).toBe(1);
    expect(sum(r.body.byCategory.spam)).toBe(1);
    expect(r.body.byDecision.held[0]).toBe(0);
  });
});

describe('POST /v1/comments/:id/decision', () => {
  it("replaces the verdict, keeps the automatic one in history, writes the audit log and emits the event", async () => {
    const before = await svc.redis.xlen(`${svc.prefix}:events`);
    const r = await call(svc.url, '/v1/comments/h1/decision', { key: mod.key, body: { decision: 'rejected', reason: 'telling readers to shut up' } });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('rejected');
    expect(r.body.verdict).toMatchObject({ decision: 'rejected', decidedBy: mod.id, reason: 'telling readers to shut up' });
    // Same categories and evidence: the record still says why it was flagged.
    expect(r.body.verdict.categories.discourtesy.evidence.length).toBeGreaterThan(0);
    expect(r.body.history).toHaveLength(1);
    expect(r.body.history[0]).toMatchObject({ decision: 'held', decidedBy: 'auto' });

    const events = await svc.redis.xrange(`${svc.prefix}:events`, '-', '+');
    expect(events.length).toBe(before + 1);
    const [, fields] = events[events.length - 1];
    expect(fields).toEqual(['type', 'comment.rejected', 'commentId', 'h1', 'decidedBy', mod.id, 'previousStatus', 'held', 'at', expect.any(String), 'reason', 'telling readers to shut up']);

    const audit = await call(svc.url, '/v1/audit', { key: mod.key });
    expect(audit.body.items[0]).toMatchObject({ moderatorId: mod.id, moderatorEmail: 'rev@example.org', commentId: 'h1', from: 'held', to: 'rejected', reason: 'telling readers to shut up' });
    expect(ids((await review('')).body)).not.toContain('h1');
    expect(ids((await review('?status=rejected')).body)).toEqual(['h1']);
  });

  it('reverses a decision: the history keeps both earlier verdicts', async () => {
    const r = await call(svc.url, '/v1/comments/h1/decision', { key: mod.key, body: { decision: 'approved' } });
    expect(r.status).toBe(200);
    expect(r.body.verdict.decidedBy).toBe(mod.id);
    expect(r.body.verdict.reason).toBeUndefined();
    expect(r.body.history.map((v: { decision: string }) => v.decision)).toEqual(['held', 'rejected']);
    const audit = await call(svc.url, '/v1/audit?limit=1', { key: mod.key });
    expect(audit.body.items[0]).toMatchObject({ from: 'rejected', to: 'approved', reason: '' });
    expect(audit.body.nextCursor).toEqual(expect.any(String));
    const older = await call(svc.url, `/v1/audit?limit=1&cursor=${encodeURIComponent(audit.body.nextCursor)}`, { key: mod.key });
    expect(older.body.items[0]).toMatchObject({ from: 'held', to: 'rejected' });
  });

  it('records the admin key as "admin"', async () => {
    const r = await call(svc.url, '/v1/comments/h2/decision', { body: { decision: 'approved' } });
    expect(r.body.verdict.decidedBy).toBe('admin');
  });

  it('answers 404 for an unknown comment, 422 for a bad decision', async () => {
    expect((await call(svc.url, '/v1/comments/nope/decision', { key: mod.key, body: { decision: 'approved' } })).status).toBe(404);
    const bad = await call(svc.url, '/v1/comments/h0/decision', { key: mod.key, body: { decision: 'held' } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe('decision');
  });

  it('exports the audit log as CSV, oldest first, with formulas neutralised', async () => {
    await call(svc.url, '/v1/comments/h0/decision', { key: mod.key, body: { decision: 'rejected', reason: '=HYPERLINK("x"), "quoted"' } });
    const res = await fetch(`${svc.url}/v1/audit/export.csv`, { headers: { authorization: `Bearer ${mod.key}` } });
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const all = (await res.text()).trim().split('\r\n');
    expect(all[0]).toBe('id,at,moderatorId,moderatorEmail,commentId,from,to,reason,action,subject');
    // The account this suite created is in the log too (checked in accounts.test.ts); the decisions here.
    expect(all.filter((l) => l.endsWith(',moderator.created,' + mod.id))).toHaveLength(1);
    const lines = [all[0], ...all.slice(1).filter((l) => l.endsWith(',decision,'))];
    expect(lines).toHaveLength(5);
    expect(lines[1]).toContain(',h1,held,rejected,telling readers to shut up');
    expect(lines[3]).toContain(',admin,(admin key),h2,held,approved,');
    expect(lines[4].endsWith(`,h0,held,rejected,"'=HYPERLINK(""x""), ""quoted""",decision,`)).toBe(true);
  });
});

describe('GET /v1/review?order=severity', () => {
  it('orders by severity (most severe flag first, oldest first within), paging across ranks', async () => {
    // Posted in an order that differs from the severity order, so the test tells them apart.
    await post('sev-ok', 'Thanks for this.', { articleId: 'sev', author: { id: 'u-sev' } });
    await post('sev-med', 'What a moron.', { articleId: 'sev', author: { id: 'u-sev' } });
    await post('sev-high', 'Everyone who disagrees is a moron and a liar, you people are stupid', { articleId: 'sev', author: { id: 'u-sev' } });
    await post('sev-med2', 'Shut up.', { articleId: 'sev', author: { id: 'u-sev' } });
    const all = await review('?status=all&articleId=sev&order=severity');
    expect(all.status).toBe(200);
    const ranks = all.body.items.map((c: { id: string }) => c.id);
    expect(ranks).toEqual(['sev-high', 'sev-med', 'sev-med2', 'sev-ok']);
    // One item a page: the cursor carries the rank across the boundary, nothing repeats or drops.
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const r: { body: { items: { id: string }[]; nextCursor: string | null } } = await review(`?status=all&articleId=sev&order=severity&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...ids(r.body));
      cursor = r.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(ranks);
  });
});

describe('GET /v1/review/stream', () => {
  it('sends each new decision as a server-sent event', async () => {
    const controller = new AbortController();
    const res = await fetch(`${svc.url}/v1/review/stream`, { headers: { authorization: `Bearer ${mod.key}` }, signal: controller.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    // Wait for the opening `retry:` line so the reader is listening before the decision.
    while (!text.includes('retry:')) text += decoder.decode((await reader.read()).value);
    await call(svc.url, '/v1/comments/h3/decision', { key: mod.key, body: { decision: 'rejected', reason: 'spam' } });
    while (!text.includes('event: decision')) text += decoder.decode((await reader.read()).value);
    while (!text.includes('\n\n', text.indexOf('event: decision'))) text += decoder.decode((await reader.read()).value);
    const data = JSON.parse(/data: (.*)\n/.exec(text.slice(text.indexOf('event: decision')))![1]);
    expect(data).toMatchObject({ type: 'comment.rejected', commentId: 'h3', decidedBy: mod.id, previousStatus: 'held', reason: 'spam' });
    controller.abort();
  });
});

describe('shutdown with dashboards listening', () => {
  it('ends open event streams so stop() does not wait on them', async () => {
    const own = await startService('review-stop', 'api');
    const res = await fetch(`${own.url}/v1/review/stream`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    const reader = res.body!.getReader();
    await reader.read(); // the stream is open and its reader blocked on Redis
    const started = Date.now();
    await own.stop();
    expect(Date.now() - started).toBeLessThan(3000);
    // The server ended the stream: the client sees its end rather than hanging.
    let done = false;
    while (!done) done = (await reader.read()).done;
  });
});
