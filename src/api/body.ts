import express, { type RequestHandler } from 'express';
import { HttpProblem } from './problem';

export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;

/** Deeper than any request shape of ours: a body nested further is an attack, not a mistake. */
export const MAX_JSON_DEPTH = 32;

/** The nesting depth of a parsed JSON value, walked without recursion (a deep body can't overflow the stack). */
export function jsonDepth(value: unknown, stopAfter = MAX_JSON_DEPTH + 1): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (max >= stopAfter) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/**
 * Every JSON endpoint reads its body the same way: JSON only (415 otherwise), at most `limitBytes`
 * (413), objects and arrays at the top (400), nested at most MAX_JSON_DEPTH deep (400). With
 * `optional`, a request without a body passes (actions such as ping take none); otherwise a
 * POST, PUT or PATCH without one is a 400 that says so.
 */
export function jsonBody(limitBytes = DEFAULT_BODY_LIMIT_BYTES, options: { optional?: boolean } = {}): RequestHandler[] {
  const contentType: RequestHandler = (req, _res, next) => {
    if (req.method !== 'POST' && req.method !== 'PUT' && req.method !== 'PATCH') return next();
    const hasBody = (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.is('application/json')) {
      throw new HttpProblem(415, 'Unsupported media type', 'send the request body as application/json');
    }
    if (!hasBody && !options.optional) throw new HttpProblem(400, 'Missing body', 'this endpoint needs a JSON request body');
    next();
  };
  const depth: RequestHandler = (req, _res, next) => {
    if (req.body !== undefined && jsonDepth(req.body) > MAX_JSON_DEPTH) {
      throw new HttpProblem(400, 'Body nested too deeply', `JSON nested more than ${MAX_JSON_DEPTH} levels deep is refused`);
    }
    next();
  };
  return [contentType, express.json({ limit: limitBytes, strict: true }), depth];
}
