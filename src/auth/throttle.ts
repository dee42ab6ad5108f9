import type { Result } from 'ioredis';
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

declare module 'ioredis' {
  interface RedisCommander<Context> {
    decorumLoginAdmit(...args: (string | number)[]): Result<number, Context>;
    decorumLoginSucceeded(...args: (string | number)[]): Result<number, Context>;
  }
}

/**
 * Check and count in one step: refuses (returning the seconds left) when either counter is at
 * its limit, else counts the attempt against both, as a failure until it is shown otherwise.
 * Parallel attempts therefore can't all pass the check before any of them is counted.
 * KEYS: email counter, address counter. ARGV: email limit, address limit, window s.
 */
const ADMIT = `
local wait = 0
for i = 1, 2 do
  if tonumber(redis.call('GET', KEYS[i]) or '0') >= tonumber(ARGV[i]) then
    local ttl = redis.call('TTL', KEYS[i])
    if ttl < 0 then
      redis.call('EXPIRE', KEYS[i], ARGV[3])
      ttl = tonumber(ARGV[3])
    end
    if ttl > wait then wait = ttl end
  end
end
if wait > 0 then return wait end
for i = 1, 2 do
  redis.call('INCR', KEYS[i])
  if redis.call('TTL', KEYS[i]) < 0 then redis.call('EXPIRE', KEYS[i], ARGV[3]) end
end
return 0
`;

/** The right password: the email's failures are forgiven, and the attempt is taken back from the address's count. */
const SUCCEEDED = `
redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
return 1
`;

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
    redis.defineCommand('decorumLoginAdmit', { numberOfKeys: 2, lua: ADMIT });
    redis.defineCommand('decorumLoginSucceeded', { numberOfKeys: 2, lua: SUCCEEDED });
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
