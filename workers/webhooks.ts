import { type ConnectionOptions, Worker } from 'bullmq';
import { isRedisUnavailable } from '../src/redis';
import { attemptDelivery, type DeliveryDeps, RetryLater } from '../src/webhooks/deliver';
import { type DeliveryJob, WEBHOOK_QUEUE } from '../src/webhooks/queue';
import { retryDelay } from '../src/webhooks/schedule';

export interface WebhookWorkerDeps extends DeliveryDeps {
  connection: ConnectionOptions;
  prefix: string;
  concurrency: number;
}

export function startWebhookWorker(deps: WebhookWorkerDeps): Worker<DeliveryJob> {
  const worker = new Worker<DeliveryJob>(
    WEBHOOK_QUEUE,
    // attemptsMade counts the attempts this job has finished, so this attempt failing schedules retry attemptsMade + 1.
    async (job) => attemptDelivery(deps, job.data.deliveryId, job.attemptsMade + 1),
    {
      connection: deps.connection,
      prefix: deps.prefix,
      concurrency: deps.concurrency,
      // A job's lock must outlast one attempt, which the delivery timeout bounds.
      lockDuration: Math.max(30_000, deps.timeoutMs * 3),
      runRetryDelay: 1000,
      settings: {
        // The processor already chose the delay (and logged it as nextAttemptAt); anything else
        // that failed (Redis away mid-attempt) follows the schedule.
        backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
          err instanceof RetryLater ? err.delayMs : (retryDelay(deps.schedule, attemptsMade) ?? deps.schedule[deps.schedule.length - 1]),
      },
    },
  );
  worker.on('error', (err) => {
    if (isRedisUnavailable(err)) deps.log.debug({ err: err.message }, 'webhook worker: redis unavailable');
    else deps.log.error({ err: err.message }, 'webhook worker error');
  });
  return worker;
}
