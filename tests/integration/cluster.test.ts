import { Cluster } from 'ioredis';
import { startReceiver, type Receiver, verified } from '../helpers/receiver';
import { startCluster, type TestCluster } from '../helpers/redis-cluster';
import { call, eventually, startService, type TestService } from '../helpers/service';

/**
 * The core flow on a real three-master Redis Cluster: submit, decide, review (a moderator's
 * decision), and a signed webhook for each decision. Every key carries the prefix as hash tag.
 */
let cluster: TestCluster;
let svc: TestService;
let receiver: Receiver;

beforeAll(async () => {
  cluster = await startCluster(3);
  receiver = await startReceiver();
  svc = await startService('cluster', 'all', {
    REDIS_CLUSTER_NODES: cluster.nodes,
    REDIS_PREFIX: 'decorum-cluster',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_RETRY_SCHEDULE: '50ms,100ms',
    // On, so the rate-limit script (three counters at once) and the backlog check run on the Cluster too.
    RATE_LIMIT_KEY_PER_MIN: '100',
    RATE_LIMIT_AUTHOR_PER_MIN: '5',
    RATE_LIMIT_IP_PER_MIN: '100',
    QUEUE_MAX_WAITING: '1000',
  });
}, 60_000);

afterAll(async () => {
  await svc?.stop();
  await receiver?.close();
  await cluster?.stop();
});

it('submits, decides, reviews and delivers webhooks with every key in one hash slot', async () => {
  const hook = await call(svc.url, '/v1/webhooks', { body: { url: receiver.url, events: ['comment.held', 'comment.approved', 'comment.rejected'] } });
  expect(hook.status).toBe(201);

  const held = await call(svc.url, '/v1/comments?wait=5000', { body: { id: 'cl-1', articleId: 'a-1', author: { id: 'u-1' }, text: 'What a load of bullsh*t.' } });
  expect(held.status).toBe(200);
  expect(held.body.status).toBe('held');
  const rejected = await call(svc.url, '/v1/comments?wait=5000', { body: { id: 'cl-2', articleId: 'a-1', author: { id: 'u-2' }, text: 'I will kill you.' } });
  expect(rejected.body.status).toBe('rejected');

  const queue = await call(svc.url, '/v1/review?status=held');
  expect(queue.status).toBe(200);
  expect(queue.body.items.map((c: { id: string }) => c.id)).toEqual(['cl-1']);
  const decided = await call(svc.url, '/v1/comments/cl-1/decision', { body: { decision: 'approved', reason: 'quoting the minister' } });
  expect(decided.status).toBe(200);
  expect((await call(svc.url, '/v1/comments/cl-1')).body).toMatchObject({ status: 'approved', verdict: { decidedBy: 'admin' }, history: [{ decision: 'held' }] });

  const payloads = await eventually(async () => (receiver.requests.length >= 3 ? receiver.requests.map((r) => verified(hook.body.secret, r)) : undefined), 15_000);
  expect(payloads.map((p) => `${p.type} ${p.data.commentId}`).sort()).toEqual(['comment.approved cl-1', 'comment.held cl-1', 'comment.rejected cl-2']);

  // The keys really are spread over a cluster, all in the slot of the prefix's hash tag.
  const direct = new Cluster(cluster.ports.map((port) => ({ host: '127.0.0.1', port })));
  try {
    const slot = Number(await direct.cluster('KEYSLOT', '{decorum-cluster}'));
    const keys = (await Promise.all(direct.nodes('master').map((n) => n.keys('{decorum-cluster}:*')))).flat();
    expect(keys).toContain('{decorum-cluster}:comment:cl-1');
    expect(keys.some((k) => k.startsWith('{decorum-cluster}:bull:moderation:'))).toBe(true);
    expect(keys).toContain('{decorum-cluster}:rate:author:default:u-1');
    for (const k of keys.slice(0, 50)) expect(Number(await direct.cluster('KEYSLOT', k))).toBe(slot);
    expect(await direct.get('{decorum-cluster}:comment:cl-1').catch((e: Error) => e.message)).toMatch(/WRONGTYPE/);
  } finally {
    direct.disconnect();
  }
}, 60_000);

describe('through Sentinel', () => {
  it('finds the master Sentinel names and decides comments there', async () => {
    const { startSentinel } = await import('../helpers/redis-cluster');
    const { Redis } = await import('ioredis');
    const sentinel = await startSentinel();
    const s = await startService('sentinel', 'all', { REDIS_SENTINELS: sentinel.sentinels, REDIS_SENTINEL_NAME: sentinel.name, REDIS_PREFIX: 'decorum-sentinel' });
    const master = new Redis({ port: sentinel.masterPort, host: '127.0.0.1' });
    try {
      const r = await call(s.url, '/v1/comments?wait=5000', { body: { id: 'se-1', articleId: 'a', author: { id: 'u' }, text: 'You are an idiot.' } });
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('rejected');
      expect(await master.hget('decorum-sentinel:comment:se-1', 'status')).toBe('rejected');
    } finally {
      master.disconnect();
      await s.stop();
      await sentinel.stop();
    }
  }, 60_000);
});
