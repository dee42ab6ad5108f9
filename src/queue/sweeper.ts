import type { Queue } from 'bullmq';
import type { Logger } from '../logger';
import type { CommentStore } from '../store/comments';
import { enqueueModeration, type ModerationJob } from './moderation';

export interface SweeperOptions {
  /** A comment queued longer than this without a verdict is queued again. */
  staleAfterMs: number;
  everyMs: number;
  batch: number;
}

export const DEFAULT_SWEEPER: SweeperOptions = { staleAfterMs: 60_000, everyMs: 30_000, batch: 500 };

/**
 * The safety net behind "an accepted comment always gets a verdict": if the API stored a
 * comment and died before queueing it, or a job was lost, this queues it again. Re-adding a
 * job that is still waiting is a no-op in BullMQ, and a decided comment is skipped by the worker.
 */
export async function sweepOnce(store: CommentStore, queue: Queue<ModerationJob>, opts: SweeperOptions, now = Date.now()): Promise<number> {
  const ids = await store.idsByStatus('queued', now - opts.staleAfterMs, opts.batch);
  for (const id of ids) await enqueueModeration(queue, id);
  return ids.length;
}

export function startSweeper(store: CommentStore, queue: Queue<ModerationJob>, log: Logger, opts: SweeperOptions = DEFAULT_SWEEPER): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const n = await sweepOnce(store, queue, opts);
      if (n > 0) log.warn({ requeued: n }, 'sweeper re-queued comments that were waiting too long');
    } catch (err) {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'sweeper could not run');
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(tick, opts.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
