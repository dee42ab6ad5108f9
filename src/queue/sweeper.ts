import type { Queue } from 'bullmq';
import type { Logger } from '../logger';
import type { CommentStore } from '../store/comments';
import { enqueueModeration, type ModerationJob, moderationJobId } from './moderation';

export interface SweeperOptions {
  /** A comment queued longer than this without a verdict has its job looked for. */
  staleAfterMs: number;
  everyMs: number;
  batch: number;
}

export const DEFAULT_SWEEPER: SweeperOptions = { staleAfterMs: 60_000, everyMs: 30_000, batch: 500 };

const MAX_PAGES = 20;

export interface SweepReport {
  /** Comments that had no job at all and were queued again. */
  requeued: string[];
  /** Comments whose job is in the failed set: only an operator's retry (decorum jobs retry) moves them. */
  failed: string[];
}

/**
 * The safety net behind "an accepted comment always gets a verdict": if the API stored a
 * comment and died (or lost Redis) before queueing it, this queues it. BullMQ drops an add whose
 * job id still exists, so it looks at the job first: one waiting, delayed or running is left
 * alone, and one that failed is reported, not silently "re-added" to no effect.
 */
export async function sweep(store: CommentStore, queue: Queue<ModerationJob>, opts: SweeperOptions, now = Date.now()): Promise<SweepReport> {
  const report: SweepReport = { requeued: [], failed: [] };
  // Comments with a live or failed job are skipped: page past them, oldest first, so they can't
  // hide a newer comment that has no job. Bounded, so a big backlog costs Redis little per sweep.
  for (let page = 0, offset = 0; page < MAX_PAGES; page++, offset += opts.batch) {
    const ids = await store.idsByStatus('queued', now - opts.staleAfterMs, opts.batch, offset);
    for (const id of ids) {
      const state = await queue.getJobState(moderationJobId(id));
      if (state === 'unknown') {
        // If a job appears in between (the client retried), this add is the no-op we want.
        await enqueueModeration(queue, id);
        report.requeued.push(id);
      } else if (state === 'failed') {
        report.failed.push(id);
      }
    }
    if (ids.length < opts.batch) break;
  }
  return report;
}

/** Runs one sweep; returns how many comments it queued again. */
export async function sweepOnce(store: CommentStore, queue: Queue<ModerationJob>, opts: SweeperOptions, now = Date.now()): Promise<number> {
  return (await sweep(store, queue, opts, now)).requeued.length;
}

export function startSweeper(store: CommentStore, queue: Queue<ModerationJob>, log: Logger, opts: SweeperOptions = DEFAULT_SWEEPER): () => void {
  let running = false;
  let failedBefore = 0;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const { requeued, failed } = await sweep(store, queue, opts);
      if (requeued.length > 0) log.warn({ requeued: requeued.length, ids: requeued.slice(0, 20) }, 'sweeper queued comments that had no moderation job');
      // Said once per change, not every sweep for the week BullMQ keeps failed jobs.
      if (failed.length !== failedBefore && failed.length > 0) {
        log.error({ failed: failed.length, ids: failed.slice(0, 20) }, 'comments wait on failed moderation jobs; see `decorum jobs list`, then `decorum jobs retry`');
      }
      failedBefore = failed.length;
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
