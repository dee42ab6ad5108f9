import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { fieldErrors } from '../domain/field-errors';
import type { Logger } from '../logger';
import { isRedisUnavailable } from '../redis';

/** RFC 9457 problem details: the body of every error this service sends. */
export const ProblemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int().min(400).max(599),
  detail: z.string(),
  /** For validation errors: which fields, and what is wrong with each. */
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ProblemBody = z.infer<typeof ProblemSchema>;

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly extra: Partial<ProblemBody> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

/**
 * How an error is written for a client that reads another shape than problem+json: the
 * compatible endpoints answer in the shape of the API they stand in for (src/compat/errors.ts).
 */
export type ErrorDialect = (p: HttpProblem) => { status: number; body: unknown };

/** Every error of the requests under this mount, its own included, goes out in `dialect`. */
export const answersErrorsIn =
  (dialect: ErrorDialect): RequestHandler =>
  (_req, res, next) => {
    res.locals.errorDialect = dialect;
    next();
  };

export function sendProblem(res: Response, p: HttpProblem): void {
  const dialect = res.locals.errorDialect as ErrorDialect | undefined;
  if (dialect) {
    const { status, body } = dialect(p);
    res.status(status).set(p.headers).type('application/json').send(JSON.stringify(body));
    return;
  }
  const body: ProblemBody = { type: 'about:blank', title: p.title, status: p.status, detail: p.detail, ...p.extra };
  res.status(p.status).set(p.headers).type('application/problem+json').send(JSON.stringify(body));
}

export function validationProblem(error: z.ZodError, where: 'body' | 'query' | 'path'): HttpProblem {
  const errors = fieldErrors(error, where);
  const first = errors[0];
  return new HttpProblem(422, 'Invalid request', `${where} ${first.path}: ${first.message}`, { errors });
}

/** Parses with a zod schema or throws the matching 422 problem. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'path'): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationProblem(result.error, where);
  return result.data;
}

export const notFound: RequestHandler = (req, res) => {
  sendProblem(res, new HttpProblem(404, 'Not found', `no route for ${req.method} ${req.path}`));
};

/** body-parser's error types, translated into what a client can act on. */
function bodyParserProblem(err: { type?: string; limit?: number; status?: number; message?: string }): HttpProblem | null {
  switch (err.type) {
    case 'entity.parse.failed':
      return new HttpProblem(400, 'Malformed JSON', `the request body is not valid JSON: ${err.message ?? ''}`.trim());
    case 'entity.too.large':
      return new HttpProblem(413, 'Request body too large', `the request body exceeds the limit of ${err.limit} bytes`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpProblem(415, 'Unsupported encoding', err.message ?? 'unsupported content encoding or charset');
    case 'request.aborted':
      return new HttpProblem(400, 'Request aborted', 'the client closed the request before the body arrived');
    default:
      return null;
  }
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof HttpProblem) return sendProblem(res, err);
    const fromParser = bodyParserProblem(err);
    if (fromParser) return sendProblem(res, fromParser);
    if (isRedisUnavailable(err)) {
      log.warn({ err: err.message, path: req.path }, 'redis unavailable');
      return sendProblem(
        res,
        new HttpProblem(503, 'Service unavailable', 'the data store is unavailable (unreachable, loading or full); retry shortly', {}, { 'Retry-After': '5' }),
      );
    }
    if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
      return sendProblem(res, new HttpProblem(err.status, 'Bad request', String(err.message ?? 'bad request')));
    }
    log.error({ err, path: req.path }, 'unhandled error');
    sendProblem(res, new HttpProblem(500, 'Internal error', 'something went wrong on our side; it has been logged'));
  };
}
