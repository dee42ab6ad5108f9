import type { RedisClient } from '../redis';

/**
 * Lets a request wait for a comment's verdict (`?wait=`) without polling: one subscriber
 * connection per API process hears every decided id and wakes whoever waits for it.
 */
type Wake = 'decided' | 'recheck';

export class DecisionWaiter {
  private readonly waiting = new Map<string, Set<(why: Wake) => void>>();
  private stopped = false;

  private constructor(
    private readonly subscriber: RedisClient,
    private readonly channel: string,
  ) {}

  static async start(subscriber: RedisClient, channel: string): Promise<DecisionWaiter> {
    const waiter = new DecisionWaiter(subscriber, channel);
    subscriber.on('message', (ch: string, id: string) => {
      if (ch === channel) waiter.wake(id, 'decided');
    });
    await subscriber.subscribe(channel);
    // Any later 'ready' is a reconnect: ioredis subscribes again, but what was published while
    // the connection was down is lost, so everyone waiting looks at the store again.
    subscriber.on('ready', () => waiter.wakeAll('recheck'));
    return waiter;
  }

  private wake(id: string, why: Wake): void {
    const set = this.waiting.get(id);
    if (!set) return;
    this.waiting.delete(id);
    for (const resolve of set) resolve(why);
  }

  private wakeAll(why: Wake): void {
    for (const id of [...this.waiting.keys()]) this.wake(id, why);
  }

  /**
   * Resolves true when `id` is decided within `ms`. `isDecided` is checked after subscribing,
   * so a verdict that lands between the enqueue and this call is not missed, and again whenever
   * the subscriber reconnects or the waiter stops.
   */
  async wait(id: string, ms: number, isDecided: () => Promise<boolean>): Promise<boolean> {
    const deadline = Date.now() + ms;
    for (;;) {
      let resolve!: (why: Wake) => void;
      const woken = new Promise<Wake>((r) => (resolve = r));
      const set = this.waiting.get(id) ?? new Set();
      set.add(resolve);
      this.waiting.set(id, set);
      let timer: NodeJS.Timeout | undefined;
      try {
        if (await isDecided()) return true;
        // Shutting down: answer now with what is known rather than hold the request open.
        const remaining = deadline - Date.now();
        if (this.stopped || remaining <= 0) return false;
        const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), remaining)));
        const why = await Promise.race([woken, timeout]);
        if (why === 'decided') return true;
        if (why === 'timeout') return false;
        // 'recheck': look at the store again, and wait on for what is left of `ms`.
      } finally {
        clearTimeout(timer);
        set.delete(resolve);
        if (set.size === 0 && this.waiting.get(id) === set) this.waiting.delete(id);
      }
    }
  }

  /** Releases every waiting request (each answers with the comment as it is), so shutdown needn't wait out their `?wait=`. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeAll('recheck');
    await this.subscriber.unsubscribe(this.channel).catch(() => {});
  }
}
