import { spawn } from 'node:child_process';
import path from 'node:path';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { ConfigError, loadConfig } from '../../src/config';
import { createModerationQueue, MODERATION_JOB_OPTIONS, MODERATION_QUEUE, moderationJobId } from '../../src/queue/moderation';
import { sweep } from '../../src/queue/sweeper';
import { CommentStore } from '../../src/store/comments';
import { keys } from '../../src/store/keys';
import { ROOT } from '../faults/harness';
import { deletePrefix, eventually, startService, TEST_REDIS_URL, uniquePrefix } from '../helpers/service';

const input = { articleId: 'a1', author: { id: 'u1' }, text: 'What a moron.' };
const LONG_AGO = () => Date.now() - 10 * 60_000;

/** Runs `decorum jobs` like an operator would, against the given prefix. */
function jobsCli(prefix: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'decorum.js'), 'jobs', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('settings for the sweeper and job locks', () => {
  it('default to a minute, half a minute and half a minute', () => {
    expect(loadConfig({})).toMatchObject({ sweepStaleMs: 60_000, sweepEveryMs: 30_000, jobLockMs: 30_000 });
  });

  it('are read from SWEEP_STALE_MS, SWEEP_EVERY_MS and JOB_LOCK_MS', () => {
    expect(loadConfig({ SWEEP_STALE_MS: '3000', SWEEP_EVERY_MS: '500', JOB_LOCK_MS: '2000' })).toMatchObject({ sweepStaleMs: 3000, sweepEveryMs: 500, jobLockMs: 2000 });
  });

  it.each([
    [{ SWEEP_STALE_MS: 'soon' }, /^invalid configuration: SWEEP_STALE_MS: /],
    [{ SWEEP_STALE_MS: '10' }, /SWEEP_STALE_MS/],
    [{ SWEEP_EVERY_MS: '0' }, /SWEEP_EVERY_MS/],
    [{ JOB_LOCK_MS: '999' }, /JOB_LOCK_MS/],
  ])('name a bad value in one line: %p', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('the sweeper', () => {
  const prefix = uniquePrefix('sweep-pages');
  const redis = new Redis(TEST_REDIS_URL);
  const store = new CommentStore(redis, keys(prefix));
  const queueConn = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queue = createModerationQueue(queueConn, keys(prefix).bull);
  afterAll(async () => {
    await queue.close();
    await queueConn.quit();
    await deletePrefix(redis, prefix);
    await redis.quit();
  });

  it('leaves comments whose job is waiting alone, and pages past them to one that has no job', async () => {
    // No worker runs here: the three queued ones stay waiting.
    for (const id of ['w1', 'w2', 'w3']) {
      await store.create(id, input, LONG_AGO());
      await queue.add('moderate', { commentId: id }, { jobId: moderationJobId(id) });
    }
    await store.create('orphan', input, LONG_AGO() + 1000);
    const report = await sweep(store, queue, { staleAfterMs: 60_000, everyMs: 1000, batch: 2 });
    expect(report).toEqual({ requeued: ['orphan'], failed: [] });
    expect(await queue.getJobState(moderationJobId('orphan'))).toBe('waiting');
    expect(await sweep(store, queue, { staleAfterMs: 60_000, everyMs: 1000, batch: 2 })).toEqual({ requeued: [], failed: [] });
  });
});

describe('a job that keeps failing', () => {
  it('keeps failed jobs for a week, after eight attempts', () => {
    expect(MODERATION_JOB_OPTIONS.attempts).toBe(8);
    expect(MODERATION_JOB_OPTIONS.removeOnFail).toEqual({ age: 7 * 24 * 3600 });
  });

  it('ends in the failed set with its error; the sweeper reports it; an operator lists it and retries it', async () => {
    const svc = await startService('failed-jobs', 'worker');
    const k = keys(svc.prefix);
    const store = new CommentStore(svc.redis, k);
    const queueConn = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const queue = createModerationQueue(queueConn, k.bull);
    try {
      // A comment whose record is broken (not a hash), so every attempt fails the same way.
      await store.create('poison', input, LONG_AGO());
      await svc.redis.del(k.comment('poison'));
      await svc.redis.set(k.comment('poison'), 'not a hash');
      // Two quick attempts instead of the production eight with backoff, to get there fast.
      await queue.add('moderate', { commentId: 'poison' }, { jobId: moderationJobId('poison'), attempts: 2, backoff: { type: 'fixed', delay: 10 } });
      await eventually(async () => ((await queue.getJobState(moderationJobId('poison'))) === 'failed' ? true : undefined));

      // BullMQ would silently ignore a re-add, so the sweeper reports it instead.
      expect(await sweep(store, queue, { staleAfterMs: 60_000, everyMs: 1000, batch: 10 })).toEqual({ requeued: [], failed: ['poison'] });
      expect(await queue.getJobState(moderationJobId('poison'))).toBe('failed');

      const listed = await jobsCli(svc.prefix, ['list']);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(/^1 failed moderation job /);
      expect(listed.stdout).toMatch(/c-poison {2}comment poison {2}2 attempts {2}failed \d{4}-/);
      expect(listed.stdout).toMatch(/WRONGTYPE/);
      const asJson = JSON.parse((await jobsCli(svc.prefix, ['list', '--json'])).stdout);
      expect(asJson).toEqual([expect.objectContaining({ jobId: 'c-poison', commentId: 'poison', attemptsMade: 2, failedReason: expect.stringMatching(/WRONGTYPE/) })]);

      // The operator repairs the record, then retries by comment id.
      await svc.redis.del(k.comment('poison'));
      await store.create('poison', input, LONG_AGO());
      const retried = await jobsCli(svc.prefix, ['retry', 'poison']);
      expect(retried.stderr).toBe('');
      expect(retried.code).toBe(0);
      expect(retried.stdout).toMatch(/^retried 1 failed job\n {2}c-poison \(comment poison; was: WRONGTYPE/);
      const decided = await eventually(async () => {
        const c = await store.get('poison');
        return c && c.status !== 'queued' ? c : undefined;
      });
      expect(decided.status).toBe('held');
      expect(await svc.redis.xlen(k.events)).toBe(1);

      // Nothing failed is left: retrying again says so, and fails for scripts.
      const again = await jobsCli(svc.prefix, ['retry', 'poison']);
      expect(again.code).toBe(1);
      expect(again.stdout).toMatch(/not failed .*: poison/);
      expect((await jobsCli(svc.prefix, ['list'])).stdout).toBe('no failed moderation jobs\n');
    } finally {
      await queue.close();
      await queueConn.quit();
      await svc.stop();
    }
    // Five runs of the command, each its own process: seconds apiece on a busy machine.
  }, 60_000);

  it('retries every failed job when given no ids', async () => {
    const prefix = uniquePrefix('retry-all');
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const queue = createModerationQueue(redis, keys(prefix).bull);
    // A stand-in worker that fails everything once, so there is something to retry.
    const workerConn = redis.duplicate();
    const failing = new Worker(
      MODERATION_QUEUE,
      async () => {
        throw new Error('engine exploded');
      },
      { connection: workerConn, prefix: keys(prefix).bull },
    );
    try {
      for (const id of ['x1', 'x2']) await queue.add('moderate', { commentId: id }, { jobId: moderationJobId(id), attempts: 1 });
      await eventually(async () => ((await queue.getFailedCount()) === 2 ? true : undefined));
      await failing.close();
      const r = await jobsCli(prefix, ['retry']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^retried 2 failed jobs/);
      expect(await queue.getFailedCount()).toBe(0);
      expect(await queue.getWaitingCount()).toBe(2);
    } finally {
      await failing.close();
      await workerConn.quit();
      await queue.close();
      await deletePrefix(redis, prefix);
      await redis.quit();
    }
  });
});

describe('a job whose worker died', () => {
  it('is re-run by another worker once its lock expires (JOB_LOCK_MS), and decides once', async () => {
    const prefix = uniquePrefix('stalled');
    const k = keys(prefix);
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const store = new CommentStore(redis, k);
    const queue = createModerationQueue(redis, k.bull);
    // Takes the job and then "dies": never completes it, never renews its lock.
    const doomedConn = redis.duplicate();
    const doomed = new Worker(MODERATION_QUEUE, null, { connection: doomedConn, prefix: k.bull, lockDuration: 1000 });
    try {
      await store.create('stalled', input, Date.now());
      await queue.add('moderate', { commentId: 'stalled' }, { jobId: moderationJobId('stalled') });
      const taken = await doomed.getNextJob('dead-worker-token');
      expect(taken?.id).toBe(moderationJobId('stalled'));
      await doomed.close(true);
      expect(await queue.getJobState(moderationJobId('stalled'))).toBe('active');

      const svc = await startService('stalled-rescuer', 'worker', { REDIS_PREFIX: prefix, JOB_LOCK_MS: '1000' });
      try {
        const decided = await eventually(async () => {
          const c = await store.get('stalled');
          return c && c.status !== 'queued' ? c : undefined;
        }, 10_000);
        expect(decided.status).toBe('held');
        expect(await redis.xlen(k.events)).toBe(1);
      } finally {
        await svc.running.stop();
        await svc.redis.quit();
      }
    } finally {
      await doomed.close(true);
      await doomedConn.quit();
      await queue.close();
      await deletePrefix(redis, prefix);
      await redis.quit();
    }
  });
});
