import type { RedisClient } from '../redis';
import type { Keys } from '../store/keys';
import { randomToken, sha256 } from './tokens';

export const SESSION_COOKIE = 'decorum_session';

/**
 * The cookie's name. Over HTTPS (secure cookies) it carries the __Host- prefix: browsers then
 * only accept it Secure, for the whole host, without a Domain, so neither a sibling subdomain nor
 * a plain-HTTP page can plant or shadow it. Plain HTTP (development, tests) can't have the prefix:
 * browsers refuse a __Host- cookie that is not Secure.
 */
export const sessionCookieName = (secure: boolean) => (secure ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE);

export interface Session {
  moderatorId: string;
  /** Sent back by the page in X-CSRF-Token on every state-changing request; bound to this session. */
  csrfToken: string;
  createdAt: string;
  /** The account's epoch at sign-in (StoredModerator.epoch): the session ends when it moves on. */
  epoch?: number;
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

  async create(moderatorId: string, epoch = 0): Promise<{ token: string; session: Session }> {
    const token = randomToken();
    const session: Session = { moderatorId, csrfToken: randomToken(), createdAt: new Date().toISOString(), epoch };
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

/**
 * The value of one cookie from a Cookie header (no dependency for a one-line job). A value that
 * doesn't percent-decode is no value: our tokens are base64url, so it can't be a session.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
