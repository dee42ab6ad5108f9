// Redis memory per decided comment, without the load: the pipeline bench's comments stored and
// decided through the store itself (createComment, the engine, decideAuto: every key the service writes for
// a comment but BullMQ's), with a webhook dispatcher running as in the service (it trims the
// events stream), so a layout change can be measured in a minute.
//
//   npm run bench:memory            (BENCH_COMMENTS, default 55,000; REDIS_URL)
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createLogger } from '../src/logger';
import { moderate } from '../src/engine';
import { loadPolicy } from '../src/policies';
import { CommentStore } from '../src/store/comments';
import { keys } from '../src/store/keys';
import { DeliveryStore } from '../src/webhooks/deliveries-store';
import { Dispatcher } from '../src/webhooks/dispatcher';
import { EndpointStore } from '../src/webhooks/endpoints-store';
import { type DeliveryJob, WEBHOOK_QUEUE } from '../src/webhooks/queue';
import { benchComment, corpus } from './corpus';
import { deletePrefix, redisMemory } from './redis-memory';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const COMMENTS = Number(process.env.BENCH_COMMENTS ?? 55_000);

async function main(): Promise<void> {
  const redis = new Redis(REDIS_URL);
  // As long as the default prefix ("decorum"): key names are part of what a comment costs.
  const prefix = `bm-${randomBytes(2).toString('hex')}`;
  const k = keys(prefix);
  const store = new CommentStore(redis, k);
  const policy = loadPolicy();
  const dispatchConn = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue<DeliveryJob>(WEBHOOK_QUEUE, { connection: redis, prefix: k.bull });
  const dispatcher = new Dispatcher({
    redis: dispatchConn,
    keys: k,
    endpoints: new EndpointStore(redis, k),
    deliveries: new DeliveryStore(redis, k),
    comments: store,
    queue,
    log: createLogger('silent'),
  });
  await dispatcher.start();
  const texts = corpus(300, 500);
  const t0 = Date.now();
  try {
    for (let i = 0; i < COMMENTS; i += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, COMMENTS - i) }, async (_, j) => {
          const id = `cmt_${randomBytes(12).toString('base64url')}`;
          const now = t0 + i + j;
          await store.create(id, benchComment(texts, i + j), now);
          const job = (await store.forModeration(id))!;
          const assessment = moderate(job.text, policy, { context: { repeats: job.repeats } });
          await store.decide(id, { ...assessment, decidedBy: 'auto', decidedAt: new Date(now + 5).toISOString() }, { mode: 'auto', submittedAt: job.submittedAt });
        }),
      );
    }
    // Long enough for the dispatcher to read the last events and trim behind them.
    await new Promise((r) => setTimeout(r, 3000));
    const m = await redisMemory(redis, prefix);
    console.log(`${m.comments} decided comments: ${m.perCommentBytes.toFixed(0)} bytes per comment excluding the text (mean text ${m.textBytes.toFixed(0)} bytes)\n`);
    console.log('| keys | bytes per comment |\n|---|---:|');
    for (const [k, v] of Object.entries(m.byKind).sort((a, b) => b[1] - a[1])) console.log(`| ${k} | ${(v / m.comments).toFixed(0)} |`);
  } finally {
    await dispatcher.stop();
    await queue.close();
    await deletePrefix(redis, prefix);
    dispatchConn.disconnect();
    redis.disconnect();
  }
}

void main();
