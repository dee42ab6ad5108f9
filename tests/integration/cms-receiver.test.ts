import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { call, eventually, startService, type TestService } from '../helpers/service';

/** The example receiver in examples/cms-receiver, fed by the real service. */
let svc: TestService;
let receiver: { server: Server; comments: Map<string, string> };
let receiverUrl: string;
let secret: string;

beforeAll(async () => {
  // The example logs what it publishes; the assertions read its state instead.
  jest.spyOn(console, 'log').mockImplementation(() => {});
  svc = await startService('cms-receiver', 'all', { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCHEDULE: '30ms,30ms' });
  const created = await call(svc.url, '/v1/webhooks', { body: { url: 'https://placeholder.example.com/', events: ['comment.approved', 'comment.held', 'comment.rejected'] } });
  secret = created.body.secret;
  // The example reads its secret when loaded, as it would from its environment at start.
  process.env.DECORUM_WEBHOOK_SECRET = secret;
  receiver = require('../../examples/cms-receiver/server.js');
  await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/decorum/webhooks`;
  await call(svc.url, `/v1/webhooks/${created.body.id}`, { method: 'PATCH', body: { url: receiverUrl } });
});

afterAll(async () => {
  receiver.server.closeAllConnections();
  await new Promise((r) => receiver.server.close(r));
  await svc.stop();
});

it('publishes approved comments and unpublishes rejected ones', async () => {
  for (const [id, text] of [
    ['cms-1', 'Great reporting, thank you.'],
    ['cms-2', 'You are an idiot.'],
  ]) {
    await call(svc.url, '/v1/comments', { body: { id, articleId: 'a', author: { id: 'u' }, text } });
  }
  await eventually(async () => (receiver.comments.size === 2 ? true : undefined));
  expect(receiver.comments.get('cms-1')).toBe('published');
  expect(receiver.comments.get('cms-2')).toBe('hidden');
});

it('refuses a forged delivery with a 4xx, so it is not retried', async () => {
  const res = await fetch(receiverUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': 'msg_x', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
    body: JSON.stringify({ type: 'comment.approved', timestamp: new Date().toISOString(), data: { commentId: 'cms-2' } }),
  });
  expect(res.status).toBe(401);
  expect(receiver.comments.get('cms-2')).toBe('hidden');
});
