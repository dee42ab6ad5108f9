import type { RedisClient } from '../redis';

/**
 * Lets a request wait for a comment's verdict (`?wait=`) without polling: one subscriber
 * connection per API process hears every decided id and wakes whoever waits for it.
 */
export class DecisionWaiter {
  private readonly waiting = new Map<string, Set<() => void>>();
  private stopped = false;

  private constructor(
    private readonly subscriber: RedisClient,
    private readonly channel: string,
  ) {}

  static async start(subscriber: RedisClient, channel: string): Promise<DecisionWaiter> {
    const waiter = new DecisionWaiter(subscriber, channel);
    subscriber.on('message', (ch: string, id: string) => {
      if (ch === channel) waiter.wake(id);
    });
    await subscriber.subscribe(channel);
    return waiter;
  }

  private wake(id: string): void {
    const set = this.waiting.get(id);
    if (!set) return;
    this.waiting.delete(id);
    for (const resolve of set) resolve();
  }

  /**
   * Resolves true when `id` is decided within `ms`. `isDecided` is checked after subscribing,
   * so a verdict that lands between the enqueue and this call is not missed.
   */
  async wait(id: string, ms: number, isDecided: () => Promise<boolean>): Promise<boolean> {
    // Shutting down: answer now with what is known rather than hold the request open.
    if (this.stopped) return isDecided();
    let resolve!: () => void;
    const decided = new Promise<void>((r) => (resolve = r));
    const set = this.waiting.get(id) ?? new Set();
    set.add(resolve);
    this.waiting.set(id, set);
    let timer: NodeJS.Timeout | undefined;
    try {
      if (await isDecided()) return true;
      const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), ms)));
      const woken = (await Promise.race([decided, timeout])) !== 'timeout';
      // Woken by stop(), not by a verdict: say what is true now.
      return woken && this.stopped ? isDecided() : woken;
    } finally {
      clearTimeout(timer);
      set.delete(resolve);
      if (set.size === 0 && this.waiting.get(id) === set) this.waiting.delete(id);
    }
  }

  /** Releases every waiting request (each answers with the comment as it is), so shutdown needn't wait out their `?wait=`. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const id of [...this.waiting.keys()]) this.wake(id);
    await this.subscriber.unsubscribe(this.channel).catch(() => {});
  }
}
