import type { RedisClient } from '../redis';
import type { Keys } from '../store/keys';
import { sha256 } from './tokens';

export interface ThrottleSettings {
  /** Failures allowed per email within the window before that email is locked for the rest of it. */
  maxPerEmail: number;
  /** Failures allowed per client address (guessing across many emails) within the window. */
  maxPerIp: number;
  windowSeconds: number;
}

/**
 * Sign-in throttling. Each failure counts against the email and against the client address;
 * past either limit, sign-in is refused (even with the right password) until the window, which
 * starts at the first failure, runs out. A success clears the email's count.
 */
export class LoginThrottle {
  constructor(
    private readonly redis: RedisClient,
    private readonly k: Keys,
    private readonly settings: ThrottleSettings,
  ) {}

  private keysFor(email: string, ip: string) {
    return { email: this.k.loginFailures('email', sha256(email)), ip: this.k.loginFailures('ip', sha256(ip)) };
  }

  /** Seconds until sign-in is allowed again, or 0 when it is allowed now. */
  async retryAfter(email: string, ip: string): Promise<number> {
    const k = this.keysFor(email, ip);
    const res = await this.redis.multi().get(k.email).ttl(k.email).get(k.ip).ttl(k.ip).exec();
    const [emailCount, emailTtl, ipCount, ipTtl] = (res ?? []).map(([, v]) => v) as [string | null, number, string | null, number];
    let wait = 0;
    if (Number(emailCount ?? 0) >= this.settings.maxPerEmail) wait = Math.max(wait, emailTtl);
    if (Number(ipCount ?? 0) >= this.settings.maxPerIp) wait = Math.max(wait, ipTtl);
    return wait > 0 ? wait : 0;
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const k = this.keysFor(email, ip);
    const w = this.settings.windowSeconds;
    await this.redis.multi().incr(k.email).expire(k.email, w, 'NX').incr(k.ip).expire(k.ip, w, 'NX').exec();
  }

  async recordSuccess(email: string): Promise<void> {
    await this.redis.del(this.k.loginFailures('email', sha256(email)));
  }
}
