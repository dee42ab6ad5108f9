// The pipeline's ceiling: the same stack with nothing of Decorum's in it. Express with zod
// validation of the same request shape, queue.add, and a BullMQ worker that only writes a small
// hash (the time the job was added and the time it ran, for BullMQ's own add-to-done latency).
// Run by bench/pipeline.ts as a child process: PORT, REDIS_URL, PREFIX; prints "ready" when up.
import { Queue, Worker } from 'bullmq';
import express from 'express';
import { Redis } from 'ioredis';
import { CommentInputSchema } from '../src/domain/comment';

const port = Number(process.env.PORT);
const prefix = process.env.PREFIX!;
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const concurrency = Number(process.env.WORKER_CONCURRENCY ?? 16);

async function main(): Promise<void> {
  const queueConn = new Redis(url, { maxRetriesPerRequest: null });
  const workerConn = new Redis(url, { maxRetriesPerRequest: null });
  const writer = new Redis(url);
  const queue = new Queue('bare', { connection: queueConn, prefix: `${prefix}:bull` });
  const worker = new Worker(
    'bare',
    async (job) => {
      await writer.hset(`${prefix}:job:${job.id}`, 'submittedAt', job.timestamp, 'decidedAt', Date.now());
    },
    { connection: workerConn, prefix: `${prefix}:bull`, concurrency },
  );
  const app = express();
  app.use(express.json({ limit: '64kb' }));
  app.post('/v1/comments', async (req, res) => {
    const parsed = CommentInputSchema.safeParse(req.body);
    if (!parsed.success) return void res.status(422).json({ error: parsed.error.issues[0].message });
    const job = await queue.add('c', { text: parsed.data.text }, { removeOnComplete: true });
    res.status(202).json({ id: job.id, status: 'queued' });
  });
  const server = app.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
  process.on('SIGTERM', async () => {
    server.close();
    await worker.close();
    await queue.close();
    for (const c of [queueConn, workerConn, writer]) c.disconnect();
    process.exit(0);
  });
}

main();
