import type { Worker } from 'bullmq';

/**
 * Stops a BullMQ worker taking jobs and waits for the ones in progress, but at most `boundMs`, and
 * not at all when Redis is away (their results couldn't be recorded anyway). A job cut short
 * keeps its lock until it expires and is then run again by another worker, which every job of
 * ours tolerates (moderation is idempotent; a re-sent webhook keeps its webhook-id).
 * Resolves true if every job in progress finished.
 */
export async function closeWorker(worker: Worker, redisReady: boolean, boundMs: number): Promise<boolean> {
  if (!redisReady) {
    await worker.close(true);
    return false;
  }
  let timer: NodeJS.Timeout | undefined;
  const finished = await Promise.race([
    worker.close().then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), boundMs))),
  ]);
  clearTimeout(timer);
  // BullMQ can't turn a graceful close into a forced one; dropping its connections ends it.
  if (!finished) await worker.disconnect();
  return finished;
}
