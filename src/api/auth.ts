import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { readCookie, SESSION_COOKIE, type SessionStore } from '../auth/sessions';
import { sameSecret } from '../auth/tokens';
import type { ModeratorStore, Role } from '../store/moderators';
import { HttpProblem } from './problem';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Who is asking: the bootstrap admin key, a moderator's personal key, or a dashboard session. */
export interface Principal {
  kind: 'admin-key' | 'api-key' | 'session';
  role: Role;
  /** Absent for the admin key, which belongs to no one in particular. */
  moderatorId?: string;
  /** The session cookie's token (to end it on logout) and its CSRF token. */
  session?: { token: string; csrfToken: string };
}

/** What a decision records as decidedBy: the moderator's id, or "admin" for the bootstrap key. */
export const actorId = (p: Principal) => p.moderatorId ?? 'admin';

export function principalOf(res: Response): Principal {
  const p = res.locals.principal as Principal | undefined;
  if (!p) throw new Error('principalOf called on a route without authenticate()');
  return p;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const challenge = { 'WWW-Authenticate': 'Bearer realm="decorum"' };
const unauthorized = (detail: string) => new HttpProblem(401, 'Unauthorized', detail, {}, challenge);

export interface AuthDeps {
  adminApiKey: string;
  moderators: ModeratorStore;
  sessions: SessionStore;
}

/**
 * Resolves the principal from `Authorization: Bearer <key>` or, failing that, the dashboard's
 * session cookie. A cookie is sent by the browser on its own, so a state-changing request that
 * relies on one must also prove it came from our page: the session's CSRF token in X-CSRF-Token.
 * A bearer key is never sent automatically, so it needs no such proof.
 * Keys are compared as SHA-256 digests in constant time, so timing leaks nothing about them.
 */
export function authenticate({ adminApiKey, moderators, sessions }: AuthDeps, options: { queryParam?: string } = {}): RequestHandler {
  const admin = digest(adminApiKey);
  return async (req, res, next) => {
    res.locals.principal = await resolve(req);
    next();
  };

  async function resolve(req: Request): Promise<Principal> {
    // Perspective's clients can only send their key in the URL (?key=); it counts as a bearer key.
    const fromQuery = options.queryParam !== undefined ? req.query[options.queryParam] : undefined;
    const header = req.get('authorization') ?? (typeof fromQuery === 'string' ? `Bearer ${fromQuery}` : undefined);
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) throw unauthorized('the Authorization header must be "Bearer <key>"');
      if (timingSafeEqual(digest(match[1]), admin)) return { kind: 'admin-key', role: 'admin' };
      const moderator = await moderators.getByApiKey(match[1]);
      if (!moderator) throw unauthorized('unknown API key');
      return { kind: 'api-key', role: moderator.role, moderatorId: moderator.id };
    }
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (token === undefined) throw unauthorized('send an API key as "Authorization: Bearer <key>", or sign in at /dashboard');
    const session = await sessions.get(token);
    const moderator = session && (await moderators.get(session.moderatorId));
    if (!session || !moderator) throw unauthorized('the session has expired or was ended; sign in again');
    if (!SAFE_METHODS.has(req.method)) {
      const sent = req.get('x-csrf-token');
      if (!sent || !sameSecret(sent, session.csrfToken)) {
        throw new HttpProblem(403, 'Forbidden', 'missing or wrong X-CSRF-Token: a request signed in by cookie must carry the token from GET /v1/session');
      }
    }
    return { kind: 'session', role: moderator.role, moderatorId: moderator.id, session: { token, csrfToken: session.csrfToken } };
  }
}

const RANK: Record<Role, number> = { moderator: 1, admin: 2 };

/** Admits principals with at least `role` (an admin can do whatever a moderator can). */
export function requireRole(role: Role): RequestHandler {
  return (_req, res, next) => {
    const p = principalOf(res);
    if (RANK[p.role] < RANK[role]) {
      throw new HttpProblem(403, 'Forbidden', `this needs the ${role} role; this key or session has the ${p.role} role`);
    }
    next();
  };
}
