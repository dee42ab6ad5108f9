import type { RedisClient } from '../redis';
import type { Keys } from '../store/keys';
import { HttpProblem } from './problem';

/** How long one process trusts the backlog and count it last read. */
const FRESH_MS = 250;
/** Admitted whatever the measured rate: a service starting up, or idle, has measured nothing yet. */
export const MIN_ADMITTED = 100;
/** What a refused client is told to wait when the workers' rate is unknown or nil. */
const RETRY_UNKNOWN_S = 5;
const RETRY_MAX_S = 60;
/** Weight of the newest busy interval in the rate: about the last two seconds count. */
const SMOOTHING = 0.3;

export interface AdmissionSettings {
  /** Comments waiting for a verdict at which submissions are refused whatever the rate; 0: no such cap. */
  maxWaiting: number;
  /** The longest an accepted comment should wait for its verdict at the workers' measured rate; 0: rate not considered. */
  maxWaitMs: number;
}

/**
 * The workers' decision rate, from readings of the count of automatic decisions (the decide
 * script counts them) and of the backlog. Only an interval with a backlog at both ends says how
 * fast the workers can go; an idle one only says how fast comments came.
 */
export class DecisionRate {
  perSecond = 0;
  private last: { count: number; depth: number; at: number } | null = null;
  private measured = false;

  sample(count: number, depth: number, at: number): void {
    const prev = this.last;
    this.last = { count, depth, at };
    if (!prev || at <= prev.at || count < prev.count || prev.depth === 0 || depth === 0) return;
    const observed = ((count - prev.count) * 1000) / (at - prev.at);
    this.perSecond = this.measured ? (1 - SMOOTHING) * this.perSecond + SMOOTHING * observed : observed;
    this.measured = true;
  }
}

/** How many waiting comments the settings allow at a rate, and how long a refused client should wait. */
export function admission(settings: AdmissionSettings, depth: number, perSecond: number): { allowed: number; retryAfterS: number } {
  let allowed = Infinity;
  if (settings.maxWaitMs > 0) allowed = Math.max(MIN_ADMITTED, Math.floor((perSecond * settings.maxWaitMs) / 1000));
  if (settings.maxWaiting > 0) allowed = Math.min(allowed, settings.maxWaiting);
  const retryAfterS = perSecond > 0 ? Math.min(RETRY_MAX_S, Math.max(1, Math.ceil((depth - allowed + 1) / perSecond))) : RETRY_UNKNOWN_S;
  return { allowed, retryAfterS };
}

/**
 * Refuses new comments (503 with Retry-After) before the backlog grows past what the workers
 * can decide within `maxWaitMs` at their measured rate, or past `maxWaiting` comments, so an
 * accepted comment gets its verdict within a bounded time instead of the backlog and its wait
 * growing without bound. The backlog is the size of the queued-status index (ZCARD, O(1)) and
 * the rate comes from the count of automatic decisions; both are read together at most once per
 * FRESH_MS per process (concurrent requests share the read), and the comments this process
 * accepted since are added, so one process can't overshoot by a burst.
 */
export class Backpressure {
  private depth = 0;
  private readAt = -Infinity;
  private reading: Promise<void> | null = null;
  readonly rate = new DecisionRate();

  constructor(
    private readonly redis: RedisClient,
    private readonly k: Keys,
    private readonly settings: AdmissionSettings,
    private readonly onRefused: () => void = () => {},
  ) {}

  /** Throws the 503 when the backlog is as deep as the workers' rate allows. */
  async check(): Promise<void> {
    if (this.settings.maxWaiting <= 0 && this.settings.maxWaitMs <= 0) return;
    if (performance.now() - this.readAt > FRESH_MS) {
      this.reading ??= this.read().finally(() => {
        this.reading = null;
      });
      await this.reading;
    }
    const { allowed, retryAfterS } = admission(this.settings, this.depth, this.rate.perSecond);
    if (this.depth >= allowed) {
      this.onRefused();
      const rate = Math.round(this.rate.perSecond);
      const why =
        allowed === this.settings.maxWaiting
          ? `the limit is ${this.settings.maxWaiting}`
          : `at the workers' rate of ${rate} a second, more would wait over ${this.settings.maxWaitMs / 1000} s for a verdict`;
      throw new HttpProblem(
        503,
        'Service unavailable',
        `${this.depth} comments are waiting for moderation (${why}); retry in ${retryAfterS} s`,
        { queueDepth: this.depth, decisionsPerSecond: rate, retryAfter: retryAfterS },
        { 'Retry-After': String(retryAfterS) },
      );
    }
  }

  /** A comment this process just queued: counted until the next read. */
  accepted(): void {
    this.depth++;
  }

  private async read(): Promise<void> {
    const res = await this.redis.pipeline().zcard(this.k.byStatus('queued')).get(this.k.autoDecisions).exec();
    const [[depthErr, depth], [countErr, count]] = res ?? [[new Error('no reply'), 0], [null, null]];
    if (depthErr) throw depthErr;
    if (countErr) throw countErr;
    this.depth = Number(depth);
    this.readAt = performance.now();
    this.rate.sample(Number(count ?? 0), this.depth, this.readAt);
  }
}
