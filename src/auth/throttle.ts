import type { Result } from 'ioredis';
import type { RedisClient } from '../redis';
import type { Keys } from '../store/keys';
import { defineScripts } from '../store/lua';
import { sha256 } from './tokens';

export interface ThrottleSettings {
  /** Failures allowed per email within the window before that email is locked for the rest of it. */
  maxPerEmail: number;
  /** Failures allowed per client address (guessing across many emails) within the window. */
  maxPerIp: number;
  windowSeconds: number;
}

declare module 'ioredis' {
  interface RedisCommander<Context> {
    decorumLoginAdmit(...args: (string | number)[]): Result<number, Context>;
    decorumLoginSucceeded(...args: (string | number)[]): Result<number, Context>;
  }
}

/**
 * Sign-in throttling. Every attempt counts against the email and against the client address
 * (its /64 for IPv6, as the submission limits count) before the password is checked; past
 * either limit, sign-in is refused (even with the right password) until the window, which starts
 * at the first attempt, runs out. A success clears the email's count and takes itself back from
 * the address's, so only failures add up.
 */
export class LoginThrottle {
  constructor(
    private readonly redis: RedisClient,
    private readonly k: Keys,
    private readonly settings: ThrottleSettings,
  ) {
    defineScripts(redis, ['loginAdmit', 'loginSucceeded']);
  }

  private keysFor(email: string, address: string): [string, string] {
    return [this.k.loginFailures('email', sha256(email)), this.k.loginFailures('ip', sha256(address))];
  }

  /** Counts an attempt and returns 0, or returns the seconds until sign-in is allowed again without counting. */
  async admit(email: string, address: string): Promise<number> {
    const { maxPerEmail, maxPerIp, windowSeconds } = this.settings;
    return this.redis.decorumLoginAdmit(...this.keysFor(email, address), maxPerEmail, maxPerIp, windowSeconds);
  }

  async recordSuccess(email: string, address: string): Promise<void> {
    await this.redis.decorumLoginSucceeded(...this.keysFor(email, address));
  }
}
