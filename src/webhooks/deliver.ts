import { UnrecoverableError } from 'bullmq';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { DeliveryStore } from './deliveries-store';
import { activeSecrets, type EndpointStore } from './endpoints-store';
import { parseRetryAfter, retryDelay } from './schedule';
import { send, type SendResult } from './send';
import { signedHeaders } from './signing';

export interface DeliverySettings {
  /** Delays before each retry, in ms (before jitter). */
  schedule: readonly number[];
  timeoutMs: number;
  allowPrivate: boolean;
  /** An endpoint failing continuously for this long is disabled. */
  disableAfterMs: number;
}

export interface DeliveryDeps extends DeliverySettings {
  endpoints: EndpointStore;
  deliveries: DeliveryStore;
  log: Logger;
  metrics?: Metrics;
  now?: () => number;
}

/** The longest Retry-After we wait for, unless the schedule itself has a longer step. */
export const RETRY_AFTER_CAP_MS = 3600_000;

/** A failed attempt that should be tried again after `delayMs` (the worker's backoffStrategy reads it). */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}

/** Which failures are worth another try: the receiver may recover from these, not from a 4xx. */
function isRetryable(r: SendResult): boolean {
  if (r.kind === 'error') return r.reason === 'timeout' || r.reason === 'network';
  return r.status === 429 || r.status >= 500 || (r.status >= 300 && r.status < 400);
}

function failureText(r: SendResult): string {
  if (r.kind === 'error') return `${r.reason}: ${r.message}`;
  if (r.status >= 300 && r.status < 400) return `HTTP ${r.status}: redirects are not followed`;
  return `HTTP ${r.status}`;
}

/**
 * One attempt at one delivery. `retry` is which retry this would schedule next if it fails
 * (1 after the first attempt of a job). Resolves when delivered or when there is nothing to do;
 * throws RetryLater to be tried again, or UnrecoverableError when it never will be.
 */
export async function attemptDelivery(deps: DeliveryDeps, deliveryId: string, retry: number): Promise<'succeeded' | 'skipped'> {
  const now = (deps.now ?? Date.now)();
  const delivery = await deps.deliveries.get(deliveryId);
  if (!delivery) return 'skipped'; // expired from the log, or its endpoint was deleted
  const endpoint = await deps.endpoints.get(delivery.endpointId);
  if (!endpoint || !endpoint.enabled) {
    const why = endpoint ? 'endpoint disabled' : 'endpoint deleted';
    await deps.deliveries.recordAttempt(deliveryId, { status: 'failed', attempts: delivery.attempts, at: now, latencyMs: 0, error: why });
    return 'skipped';
  }

  const headers = signedHeaders(activeSecrets(endpoint, now), delivery.id, delivery.body, now);
  const result = await send(endpoint.url, delivery.body, { ...headers }, { timeoutMs: deps.timeoutMs, allowPrivate: deps.allowPrivate });
  const attempts = delivery.attempts + 1;
  const at = (deps.now ?? Date.now)();
  const common = {
    attempts,
    at,
    latencyMs: result.latencyMs,
    ...(result.kind === 'response' && { responseCode: result.status, responseBody: result.body }),
  };

  if (result.kind === 'response' && result.status >= 200 && result.status < 300) {
    await deps.deliveries.recordAttempt(deliveryId, { ...common, status: 'succeeded' });
    deps.metrics?.webhookDeliveries.inc({ outcome: 'succeeded' });
    await deps.endpoints.recordSuccess(endpoint.id);
    deps.log.debug({ deliveryId, endpointId: endpoint.id, status: result.status, attempts }, 'webhook delivered');
    return 'succeeded';
  }

  const error = failureText(result);
  const disabledNow = await deps.endpoints.recordFailure(endpoint.id, at, deps.disableAfterMs, `failing continuously since the first failure at least ${Math.round(deps.disableAfterMs / 1000)} s ago (last: ${error})`);
  if (disabledNow) deps.log.warn({ endpointId: endpoint.id, url: endpoint.url }, 'webhook endpoint disabled after failing continuously');
  let delay = isRetryable(result) && !disabledNow ? retryDelay(deps.schedule, retry) : null;
  if (delay !== null && result.kind === 'response' && (result.status === 429 || result.status === 503)) {
    // The receiver said when it can take more: not before then, whatever our schedule says.
    const asked = parseRetryAfter(result.retryAfter, at, Math.max(RETRY_AFTER_CAP_MS, ...deps.schedule));
    if (asked !== null) delay = Math.max(delay, asked);
  }
  if (delay === null) {
    await deps.deliveries.recordAttempt(deliveryId, { ...common, status: 'failed', error });
    deps.metrics?.webhookDeliveries.inc({ outcome: 'failed' });
    deps.log.info({ deliveryId, endpointId: endpoint.id, error, attempts }, 'webhook delivery failed for good');
    throw new UnrecoverableError(error);
  }
  await deps.deliveries.recordAttempt(deliveryId, { ...common, status: 'retrying', error, nextAttemptAt: at + delay });
  deps.metrics?.webhookDeliveries.inc({ outcome: 'retrying' });
  throw new RetryLater(error, delay);
}
