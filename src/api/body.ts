import express, { type RequestHandler } from 'express';
import { HttpProblem } from './problem';

export const BODY_LIMIT = '64kb';

/** A body we can't read as JSON gets a 415 that says so, rather than a confusing validation error. */
const requireJson: RequestHandler = (req, _res, next) => {
  if (req.method !== 'POST' && req.method !== 'PUT' && req.method !== 'PATCH') return next();
  const hasBody = req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0';
  if ((hasBody || req.headers['transfer-encoding']) && !req.is('application/json')) {
    throw new HttpProblem(415, 'Unsupported media type', 'send the request body as application/json');
  }
  if (!hasBody && !req.headers['transfer-encoding']) {
    throw new HttpProblem(400, 'Missing body', 'this endpoint needs a JSON request body');
  }
  next();
};

/** Every JSON endpoint reads its body the same way: JSON only, bounded, objects and arrays only. */
export function jsonBody(): RequestHandler[] {
  return [requireJson, express.json({ limit: BODY_LIMIT, strict: true })];
}
