import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createLogger } from '../../src/logger';
import { CommentStore } from '../../src/store/comments';
import { keys } from '../../src/store/keys';
import { DeliveryStore } from '../../src/webhooks/deliveries-store';
import { DISPATCH_GROUP, deliveryIdFor, Dispatcher } from '../../src/webhooks/dispatcher';
import { EndpointStore } from '../../src/webhooks/endpoints-store';
import { type DeliveryJob, WEBHOOK_QUEUE } from '../../src/webhooks/queue';
import { call, deletePrefix, eventually, startService, TEST_REDIS_URL, uniquePrefix } from '../helpers/service';

/**
 * The fan-out's promise: an event a dispatcher read but never acknowledged (it died) is taken
 * over by another, and handling an event twice creates its deliveries once. API role only, so
 * no dispatcher of the service's own is running and no worker drains the queue.
 */
it('takes over events a dead dispatcher left pending, and creates each delivery once', async () => {
  const svc = await startService('webhooks-dispatch', 'api');
  const k = keys(svc.prefix);
  const conns = [new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null }), new Redis(TEST_REDIS_URL)];
  const queue = new Queue<DeliveryJob>(WEBHOOK_QUEUE, { connection: conns[1], prefix: k.bull });
  try {
    const ep = (await call(svc.url, '/v1/webhooks', { body: { url: 'http://example.com/hooks', events: ['comment.rejected'] } })).body;
    const ignored = (await call(svc.url, '/v1/webhooks', { body: { url: 'http://example.com/other', events: ['comment.approved'] } })).body;
    await svc.redis.xgroup('CREATE', k.events, DISPATCH_GROUP, '$', 'MKSTREAM');
    await call(svc.url, '/v1/comments', { body: { id: 'd-1', articleId: 'a', author: { id: 'u' }, text: 'You are an idiot.' } });
    // A moderator decision stands in for the worker's (the API role has none): one event.
    const store = new CommentStore(svc.redis, k);
    const verdict = (await call(svc.url, '/v1/moderate', { body: { text: 'You are an idiot.' } })).body;
    await store.decide('d-1', { ...verdict, decidedBy: 'mod-1' }, { mode: 'moderator' });

    // A dispatcher that reads the event and dies before acknowledging it.
    const read = (await svc.redis.xreadgroup('GROUP', DISPATCH_GROUP, 'dead-one', 'COUNT', 10, 'STREAMS', k.events, '>')) as [string, [string, string[]][]][];
    const [streamId] = read[0][1][0];
    expect((await svc.redis.xpending(k.events, DISPATCH_GROUP))[0]).toBe(1);

    const log = createLogger('silent');
    const dispatcher = new Dispatcher({
      redis: conns[0],
      keys: k,
      endpoints: new EndpointStore(svc.redis, k),
      deliveries: new DeliveryStore(svc.redis, k),
      comments: store,
      queue,
      log,
      claimIdleMs: 50,
      blockMs: 100,
    });
    await new Promise((r) => setTimeout(r, 60));
    await dispatcher.start();
    try {
      const deliveryId = deliveryIdFor(streamId, ep.id);
      const job = await eventually(async () => (await queue.getJob(deliveryId)) ?? undefined);
      expect(job.data).toEqual({ deliveryId });
      await eventually(async () => ((await svc.redis.xpending(k.events, DISPATCH_GROUP))[0] === 0 ? true : undefined));

      // The same entry handled again (a second crash after fan-out, before XACK): nothing new.
      const entry = (await svc.redis.xrange(k.events, streamId, streamId)) as [string, string[]][];
      await dispatcher.process(entry);
      expect(await queue.getJobCounts('waiting', 'delayed', 'active')).toMatchObject({ waiting: 1 });
      const deliveries = (await call(svc.url, `/v1/webhooks/${ep.id}/deliveries`)).body;
      expect(deliveries.items).toHaveLength(1);
      expect(deliveries.items[0]).toMatchObject({ id: deliveryId, status: 'pending', attempts: 0 });
      expect(deliveries.items[0].payload.data).toMatchObject({ commentId: 'd-1', decidedBy: 'mod-1', status: 'rejected' });
      expect((await call(svc.url, `/v1/webhooks/${ignored.id}/deliveries`)).body.items).toEqual([]);
    } finally {
      await dispatcher.stop();
    }
  } finally {
    await queue.close();
    await Promise.all(conns.map((c) => c.quit()));
    await svc.stop();
  }
});

it('re-sends a delivery whose job was lost, but not one still waiting for its worker', async () => {
  const svc = await startService('webhooks-resend', 'api');
  const conn = new Redis(TEST_REDIS_URL);
  const queue = new Queue<DeliveryJob>(WEBHOOK_QUEUE, { connection: conn, prefix: keys(svc.prefix).bull });
  try {
    const ep = (await call(svc.url, '/v1/webhooks', { body: { url: 'http://example.com/hooks', events: ['comment.held'] } })).body;
    const { deliveryId } = (await call(svc.url, `/v1/webhooks/${ep.id}/ping`, { method: 'POST' })).body;
    const resend = () => call(svc.url, `/v1/webhooks/${ep.id}/deliveries/${deliveryId}/resend`, { method: 'POST' });
    // API role: no worker, so the ping's job waits.
    expect((await resend()).status).toBe(409);
    await (await queue.getJob(deliveryId))!.remove();
    const res = await resend();
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ deliveryId, resend: 1 });
    expect(await queue.getJob(`${deliveryId}-resend-1`)).toBeDefined();
    expect((await resend()).status).toBe(409);
  } finally {
    await queue.close();
    await conn.quit();
    await svc.stop();
  }
});

it('trims the events every group has acknowledged, keeping a moment before the oldest one still owed', async () => {
  const prefix = uniquePrefix('events-trim');
  const k = keys(prefix);
  const redis = new Redis(TEST_REDIS_URL);
  const queue = new Queue<DeliveryJob>(WEBHOOK_QUEUE, { connection: redis, prefix: k.bull });
  const dispatcher = new Dispatcher({
    redis,
    keys: k,
    endpoints: new EndpointStore(redis, k),
    deliveries: new DeliveryStore(redis, k),
    comments: new CommentStore(redis, k),
    queue,
    log: createLogger('silent'),
  });
  const at = (i: number) => `${1_000_000 + i * 1000}-0`;
  const left = async () => (await redis.xrange(k.events, '-', '+')).map(([id]) => id);
  try {
    for (let i = 1; i <= 10; i++) await redis.xadd(k.events, at(i), 'type', 'comment.approved', 'commentId', `c-${i}`);
    await redis.xgroup('CREATE', k.events, DISPATCH_GROUP, '0');
    await redis.xreadgroup('GROUP', DISPATCH_GROUP, 'c1', 'COUNT', 10, 'STREAMS', k.events, '>');
    for (let i = 1; i <= 6; i++) await redis.xack(k.events, DISPATCH_GROUP, at(i));
    // Another group has read (and so acknowledged, having no pending entries) up to event 8.
    await redis.xgroup('CREATE', k.events, 'other', at(8));

    // Event 7 is still pending: kept, with 1.5 s of events before it.
    await dispatcher.trimDelivered(1500);
    expect(await left()).toEqual([6, 7, 8, 9, 10].map(at));
    await dispatcher.trimDelivered(0);
    expect(await left()).toEqual([7, 8, 9, 10].map(at));

    // Acknowledged by the dispatchers: now the other group's position holds the rest.
    for (let i = 7; i <= 10; i++) await redis.xack(k.events, DISPATCH_GROUP, at(i));
    await dispatcher.trimDelivered(0);
    expect(await left()).toEqual([8, 9, 10].map(at));
  } finally {
    await queue.close();
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
});
