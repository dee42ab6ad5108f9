import { CommentStore } from '../../src/store/comments';
import { keys } from '../../src/store/keys';
import { type Receiver, startReceiver, verified } from '../helpers/receiver';
import { call, eventually, startService, type TestService } from '../helpers/service';

/**
 * Deliveries to real HTTP receivers on loopback, on a retry schedule of milliseconds. Every
 * delivery a receiver gets is verified with the standardwebhooks package.
 */
const SCHEDULE = [40, 80, 160];
let svc: TestService;
const receivers: Receiver[] = [];

beforeAll(async () => {
  svc = await startService('webhooks', 'all', {
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_RETRY_SCHEDULE: SCHEDULE.map((ms) => `${ms}ms`).join(','),
    WEBHOOK_TIMEOUT_MS: '300',
  });
});

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await svc.stop();
});

async function receiver(...args: Parameters<typeof startReceiver>) {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
}

async function endpoint(url: string, events = ['comment.approved', 'comment.held', 'comment.rejected']) {
  const res = await call(svc.url, '/v1/webhooks', { body: { url, events, description: 'test receiver' } });
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string };
}

let seq = 0;
async function submit(text: string): Promise<string> {
  const id = `wh-${++seq}-${Date.now()}`;
  const res = await call(svc.url, '/v1/comments', { body: { id, articleId: 'a-webhooks', author: { id: 'u-1' }, text } });
  expect(res.status).toBe(202);
  return id;
}

const deliveries = async (endpointId: string) => (await call(svc.url, `/v1/webhooks/${endpointId}/deliveries`)).body;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Longer than the whole retry schedule with jitter: after this, no more attempts are coming. */
const SCHEDULE_OVER_MS = SCHEDULE.reduce((a, b) => a + b, 0) * 1.2 + 300;

describe('webhook endpoints', () => {
  it('are created with a whsec_ secret shown once, then listed, read, updated and deleted', async () => {
    const created = await call(svc.url, '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/x', events: ['comment.rejected'] } });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.body).toMatchObject({ url: 'http://127.0.0.1:9/x', events: ['comment.rejected'], enabled: true });
    const id = created.body.id;
    expect(created.headers.get('location')).toBe(`/v1/webhooks/${id}`);

    const read = await call(svc.url, `/v1/webhooks/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.secret).toBeUndefined();
    const list = await call(svc.url, '/v1/webhooks');
    expect(list.body.items.map((e: { id: string }) => e.id)).toContain(id);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');

    const patched = await call(svc.url, `/v1/webhooks/${id}`, { method: 'PATCH', body: { events: ['comment.held', 'comment.approved'], enabled: false } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ events: ['comment.held', 'comment.approved'], enabled: false });

    expect((await call(svc.url, `/v1/webhooks/${id}`, { method: 'DELETE' })).status).toBe(204);
    const gone = await call(svc.url, `/v1/webhooks/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses bad input with problem+json naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ url: 'ftp://example.com/x', events: ['comment.held'] }, 'url'],
      [{ url: 'https://example.com/x', events: ['comment.deleted'] }, 'events.0'],
      [{ url: 'https://example.com/x', events: [] }, 'events'],
      [{ url: 'https://example.com/x', events: ['ping'] }, 'events.0'],
      [{ url: 'https://example.com/x', events: ['comment.held'], secret: 'mine' }, '(body)'],
    ];
    for (const [body, path] of cases) {
      const res = await call(svc.url, '/v1/webhooks', { body });
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    expect((await call(svc.url, '/v1/webhooks', { body: { url: 'https://example.com', events: ['comment.held'] }, key: null })).status).toBe(401);
    expect((await call(svc.url, '/v1/webhooks/ep_00000000000000000000/ping', { method: 'POST' })).status).toBe(404);
    expect((await call(svc.url, '/v1/webhooks/nope', { method: 'PATCH', body: { enabled: true } })).status).toBe(422);
  });
});

describe('delivery', () => {
  it('sends a signed comment.<decision> for an automatic decision, with the verdict, and logs it', async () => {
    const r = await receiver();
    const ep = await endpoint(r.url, ['comment.rejected']);
    const id = await submit('You are an idiot.');
    await eventually(async () => (r.requests.length >= 1 ? true : undefined));
    const payload = verified(ep.secret, r.requests[0]);
    expect(payload).toMatchObject({ type: 'comment.rejected', data: { commentId: id, articleId: 'a-webhooks', authorId: 'u-1', status: 'rejected', previousStatus: 'queued', decidedBy: 'auto', automatic: true } });
    expect(payload.data.verdict).toMatchObject({ decision: 'rejected', decidedBy: 'auto' });
    expect(payload.data.verdict.categories.discourtesy.flagged).toBe(true);
    expect(Date.parse(payload.timestamp)).toBe(Date.parse(payload.data.verdict.decidedAt));
    expect(r.requests[0].headers['webhook-id']).toMatch(/^msg_/);
    expect(r.requests[0].headers['content-type']).toBe('application/json');

    const log = await eventually(async () => {
      const d = await deliveries(ep.id);
      return d.items[0]?.status === 'succeeded' ? d : undefined;
    });
    expect(log.items).toHaveLength(1);
    expect(log.nextCursor).toBeNull();
    expect(log.items[0]).toMatchObject({ id: r.requests[0].headers['webhook-id'], type: 'comment.rejected', status: 'succeeded', attempts: 1, responseCode: 200 });
    expect(log.items[0].latencyMs).toBeGreaterThanOrEqual(0);
    expect(log.items[0].nextAttemptAt).toBeUndefined();
  });

  it('only sends the events an endpoint subscribed to', async () => {
    const r = await receiver();
    const onlyRejected = await endpoint(r.url, ['comment.rejected']);
    const approvedId = await submit('Great reporting, thank you.');
    const rejectedId = await submit('You are an idiot.');
    await eventually(async () => (r.requests.some((q) => JSON.parse(q.body).data.commentId === rejectedId) ? true : undefined));
    await eventually(async () => ((await call(svc.url, `/v1/comments/${approvedId}`)).body.status === 'approved' ? true : undefined));
    await sleep(300);
    const ids = r.requests.map((q) => verified(onlyRejected.secret, q).data.commentId);
    expect(ids).toContain(rejectedId);
    expect(ids).not.toContain(approvedId);
  });

  it('says who decided a moderator reversal, and an earlier event keeps the verdict it announced', async () => {
    const r = await receiver();
    const ep = await endpoint(r.url);
    const id = await submit('You are an idiot.');
    const auto = await eventually(async () => {
      const c = (await call(svc.url, `/v1/comments/${id}`)).body;
      return c.status === 'rejected' ? c : undefined;
    });
    // The moderator API belongs to the dashboard; the store call is the same path it takes.
    const store = new CommentStore(svc.redis, keys(svc.prefix));
    const decidedAt = new Date(Date.parse(auto.verdict.decidedAt) + 1000).toISOString();
    const applied = await store.decide(id, { ...auto.verdict, decision: 'approved', decidedBy: 'mod-7', decidedAt, reason: 'sarcasm between friends' }, { mode: 'moderator' });
    expect(applied.outcome).toBe('applied');

    await eventually(async () => (r.requests.length >= 2 ? true : undefined));
    const payloads = r.requests.map((q) => verified(ep.secret, q)).sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
    expect(payloads.map((p) => p.type)).toEqual(['comment.rejected', 'comment.approved']);
    expect(payloads[0].data).toMatchObject({ decidedBy: 'auto', automatic: true, verdict: { decision: 'rejected', decidedBy: 'auto' } });
    expect(payloads[1].data).toMatchObject({ decidedBy: 'mod-7', automatic: false, previousStatus: 'rejected', verdict: { decision: 'approved', decidedBy: 'mod-7', reason: 'sarcasm between friends' } });
    expect(new Set(r.requests.map((q) => q.headers['webhook-id'])).size).toBe(2);
  });

  it('retries a receiver that fails twice, with the same webhook-id, until exactly one delivery is accepted', async () => {
    const counted = async (outcome: string) => {
      const text = await (await fetch(`${svc.url}/metrics`)).text();
      const m = new RegExp(`^decorum_webhook_deliveries_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(text);
      return m ? Number(m[1]) : 0;
    };
    const before = { retrying: await counted('retrying'), succeeded: await counted('succeeded') };
    const r = await receiver((n) => (n < 2 ? { status: n === 0 ? 500 : 503 } : { status: 204 }));
    const ep = await endpoint(r.url, ['comment.rejected']);
    await submit('You are an idiot.');
    await eventually(async () => (r.requests.length >= 3 ? true : undefined));
    await sleep(SCHEDULE_OVER_MS);
    expect(r.requests).toHaveLength(3);
    const payloads = r.requests.map((q) => verified(ep.secret, q));
    expect(new Set(r.requests.map((q) => q.headers['webhook-id'])).size).toBe(1);
    expect(new Set(payloads.map((p) => JSON.stringify(p))).size).toBe(1);
    // The first retry waits for the first step of the schedule, give or take the jitter.
    expect(r.requests[1].at - r.requests[0].at).toBeGreaterThanOrEqual(SCHEDULE[0] * 0.8 - 5);
    const log = (await deliveries(ep.id)).items[0];
    expect(log).toMatchObject({ status: 'succeeded', attempts: 3, responseCode: 204 });
    expect(log.error).toBeUndefined();
    // Prometheus sees the attempts: two retried, one delivered.
    expect(await counted('retrying')).toBeGreaterThanOrEqual(before.retrying + 2);
    expect(await counted('succeeded')).toBeGreaterThanOrEqual(before.succeeded + 1);
  });

  it('logs the next attempt while retrying, and honours Retry-After on a 429', async () => {
    const r = await receiver((n) => (n === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 }));
    const ep = await endpoint(r.url, ['comment.rejected']);
    await submit('You are an idiot.');
    const retrying = await eventually(async () => {
      const d = (await deliveries(ep.id)).items[0];
      return d?.status === 'retrying' ? d : undefined;
    });
    expect(retrying).toMatchObject({ attempts: 1, responseCode: 429, error: 'HTTP 429' });
    expect(Date.parse(retrying.nextAttemptAt) - Date.parse(retrying.lastAttemptAt)).toBeGreaterThanOrEqual(1000);
    await eventually(async () => (r.requests.length >= 2 ? true : undefined), 5000);
    expect(r.requests[1].at - r.requests[0].at).toBeGreaterThanOrEqual(950);
    r.requests.forEach((q) => verified(ep.secret, q));
  });

  it('does not retry a 410', async () => {
    const r = await receiver(() => ({ status: 410, body: 'gone for good' }));
    const ep = await endpoint(r.url, ['comment.rejected']);
    await submit('You are an idiot.');
    await eventually(async () => (r.requests.length >= 1 ? true : undefined));
    await sleep(SCHEDULE_OVER_MS);
    expect(r.requests).toHaveLength(1);
    verified(ep.secret, r.requests[0]);
    const log = (await deliveries(ep.id)).items[0];
    expect(log).toMatchObject({ status: 'failed', attempts: 1, responseCode: 410, error: 'HTTP 410', responseBody: 'gone for good' });
    expect(log.nextAttemptAt).toBeUndefined();
  });

  it('times out a receiver that hangs, and retries it', async () => {
    const r = await receiver(() => 'hang');
    const ep = await endpoint(r.url, ['comment.rejected']);
    await submit('You are an idiot.');
    const first = await eventually(async () => {
      const d = (await deliveries(ep.id)).items[0];
      return d && d.attempts >= 1 ? d : undefined;
    });
    expect(first.error).toMatch(/^timeout/);
    expect(first.latencyMs).toBeGreaterThanOrEqual(290);
    expect(first.latencyMs).toBeLessThan(2000);
    expect(first.responseCode).toBeUndefined();
    // Every attempt times out; after the schedule is used up the delivery has failed.
    const last = await eventually(async () => {
      const d = (await deliveries(ep.id)).items[0];
      return d.status === 'failed' ? d : undefined;
    }, 8000);
    expect(last.attempts).toBe(SCHEDULE.length + 1);
    expect(r.requests).toHaveLength(SCHEDULE.length + 1);
    r.requests.forEach((q) => verified(ep.secret, q));
  });

  it('retries a network error (nothing listening) until the schedule is used up', async () => {
    const gone = await startReceiver();
    await gone.close(); // its port now refuses connections
    const ep = await endpoint(gone.url, ['comment.rejected']);
    await submit('You are an idiot.');
    const last = await eventually(async () => {
      const d = (await deliveries(ep.id)).items[0];
      return d?.status === 'failed' ? d : undefined;
    }, 5000);
    expect(last).toMatchObject({ attempts: SCHEDULE.length + 1 });
    expect(last.error).toMatch(/^network: ECONNREFUSED/);
    expect(last.responseCode).toBeUndefined();
    expect((await call(svc.url, `/v1/webhooks/${ep.id}`)).body.failingSince).toBeDefined();
  });

  it('does not follow a redirect', async () => {
    const elsewhere = await receiver();
    const r = await receiver(() => ({ status: 307, headers: { location: elsewhere.url } }));
    const ep = await endpoint(r.url, ['comment.rejected']);
    await submit('You are an idiot.');
    await eventually(async () => (r.requests.length >= 2 ? true : undefined));
    expect(elsewhere.requests).toHaveLength(0);
    const log = (await deliveries(ep.id)).items[0];
    expect(log.responseCode).toBe(307);
    expect(log.error).toMatch(/redirects are not followed/);
  });
});

describe('admin actions', () => {
  it('pings an endpoint, and after a rotation signs with both secrets', async () => {
    const r = await receiver();
    const ep = await endpoint(r.url, ['comment.held']);
    const ping = await call(svc.url, `/v1/webhooks/${ep.id}/ping`, { method: 'POST' });
    expect(ping.status).toBe(202);
    await eventually(async () => (r.requests.length >= 1 ? true : undefined));
    expect(verified(ep.secret, r.requests[0])).toMatchObject({ type: 'ping', data: { endpointId: ep.id } });
    expect(r.requests[0].headers['webhook-id']).toBe(ping.body.deliveryId);

    const rotated = await call(svc.url, `/v1/webhooks/${ep.id}/rotate-secret`, { method: 'POST' });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(ep.secret);
    const grace = Date.parse(rotated.body.previousSecretExpiresAt) - Date.now();
    expect(grace).toBeGreaterThan(24 * 3600_000 - 60_000);
    expect(grace).toBeLessThanOrEqual(24 * 3600_000);
    expect((await call(svc.url, `/v1/webhooks/${ep.id}`)).body.previousSecretExpiresAt).toBe(rotated.body.previousSecretExpiresAt);

    await call(svc.url, `/v1/webhooks/${ep.id}/ping`, { method: 'POST' });
    await eventually(async () => (r.requests.length >= 2 ? true : undefined));
    const second = r.requests[1];
    expect(String(second.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verified(rotated.body.secret, second).type).toBe('ping');
    expect(verified(ep.secret, second).type).toBe('ping');
  });

  it('re-sends a failed delivery with the same webhook-id and body', async () => {
    const r = await receiver(() => ({ status: 404 }));
    const ep = await endpoint(r.url, ['comment.rejected']);
    await submit('You are an idiot.');
    const failed = await eventually(async () => {
      const d = (await deliveries(ep.id)).items[0];
      return d?.status === 'failed' ? d : undefined;
    });
    r.answer(() => ({ status: 200 }));
    const resend = await call(svc.url, `/v1/webhooks/${ep.id}/deliveries/${failed.id}/resend`, { method: 'POST' });
    expect(resend.status).toBe(202);
    await eventually(async () => (r.requests.length >= 2 ? true : undefined));
    expect(r.requests[1].headers['webhook-id']).toBe(failed.id);
    expect(r.requests[1].body).toBe(r.requests[0].body);
    verified(ep.secret, r.requests[1]);
    const done = await eventually(async () => {
      const d = (await call(svc.url, `/v1/webhooks/${ep.id}/deliveries/${failed.id}`)).body;
      return d.status === 'succeeded' ? d : undefined;
    });
    expect(done).toMatchObject({ attempts: 2, resends: 1, responseCode: 200 });
    // A delivery that succeeded can be sent again; one still scheduled can't be doubled.
    expect((await call(svc.url, `/v1/webhooks/${ep.id}/deliveries/msg_nope/resend`, { method: 'POST' })).status).toBe(404);
  });

  it('sends nothing to a disabled endpoint', async () => {
    const r = await receiver();
    const ep = await endpoint(r.url, ['comment.rejected']);
    await call(svc.url, `/v1/webhooks/${ep.id}`, { method: 'PATCH', body: { enabled: false } });
    const other = await receiver();
    const watcher = await endpoint(other.url, ['comment.rejected']);
    const id = await submit('You are an idiot.');
    await eventually(async () => (other.requests.some((q) => verified(watcher.secret, q).data.commentId === id) ? true : undefined));
    await sleep(200);
    expect(r.requests).toHaveLength(0);
    expect((await call(svc.url, `/v1/webhooks/${ep.id}/ping`, { method: 'POST' })).status).toBe(409);
  });
});
