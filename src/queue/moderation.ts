import { type ConnectionOptions, type JobsOptions, Queue } from 'bullmq';

/** The queue the API fills and the moderation workers drain. */
export const MODERATION_QUEUE = 'moderation';

export interface ModerationJob {
  commentId: string;
}

/**
 * BullMQ refuses custom ids that look like integers or contain ':' (a CMS's "12345" would be
 * both), so the job id is the comment id, encoded. One comment, one job id: a resubmission
 * while a job is waiting is dropped by BullMQ, and the worker's compare-and-set covers the rest.
 */
export function moderationJobId(commentId: string): string {
  return `c-${encodeURIComponent(commentId)}`;
}

export const MODERATION_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 500 },
  // Finished jobs are deleted: the verdict lives on the comment, not in BullMQ's bookkeeping.
  removeOnComplete: true,
  // Failed jobs are kept for a week so an operator can see why and retry them.
  removeOnFail: { age: 7 * 24 * 3600 },
};

/**
 * BullMQ keeps a stream of its own job events (10,000 by default, about 1 MB per queue). Nothing
 * of ours reads it (decisions go to our own events stream), so a short tail is enough to debug by.
 */
export const BULLMQ_EVENTS_MAXLEN = 500;

export function createModerationQueue(connection: ConnectionOptions, prefix: string): Queue<ModerationJob> {
  return new Queue<ModerationJob>(MODERATION_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: MODERATION_JOB_OPTIONS,
    streams: { events: { maxLen: BULLMQ_EVENTS_MAXLEN } },
  });
}

export function enqueueModeration(queue: Queue<ModerationJob>, commentId: string) {
  return queue.add('moderate', { commentId }, { jobId: moderationJobId(commentId) });
}
