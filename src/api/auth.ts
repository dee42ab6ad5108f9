import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpProblem } from './problem';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Bearer-key authentication. Keys are compared as SHA-256 digests in constant time, so neither
 * the comparison's timing nor a memory dump of the comparison leaks the key.
 */
export function requireApiKey(adminKey: string, options: { queryParam?: string } = {}): RequestHandler {
  const expected = digest(adminKey);
  return (req, _res, next) => {
    const fromQuery = options.queryParam !== undefined ? req.query[options.queryParam] : undefined;
    if (typeof fromQuery === 'string' && !req.get('authorization')) {
      if (!timingSafeEqual(digest(fromQuery), expected)) throw new HttpProblem(401, 'Unauthorized', 'unknown API key');
      return next();
    }
    const header = req.get('authorization');
    const challenge = { 'WWW-Authenticate': 'Bearer realm="decorum"' };
    if (!header) {
      throw new HttpProblem(401, 'Unauthorized', 'send an API key as "Authorization: Bearer <key>"', {}, challenge);
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      throw new HttpProblem(401, 'Unauthorized', 'the Authorization header must be "Bearer <key>"', {}, challenge);
    }
    if (!timingSafeEqual(digest(match[1]), expected)) {
      throw new HttpProblem(401, 'Unauthorized', 'unknown API key', {}, challenge);
    }
    next();
  };
}
