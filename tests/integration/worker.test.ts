import { createLogger } from '../../src/logger';
import { loadPolicy } from '../../src/policies';
import { createModerationQueue } from '../../src/queue/moderation';
import { sweepOnce } from '../../src/queue/sweeper';
import { CommentStore } from '../../src/store/comments';
import { keys } from '../../src/store/keys';
import { processModeration } from '../../workers/moderation';
import { Redis } from 'ioredis';
import { deletePrefix, eventually, startService, TEST_REDIS_URL, uniquePrefix } from '../helpers/service';

const policy = loadPolicy();
const log = createLogger('silent');
const input = { articleId: 'a1', author: { id: 'u1' }, text: 'What a moron.' };

describe('the moderation worker', () => {
  const prefix = uniquePrefix('worker');
  const redis = new Redis(TEST_REDIS_URL);
  const store = new CommentStore(redis, keys(prefix));
  afterAll(async () => {
    await deletePrefix(redis, prefix);
    await redis.quit();
  });

  it('decides a comment once however many times its job runs, even concurrently', async () => {
    await store.create('dup-1', input, Date.now());
    const results = await Promise.all([1, 2, 3, 4].map(() => processModeration({ store, policy, log }, 'dup-1')));
    expect(results.filter((r) => r === 'decided')).toHaveLength(1);
    expect(await processModeration({ store, policy, log }, 'dup-1')).toBe('skipped');
    const events = await redis.xrange(`${prefix}:events`, '-', '+');
    expect(events).toHaveLength(1);
    expect(events[0][1]).toEqual(expect.arrayContaining(['type', 'comment.held', 'commentId', 'dup-1']));
    const c = await store.get('dup-1');
    expect(c?.status).toBe('held');
    expect(await redis.zcard(`${prefix}:idx:status:queued`)).toBe(0);
  });

  it('skips a job whose comment does not exist', async () => {
    expect(await processModeration({ store, policy, log }, 'ghost')).toBe('skipped');
  });

  it('keeps the earlier verdict in the history when a moderator overrides it', async () => {
    await store.create('mod-1', input, Date.now());
    await processModeration({ store, policy, log }, 'mod-1');
    const auto = (await store.get('mod-1'))!.verdict!;
    const result = await store.decide('mod-1', { ...auto, decision: 'approved', decidedBy: 'mod-alice', decidedAt: new Date().toISOString(), reason: 'fair criticism' }, { mode: 'moderator' });
    expect(result).toEqual({ outcome: 'applied', previous: 'held' });
    const c = (await store.get('mod-1'))!;
    expect(c.status).toBe('approved');
    expect(c.verdict?.decidedBy).toBe('mod-alice');
    expect(c.history).toEqual([auto]);
    expect(await redis.zscore(`${prefix}:idx:status:held`, 'mod-1')).toBeNull();
    expect(await redis.zscore(`${prefix}:idx:status:approved`, 'mod-1')).not.toBeNull();
  });

  it('passes how often a text was posted before to the spam rule', async () => {
    const spamText = { ...input, text: 'I think the summit was a waste of everyone\'s time.' };
    for (let i = 1; i <= 4; i++) {
      await store.create(`rep-${i}`, spamText, Date.now());
      await processModeration({ store, policy, log }, `rep-${i}`);
    }
    expect((await store.get('rep-1'))!.verdict!.categories.spam.flagged).toBe(false);
    const fourth = (await store.get('rep-4'))!.verdict!;
    expect(fourth.categories.spam.evidence.map((e) => e.rule)).toContain('spam/reposted');
  });
});

describe('the sweeper', () => {
  it('queues a comment that was stored but never queued, and a running worker decides it', async () => {
    const svc = await startService('sweeper', 'worker');
    const store = new CommentStore(svc.redis, keys(svc.prefix));
    const queueConn = new Redis(TEST_REDIS_URL);
    const queue = createModerationQueue(queueConn, keys(svc.prefix).bull);
    try {
      // As if the API died between storing and queueing.
      await store.create('orphan', input, Date.now() - 120_000);
      expect(await sweepOnce(store, queue, { staleAfterMs: 60_000, everyMs: 1000, batch: 10 })).toBe(1);
      const decided = await eventually(async () => {
        const c = await store.get('orphan');
        return c && c.status !== 'queued' ? c : undefined;
      });
      expect(decided.status).toBe('held');
    } finally {
      await queue.close();
      await queueConn.quit();
      await svc.stop();
    }
  });
});
