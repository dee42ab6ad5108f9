// Redis memory per decided comment, without the load: the pipeline bench's comments stored and
// decided through the store itself (CREATE, the engine, DECIDE: every key the service writes for
// a comment but BullMQ's), so a layout change can be measured in a minute.
//
//   npm run bench:memory            (BENCH_COMMENTS, default 55,000; REDIS_URL)
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { moderate } from '../src/engine';
import { loadPolicy } from '../src/policies';
import { CommentStore } from '../src/store/comments';
import { keys } from '../src/store/keys';
import { benchComment, corpus } from './corpus';
import { deletePrefix, redisMemory } from './redis-memory';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const COMMENTS = Number(process.env.BENCH_COMMENTS ?? 55_000);

async function main(): Promise<void> {
  const redis = new Redis(REDIS_URL);
  // As long as the default prefix ("decorum"): key names are part of what a comment costs.
  const prefix = `bm-${randomBytes(2).toString('hex')}`;
  const store = new CommentStore(redis, keys(prefix));
  const policy = loadPolicy();
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
          await store.decide(id, { ...assessment, decidedBy: 'auto', decidedAt: new Date(now + 5).toISOString() }, 'auto');
        }),
      );
    }
    const m = await redisMemory(redis, prefix);
    console.log(`${m.comments} decided comments: ${m.perCommentBytes.toFixed(0)} bytes per comment excluding the text (mean text ${m.textBytes.toFixed(0)} bytes)\n`);
    console.log('| keys | bytes per comment |\n|---|---:|');
    for (const [k, v] of Object.entries(m.byKind).sort((a, b) => b[1] - a[1])) console.log(`| ${k} | ${(v / m.comments).toFixed(0)} |`);
  } finally {
    await deletePrefix(redis, prefix);
    redis.disconnect();
  }
}

void main();
