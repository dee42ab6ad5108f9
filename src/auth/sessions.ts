import type { RedisClient } from '../redis';
import type { Keys } from '../store/keys';
import { randomToken, sha256 } from './tokens';

export const SESSION_COOKIE = 'decorum_session';

export interface Session {
  moderatorId: string;
  /** Sent back by the page in X-CSRF-Token on every state-changing request; bound to this session. */
  csrfToken: string;
  createdAt: string;
}

/**
 * Dashboard sessions in Redis. The cookie holds a random token; Redis holds only its digest, so
 * neither a copy of Redis nor its logs give anyone a session. Sessions expire `ttlSeconds` after
 * sign-in whatever happens (no sliding renewal: a stolen cookie doesn't live forever).
 */
export class SessionStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly k: Keys,
    readonly ttlSeconds: number,
  ) {}

  async create(moderatorId: string): Promise<{ token: string; session: Session }> {
    const token = randomToken();
    const session: Session = { moderatorId, csrfToken: randomToken(), createdAt: new Date().toISOString() };
    await this.redis.set(this.k.session(sha256(token)), JSON.stringify(session), 'EX', this.ttlSeconds);
    return { token, session };
  }

  async get(token: string): Promise<Session | null> {
    const raw = await this.redis.get(this.k.session(sha256(token)));
    return raw ? (JSON.parse(raw) as Session) : null;
  }

  async destroy(token: string): Promise<void> {
    await this.redis.del(this.k.session(sha256(token)));
  }
}

/** The value of one cookie from a Cookie header (no dependency for a one-line job). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}
