import { type ConnectionOptions, type JobsOptions, Queue } from 'bullmq';
import { BULLMQ_EVENTS_MAXLEN } from '../queue/moderation';

/** Deliveries have a queue of their own: a slow receiver never delays moderation. */
export const WEBHOOK_QUEUE = 'webhooks';

export interface DeliveryJob {
  deliveryId: string;
}

/** One job per delivery: the first attempt and every scheduled retry, then BullMQ stops. */
export function deliveryJobOptions(schedule: readonly number[]): JobsOptions {
  return {
    attempts: schedule.length + 1,
    // The processor works out each delay (schedule, jitter, Retry-After) and the worker's
    // backoffStrategy hands it to BullMQ; see workers/webhooks.ts.
    backoff: { type: 'custom' },
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

export function createWebhookQueue(connection: ConnectionOptions, prefix: string, schedule: readonly number[]): Queue<DeliveryJob> {
  return new Queue<DeliveryJob>(WEBHOOK_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: deliveryJobOptions(schedule),
    streams: { events: { maxLen: BULLMQ_EVENTS_MAXLEN } },
  });
}

/**
 * BullMQ refuses ':' in job ids; ours are made of the delivery id (letters, digits, _ and -)
 * and, for a manual re-send, its number. A job with the same id still waiting makes this a no-op.
 */
export const deliveryJobId = (deliveryId: string, resend = 0) => (resend === 0 ? deliveryId : `${deliveryId}-resend-${resend}`);

export function enqueueDelivery(queue: Queue<DeliveryJob>, deliveryId: string, resend = 0) {
  return queue.add('deliver', { deliveryId }, { jobId: deliveryJobId(deliveryId, resend) });
}
