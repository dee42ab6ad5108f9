import type { Job, Queue } from 'bullmq';
import { type ModerationJob, moderationJobId } from './moderation';

/**
 * The operator's view of moderation jobs that ran out of attempts. BullMQ keeps them (with their
 * error) for a week; their comments stay `queued` until a retry succeeds, and the sweeper can't
 * help, because BullMQ ignores an add whose job id still exists.
 */
export interface FailedJob {
  jobId: string;
  commentId: string;
  attemptsMade: number;
  failedReason: string;
  /** When it failed for the last time (ISO 8601), if BullMQ recorded it. */
  failedAt: string | null;
  /** The last stack trace line that points into our code, or the error's first line. */
  where: string | null;
}

function describe(job: Job<ModerationJob>): FailedJob {
  const stack = job.stacktrace?.at(-1) ?? '';
  const ours = stack.split('\n').find((l) => /\bat\b.*(src|workers)\//.test(l));
  return {
    jobId: job.id ?? '',
    commentId: job.data?.commentId ?? '',
    attemptsMade: job.attemptsMade,
    failedReason: job.failedReason ?? '',
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    where: ours?.trim() ?? null,
  };
}

/** Failed jobs, the most recently failed first, up to `limit`. */
export async function listFailed(queue: Queue<ModerationJob>, limit = 1000): Promise<FailedJob[]> {
  const jobs = (await queue.getFailed(0, limit - 1)) as Job<ModerationJob>[];
  return jobs.filter((j): j is Job<ModerationJob> => Boolean(j)).map(describe);
}

export interface RetryReport {
  retried: FailedJob[];
  /** Ids given that name no failed job (unknown, or already waiting, running or done). */
  notFailed: string[];
}

/** A comment id, or a job id as `list` prints it: both are accepted. */
async function findJob(queue: Queue<ModerationJob>, id: string): Promise<Job<ModerationJob> | undefined> {
  return (await queue.getJob(moderationJobId(id))) ?? (await queue.getJob(id));
}

/**
 * Moves failed jobs back to the queue with their attempts reset, all of them or those named by
 * comment or job id. Retrying a job whose comment was decided meanwhile is harmless: the worker
 * only decides a comment that is still queued.
 */
export async function retryFailed(queue: Queue<ModerationJob>, ids?: string[]): Promise<RetryReport> {
  const report: RetryReport = { retried: [], notFailed: [] };
  let jobs: Job<ModerationJob>[];
  if (ids && ids.length > 0) {
    jobs = [];
    for (const id of ids) {
      const job = await findJob(queue, id);
      if (job && (await job.isFailed())) jobs.push(job);
      else report.notFailed.push(id);
    }
  } else {
    // Collected first: retrying moves jobs out of the failed set, which would shift the pages.
    jobs = [];
    const total = await queue.getFailedCount();
    for (let start = 0; start < total; start += 500) {
      const page = (await queue.getFailed(start, start + 499)) as Job<ModerationJob>[];
      jobs.push(...page.filter(Boolean));
    }
  }
  for (const job of jobs) {
    const before = describe(job);
    try {
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      report.retried.push(before);
    } catch (err) {
      // Someone else retried or removed it since we looked; anything else is a real error.
      if (await job.isFailed().catch(() => true)) throw err;
      report.notFailed.push(before.jobId);
    }
  }
  return report;
}
