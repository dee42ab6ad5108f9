import { type ConnectionOptions, Worker } from 'bullmq';
import { type CompiledPolicy, moderate } from '../src/engine';
import type { Verdict } from '../src/engine/verdict';
import type { Logger } from '../src/logger';
import { MODERATION_QUEUE, type ModerationJob } from '../src/queue/moderation';
import type { CommentStore } from '../src/store/comments';

export interface ModerationWorkerDeps {
  connection: ConnectionOptions;
  prefix: string;
  store: CommentStore;
  policy: CompiledPolicy;
  concurrency: number;
  log: Logger;
}

/**
 * Runs the engine on one queued comment and records the verdict. Safe to run any number of
 * times for the same comment: the store applies an automatic verdict only to a queued comment.
 */
export async function processModeration(
  deps: Pick<ModerationWorkerDeps, 'store' | 'policy' | 'log'>,
  commentId: string,
): Promise<'decided' | 'skipped'> {
  const comment = await deps.store.forModeration(commentId);
  if (!comment) {
    deps.log.warn({ commentId }, 'moderation job for a comment that does not exist');
    return 'skipped';
  }
  if (comment.status !== 'queued') return 'skipped';
  const repeats = await deps.store.countRepeats(commentId, comment.text);
  const assessment = moderate(comment.text, deps.policy, { context: { repeats } });
  const verdict: Verdict = { ...assessment, decidedBy: 'auto', decidedAt: new Date().toISOString() };
  const result = await deps.store.decide(commentId, verdict, 'auto');
  if (result.outcome !== 'applied') return 'skipped';
  deps.log.debug({ commentId, decision: verdict.decision }, 'comment decided');
  return 'decided';
}

export function startModerationWorker(deps: ModerationWorkerDeps): Worker<ModerationJob> {
  const worker = new Worker<ModerationJob>(
    MODERATION_QUEUE,
    async (job) => processModeration(deps, job.data.commentId),
    { connection: deps.connection, prefix: deps.prefix, concurrency: deps.concurrency },
  );
  worker.on('failed', (job, err) => {
    deps.log.error({ jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'moderation job failed');
  });
  worker.on('error', (err) => deps.log.error({ err: err.message }, 'moderation worker error'));
  return worker;
}
