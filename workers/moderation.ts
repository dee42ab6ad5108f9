import { type ConnectionOptions, Worker } from 'bullmq';
import { type CompiledPolicy, moderate } from '../src/engine';
import type { Verdict } from '../src/engine/verdict';
import type { Logger } from '../src/logger';
import type { Metrics } from '../src/metrics';
import { isRedisUnavailable } from '../src/redis';
import { MODERATION_QUEUE, type ModerationJob } from '../src/queue/moderation';
import type { CommentStore } from '../src/store/comments';

export interface ModerationWorkerDeps {
  connection: ConnectionOptions;
  prefix: string;
  store: CommentStore;
  policy: CompiledPolicy;
  concurrency: number;
  log: Logger;
  metrics?: Metrics;
  /** How long a job's lock lasts without renewal (BullMQ's lockDuration and stall-check interval). */
  lockMs?: number;
}

/**
 * Processing is idempotent (see processModeration), so re-running a job whose worker died is
 * always safe. BullMQ's default fails a job the second time it stalls, which would leave a
 * comment waiting for an operator just because two workers were killed in turn; a job that
 * really kills every worker that touches it still ends in the failed set after three stalls.
 */
const MAX_STALLED_COUNT = 2;

/**
 * After a connection error BullMQ waits this long before fetching jobs (or recording a job's end)
 * again; its default, 15 s, could leave comments waiting that long after a short Redis outage.
 */
const RUN_RETRY_DELAY_MS = 1000;

/**
 * Runs the engine on one queued comment and records the verdict. Safe to run any number of
 * times for the same comment: the store applies an automatic verdict only to a queued comment.
 */
export async function processModeration(
  deps: Pick<ModerationWorkerDeps, 'store' | 'policy' | 'log' | 'metrics'>,
  commentId: string,
): Promise<'decided' | 'skipped'> {
  const comment = await deps.store.forModeration(commentId);
  if (!comment) {
    deps.log.warn({ commentId }, 'moderation job for a comment that does not exist');
    return 'skipped';
  }
  if (comment.status !== 'queued') return 'skipped';
  const started = performance.now();
  const assessment = moderate(comment.text, deps.policy, { context: { repeats: comment.repeats } });
  const engineMs = performance.now() - started;
  const verdict: Verdict = { ...assessment, decidedBy: 'auto', decidedAt: new Date().toISOString() };
  const result = await deps.store.decide(commentId, verdict, { mode: 'auto', submittedAt: comment.submittedAt });
  if (result.outcome !== 'applied') return 'skipped';
  deps.metrics?.recordVerdict(verdict, engineMs);
  deps.log.debug({ commentId, decision: verdict.decision }, 'comment decided');
  return 'decided';
}

export function startModerationWorker(deps: ModerationWorkerDeps): Worker<ModerationJob> {
  const worker = new Worker<ModerationJob>(
    MODERATION_QUEUE,
    async (job) => processModeration(deps, job.data.commentId),
    {
      connection: deps.connection,
      prefix: deps.prefix,
      concurrency: deps.concurrency,
      lockDuration: deps.lockMs ?? 30_000,
      stalledInterval: deps.lockMs ?? 30_000,
      maxStalledCount: MAX_STALLED_COUNT,
      runRetryDelay: RUN_RETRY_DELAY_MS,
    },
  );
  worker.on('failed', (job, err) => {
    deps.log.error({ jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'moderation job failed');
  });
  worker.on('error', (err) => {
    // BullMQ reports each failed reconnect here; the connection's watcher logs the outage once.
    if (isRedisUnavailable(err)) deps.log.debug({ err: err.message }, 'moderation worker: redis unavailable');
    else deps.log.error({ err: err.message }, 'moderation worker error');
  });
  return worker;
}
