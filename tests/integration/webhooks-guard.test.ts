import { send } from '../../src/webhooks/send';
import { type Receiver, startReceiver, verified } from '../helpers/receiver';
import { call, eventually, startService } from '../helpers/service';

describe('without WEBHOOK_ALLOW_PRIVATE', () => {
  it('refuses endpoints on loopback, private and link-local addresses', async () => {
    const svc = await startService('webhooks-ssrf', 'api');
    try {
      for (const url of [
        'http://127.0.0.1:8080/x',
        'http://localhost/x',
        'http://[::1]/x',
        'http://169.254.169.254/latest/meta-data',
        'http://10.1.2.3/x',
        'http://192.168.0.10/x',
        'http://[::ffff:127.0.0.1]/x',
        'http://[fd12::1]/x',
        'http://0.0.0.0/x',
      ]) {
        const res = await call(svc.url, '/v1/webhooks', { body: { url, events: ['comment.held'] } });
        expect([url, res.status]).toEqual([url, 422]);
        expect(res.body.errors[0].path).toBe('url');
      }
      expect((await call(svc.url, '/v1/webhooks', { body: { url: 'https://cms.example.com/hooks', events: ['comment.held'] } })).status).toBe(201);
    } finally {
      await svc.stop();
    }
  });

  it('does not connect to a name that resolves to loopback, nor to a loopback address', async () => {
    const r = await startReceiver();
    try {
      const port = new URL(r.url).port;
      for (const url of [`http://localhost:${port}/hooks`, r.url]) {
        const result = await send(url, '{}', {}, { timeoutMs: 1000, allowPrivate: false });
        expect(result).toMatchObject({ kind: 'error', reason: 'blocked' });
      }
      expect(r.requests).toHaveLength(0);
      // The same receiver is reachable when the operator allows it.
      expect(await send(`http://localhost:${port}/hooks`, '{}', {}, { timeoutMs: 1000, allowPrivate: true })).toMatchObject({ kind: 'response', status: 200 });
    } finally {
      await r.close();
    }
  });
});

describe('an endpoint that keeps failing', () => {
  let r: Receiver;
  afterEach(() => r?.close());

  it('is disabled after failing continuously for WEBHOOK_DISABLE_AFTER, and a success resets the clock', async () => {
    r = await startReceiver(() => ({ status: 500 }));
    const svc = await startService('webhooks-disable', 'all', {
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_RETRY_SCHEDULE: '50ms,50ms,50ms,50ms,50ms,50ms,50ms,50ms',
      WEBHOOK_DISABLE_AFTER: '300ms',
    });
    try {
      const ep = (await call(svc.url, '/v1/webhooks', { body: { url: r.url, events: ['comment.rejected'] } })).body;
      // A failure, then a success: the failure streak ends and the endpoint stays enabled.
      r.answer((n) => (n === 0 ? { status: 500 } : { status: 200 }));
      await call(svc.url, `/v1/webhooks/${ep.id}/ping`, { method: 'POST' });
      await eventually(async () => (r.requests.length >= 2 ? true : undefined));
      const healthy = await eventually(async () => {
        const e = (await call(svc.url, `/v1/webhooks/${ep.id}`)).body;
        return e.failingSince === undefined ? e : undefined;
      });
      expect(healthy.enabled).toBe(true);

      r.answer(() => ({ status: 500 }));
      await call(svc.url, '/v1/comments', { body: { id: 'dis-1', articleId: 'a', author: { id: 'u' }, text: 'You are an idiot.' } });
      const disabled = await eventually(async () => {
        const e = (await call(svc.url, `/v1/webhooks/${ep.id}`)).body;
        return e.enabled === false ? e : undefined;
      }, 5000);
      expect(disabled.disabledReason).toMatch(/failing continuously/);
      expect(Date.parse(disabled.disabledAt) - Date.parse(disabled.failingSince)).toBeGreaterThanOrEqual(300);
      r.requests.forEach((q) => verified(ep.secret, q));
      // Disabled, it gets no more attempts: the scheduled retry finds it disabled and stops.
      const log = await eventually(async () => {
        const d = (await call(svc.url, `/v1/webhooks/${ep.id}/deliveries`)).body.items.find((x: { type: string }) => x.type === 'comment.rejected');
        return d?.status === 'failed' ? d : undefined;
      });
      const seen = r.requests.length;
      await new Promise((res) => setTimeout(res, 300));
      expect(r.requests.length).toBe(seen);
      expect(log.attempts).toBeLessThan(9);

      // An admin enabling it again gives it a fresh start.
      const enabled = await call(svc.url, `/v1/webhooks/${ep.id}`, { method: 'PATCH', body: { enabled: true } });
      expect(enabled.body).toMatchObject({ enabled: true });
      expect(enabled.body.disabledReason).toBeUndefined();
      expect(enabled.body.failingSince).toBeUndefined();
    } finally {
      await svc.stop();
    }
  });
});
