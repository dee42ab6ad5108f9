import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { BearerKeys } from '../auth/bearer-keys';
import { readCookie, sessionCookieName, type SessionStore } from '../auth/sessions';
import { sameSecret } from '../auth/tokens';
import { DEFAULT_SITE } from '../domain/comment';
import { SCOPES, type Scope } from '../store/api-keys';
import type { ModeratorStore, Role } from '../store/moderators';
import { HttpProblem } from './problem';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Who is asking: the bootstrap admin key, a moderator's personal key, a scoped API key
 * (POST /v1/keys), or a dashboard session.
 */
export interface Principal {
  kind: 'admin-key' | 'api-key' | 'session';
  role: Role;
  /** What it may do: see requireScope. */
  scopes: readonly Scope[];
  /** The one site whose comments it may see and decide; undefined: every site. */
  site?: string;
  /** Absent for the admin key, which belongs to no one in particular. */
  moderatorId?: string;
  /** A scoped API key's id. */
  keyId?: string;
  /** The session cookie's token (to end it on logout) and its CSRF token. */
  session?: { token: string; csrfToken: string };
}

/**
 * What a decision records as decidedBy, and what the per-key rate limit counts by: the
 * moderator's id, `key_<id>` for a scoped API key, or "admin" for the bootstrap key.
 */
export const actorId = (p: Principal) => p.moderatorId ?? p.keyId ?? 'admin';

/** A role's scopes: an admin may do anything; a moderator reads and decides. Where: the account's site, or every site. */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = { admin: SCOPES, moderator: ['comments:read', 'moderate'] };

/** Whether the principal may see a comment of `site` (comments from before sites were recorded are the default site's). */
export const canSeeSite = (p: Principal, site: string | undefined) => p.site === undefined || p.site === (site ?? DEFAULT_SITE);


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
  /** Who a bearer key belongs to, remembered per process until any key or account changes. */
  bearerKeys: BearerKeys;
  sessions: SessionStore;
  /** Secure cookies: the session cookie has the __Host- prefix (sessionCookieName). */
  secureCookies: boolean;
}

/**
 * Resolves the principal from `Authorization: Bearer <key>` or, failing that, the dashboard's
 * session cookie. A cookie is sent by the browser on its own, so a state-changing request that
 * relies on one must also prove it came from our page: the session's CSRF token in X-CSRF-Token.
 * A bearer key is never sent automatically, so it needs no such proof.
 * Keys are compared as SHA-256 digests in constant time, so timing leaks nothing about them.
 */
export function authenticate({ adminApiKey, moderators, bearerKeys, sessions, secureCookies }: AuthDeps, options: { queryParam?: string } = {}): RequestHandler {
  const admin = digest(adminApiKey);
  const cookieName = sessionCookieName(secureCookies);
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
      if (timingSafeEqual(digest(match[1]), admin)) return { kind: 'admin-key', role: 'admin', scopes: SCOPES };
      // Remembered per process, so a revoked key works for at most BearerKeys' recheck interval.
      const { moderator, apiKey: key } = await bearerKeys.owner(match[1]);
      if (moderator?.disabled) throw unauthorized('this account is disabled');
      if (moderator) return { kind: 'api-key', role: moderator.role, scopes: ROLE_SCOPES[moderator.role], site: moderator.site, moderatorId: moderator.id };
      if (!key) throw unauthorized('unknown API key');
      return { kind: 'api-key', role: key.scopes.includes('admin') ? 'admin' : 'moderator', scopes: key.scopes, site: key.site, keyId: key.id };
    }
    const token = readCookie(req.headers.cookie, cookieName);
    if (token === undefined) throw unauthorized('send an API key as "Authorization: Bearer <key>", or sign in at /dashboard');
    const session = await sessions.get(token);
    const moderator = session && (await moderators.get(session.moderatorId));
    // A disabled account, or one whose password was set since, has no sessions.
    if (!session || !moderator || moderator.disabled || (session.epoch ?? 0) !== moderator.epoch) throw unauthorized('the session has expired or was ended; sign in again');
    if (!SAFE_METHODS.has(req.method)) {
      const sent = req.get('x-csrf-token');
      if (!sent || !sameSecret(sent, session.csrfToken)) {
        throw new HttpProblem(403, 'Forbidden', 'missing or wrong X-CSRF-Token: a request signed in by cookie must carry the token from GET /v1/session');
      }
    }
    return { kind: 'session', role: moderator.role, scopes: ROLE_SCOPES[moderator.role], site: moderator.site, moderatorId: moderator.id, session: { token, csrfToken: session.csrfToken } };
  }
}

/**
 * Admits principals with any of `scopes` (the admin scope admits to everything). Roles map onto
 * scopes (ROLE_SCOPES): the admin key and admins have all of them; moderators comments:read and
 * moderate; a scoped API key the ones it was created with.
 */
export function requireScope(...scopes: Scope[]): RequestHandler {
  return (_req, res, next) => {
    const p = principalOf(res);
    if (!p.scopes.includes('admin') && !scopes.some((s) => p.scopes.includes(s))) {
      throw new HttpProblem(403, 'Forbidden', `this needs the ${scopes.join(' or ')} scope; this key or session has ${p.scopes.join(', ') || 'none'}`);
    }
    next();
  };
}

/**
 * Admits only principals that may see every site: for what is counted or streamed across all
 * sites (queue counts, per-day stats, the live stream, the audit log), which a key bound to one
 * site must not see.
 */
export const requireAllSites: RequestHandler = (_req, res, next) => {
  const p = principalOf(res);
  if (p.site !== undefined) throw new HttpProblem(403, 'Forbidden', `this covers every site; this key is bound to site ${p.site}`);
  next();
};
