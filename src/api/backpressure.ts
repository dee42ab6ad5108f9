import type { RedisClient } from '../redis';
import type { Keys } from '../store/keys';
import { HttpProblem } from './problem';

/** How long one process trusts the depth it last read. */
const FRESH_MS = 250;
/** What a refused client is told to wait: about what a worker pool needs to make headway. */
const RETRY_AFTER_S = 5;

/**
 * Refuses new comments while too many wait for a verdict, so a backlog is answered with 503s
 * instead of growing without bound. The depth is the size of the queued-status index (ZCARD,
 * O(1)), read at most once per FRESH_MS per process (concurrent requests share the read); the
 * comments this process accepted since are added, so one process can't overshoot by a burst.
 */
export class Backpressure {
  private depth = 0;
  private readAt = -Infinity;
  private reading: Promise<void> | null = null;

  constructor(
    private readonly redis: RedisClient,
    private readonly k: Keys,
    /** 0 turns it off. */
    private readonly maxWaiting: number,
    private readonly onRefused: () => void = () => {},
  ) {}

  /** Throws the 503 when the queue is full. */
  async check(): Promise<void> {
    if (this.maxWaiting <= 0) return;
    if (performance.now() - this.readAt > FRESH_MS) {
      this.reading ??= this.redis
        .zcard(this.k.byStatus('queued'))
        .then((n) => {
          this.depth = n;
          this.readAt = performance.now();
        })
        .finally(() => {
          this.reading = null;
        });
      await this.reading;
    }
    if (this.depth >= this.maxWaiting) {
      this.onRefused();
      throw new HttpProblem(
        503,
        'Service unavailable',
        `${this.depth} comments are waiting for moderation (the limit is ${this.maxWaiting}); retry in ${RETRY_AFTER_S} s`,
        { queueDepth: this.depth, retryAfter: RETRY_AFTER_S },
        { 'Retry-After': String(RETRY_AFTER_S) },
      );
    }
  }

  /** A comment this process just queued: counted until the next read. */
  accepted(): void {
    this.depth++;
  }
}
