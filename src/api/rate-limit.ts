import { isIP } from 'node:net';
import type { Response } from 'express';
import type { Result } from 'ioredis';
import type { RedisClient } from '../redis';
import type { Keys } from '../store/keys';
import { defineScripts } from '../store/lua';
import { HttpProblem } from './problem';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    decorumRateLimit(...args: (string | number)[]): Result<number[], Context>;
  }
}

export type LimitScope = 'key' | 'author' | 'ip';

export interface RateLimitSettings {
  windowMs: number;
  /** Submissions allowed per window; 0 turns that limit off. */
  key: number;
  author: number;
  ip: number;
  /** Per site, any of the three replaced. */
  bySite: Record<string, Partial<Record<LimitScope, number>>>;
}

const LABEL: Record<LimitScope, string> = { key: 'API key', author: 'comment author', ip: 'client address' };

/** The tightest limit's state, for the RateLimit-* headers. */
export interface LimitState {
  scope: LimitScope;
  limit: number;
  remaining: number;
  resetMs: number;
}

/**
 * The address a limit counts against: IPv4-mapped IPv6 as plain IPv4, and IPv6 by its /64 (one
 * subscriber usually gets a whole /64, so counting single addresses would let them rotate).
 */
export function clientBucket(ip: string | undefined): string {
  if (!ip) return 'unknown';
  let a = ip.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  if (mapped) a = mapped[1];
  if (isIP(a) !== 6) return a;
  const [head, tail = ''] = a.split('::');
  const h = head ? head.split(':') : [];
  const t = a.includes('::') && tail ? tail.split(':') : [];
  // An embedded IPv4 tail takes two groups; it sits past the /64 anyway.
  const groups = [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

export class RateLimiter {
  constructor(
    private readonly redis: RedisClient,
    private readonly k: Keys,
    private readonly settings: RateLimitSettings,
    private readonly onRefused: (scope: LimitScope) => void = () => {},
  ) {
    defineScripts(redis, ['rateLimit']);
  }

  /**
   * Counts one submission to `site` against every limit that is on, or throws the 429 naming the
   * limit that keeps it out longest. Returns the tightest limit after counting, or null when all
   * are off. Authors and addresses are counted per site (a site's own limits apply to its own
   * readers); keys belong to one site or to all.
   */
  async consume(ids: Record<LimitScope, string>, site: string): Promise<LimitState | null> {
    const limitOf = (s: LimitScope) => this.settings.bySite[site]?.[s] ?? this.settings[s];
    const scopes = (['key', 'author', 'ip'] as const).filter((s) => limitOf(s) > 0);
    if (scopes.length === 0) return null;
    const keys = scopes.map((s) => this.k.rateLimit(s, s === 'key' ? ids[s] : `${site}:${ids[s]}`));
    const limits = scopes.map(limitOf);
    const out = await this.redis.decorumRateLimit(keys.length, ...keys, this.settings.windowMs, ...limits);
    if (out[0] === 0) {
      const scope = scopes[out[1] - 1];
      const retryAfter = Math.max(1, Math.ceil(out[2] / 1000));
      const limit = limitOf(scope);
      const windowS = this.settings.windowMs / 1000;
      this.onRefused(scope);
      throw new HttpProblem(
        429,
        'Too many requests',
        `the ${LABEL[scope]} limit of ${limit} comments per ${windowS} s is reached; retry in ${retryAfter} s`,
        { limit: scope, retryAfter },
        { 'Retry-After': String(retryAfter), ...headers({ scope, limit, remaining: 0, resetMs: out[2] }) },
      );
    }
    let tightest: LimitState | null = null;
    scopes.forEach((scope, i) => {
      const limit = limits[i];
      const state = { scope, limit, remaining: Math.max(0, limit - out[1 + 2 * i]), resetMs: out[2 + 2 * i] };
      if (!tightest || state.remaining < tightest.remaining) tightest = state;
    });
    return tightest;
  }
}

/** IETF draft RateLimit header fields (draft-ietf-httpapi-ratelimit-headers, separate fields). */
export function headers(s: LimitState): Record<string, string> {
  return {
    'RateLimit-Limit': String(s.limit),
    'RateLimit-Remaining': String(s.remaining),
    'RateLimit-Reset': String(Math.max(0, Math.ceil(s.resetMs / 1000))),
  };
}

export function setRateLimitHeaders(res: Response, s: LimitState | null): void {
  if (s) res.set(headers(s));
}
