import { type CookieOptions, type RequestHandler, Router } from 'express';
import { z } from 'zod';
import { sessionCookieName } from '../../auth/sessions';
import { ModeratorSchema, normaliseEmail, publicModerator, RoleSchema } from '../../store/moderators';
import { principalOf } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpProblem, parse } from '../problem';
import { clientBucket } from '../rate-limit';

export const LoginSchema = z
  .object({ email: z.string().min(1).max(254), password: z.string().min(1).max(1024) })
  .strict();

/** The answer to signing in: who, and the CSRF token cookie-signed state changes must carry. */
export const LoginResponseSchema = z.object({ moderator: ModeratorSchema, csrfToken: z.string() });

/** Who is asking; the CSRF token only when that is a session. */
export const SessionInfoSchema = z.object({
  kind: z.enum(['admin-key', 'api-key', 'session']),
  role: RoleSchema,
  /** null for the admin key, which belongs to no one in particular. */
  moderator: ModeratorSchema.nullable(),
  csrfToken: z.string().optional(),
});

function cookieOptions(secure: boolean): CookieOptions {
  // Strict: the browser sends it on no request started by another site, the first line against CSRF.
  return { httpOnly: true, sameSite: 'strict', secure, path: '/' };
}

/**
 * POST /v1/session: sign in with email and password. Needs no prior authentication, so it is
 * mounted before the authenticator. Cross-site forms can't forge it: the body must be JSON, which
 * a browser only sends cross-origin after a CORS preflight this service never approves.
 */
export function login({ moderators, sessions, throttle, secureCookies, log, passwords }: ApiDeps): RequestHandler {
  return async (req, res) => {
    const body = parse(LoginSchema, req.body, 'body');
    const email = normaliseEmail(body.email);
    // By /64 for IPv6, as the submission limits count: one subscriber usually holds a whole /64.
    const address = clientBucket(req.ip ?? req.socket.remoteAddress);
    // Counted before the hash, in the same step as the check: parallel guesses can't all get past it.
    const wait = await throttle.admit(email, address);
    if (wait > 0) {
      throw new HttpProblem(429, 'Too many failed sign-ins', `sign-in is locked for ${wait} s after repeated failures`, { retryAfter: wait }, { 'Retry-After': String(wait) });
    }
    const moderator = await moderators.getByEmail(email);
    // Unknown email or not, one scrypt runs: the answer's timing doesn't say who has an account.
    const ok = await passwords.verify(body.password, moderator?.passwordHash ?? (await passwords.decoyHash()));
    // A disabled account is refused like a wrong password: the answer doesn't say the account exists.
    if (!moderator || !ok || moderator.disabled) throw new HttpProblem(401, 'Unauthorized', 'wrong email or password');
    await throttle.recordSuccess(email, address);
    if (passwords.needsRehash(moderator.passwordHash)) {
      // The password is at hand only now: a hash made with weaker parameters is replaced by one with today's.
      await moderators.upgradePasswordHash(moderator.id, moderator.passwordHash, await passwords.hash(body.password)).catch((err) => log.warn({ err: String(err) }, 'password rehash failed'));
    }
    const { token, session } = await sessions.create(moderator.id, moderator.epoch);
    res.cookie(sessionCookieName(secureCookies), token, { ...cookieOptions(secureCookies), maxAge: sessions.ttlSeconds * 1000 });
    res.status(201).json({ moderator: publicModerator(moderator), csrfToken: session.csrfToken } satisfies z.infer<typeof LoginResponseSchema>);
  };
}

/** GET /v1/session: who is signed in (and the CSRF token, for a page that reloaded); DELETE: sign out. */
export function sessionRouter({ moderators, sessions, secureCookies }: ApiDeps): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const p = principalOf(res);
    const m = p.moderatorId ? await moderators.get(p.moderatorId) : null;
    res.set('Cache-Control', 'no-store').json({
      kind: p.kind,
      role: p.role,
      moderator: m ? publicModerator(m) : null,
      ...(p.session && { csrfToken: p.session.csrfToken }),
    } satisfies z.infer<typeof SessionInfoSchema>);
  });
  router.delete('/', async (_req, res) => {
    const p = principalOf(res);
    if (!p.session) throw new HttpProblem(400, 'No session', 'this request is signed with an API key, not a session cookie; there is nothing to sign out of');
    await sessions.destroy(p.session.token);
    res.clearCookie(sessionCookieName(secureCookies), cookieOptions(secureCookies));
    res.status(204).end();
  });
  return router;
}
