import express, { type RequestHandler } from 'express';
import { requireApiKey } from './auth';
import type { ApiDeps } from './deps';
import { errorHandler, HttpProblem, notFound } from './problem';
import { commentsRouter } from './routes/comments';
import { coralRouter } from './routes/coral';
import { healthRouter } from './routes/health';
import { moderateRouter } from './routes/moderate';
import { webhooksRouter } from './routes/webhooks';

export const BODY_LIMIT = '64kb';

/** A body we can't read as JSON gets a 415 that says so, rather than a confusing validation error. */
const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody = req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0';
  if ((hasBody || req.headers['transfer-encoding']) && !req.is('application/json')) {
    throw new HttpProblem(415, 'Unsupported media type', 'send the request body as application/json');
  }
  if (!hasBody && !req.headers['transfer-encoding']) {
    throw new HttpProblem(400, 'Missing body', 'this endpoint needs a JSON request body');
  }
  next();
};

export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use((req, res, next) => {
    res.set('X-Content-Type-Options', 'nosniff');
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      deps.log.debug({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  });
  app.use(healthRouter(deps));
  // Coral proves who it is by signing the body, not with our API key: mounted before the key check.
  app.use('/v1/integrations/coral', coralRouter(deps));

  const v1 = express.Router();
  v1.use(requireApiKey(deps.adminApiKey));
  // Before the JSON-body rule below: ping, rotate-secret and resend are POSTs without a body.
  v1.use('/webhooks', webhooksRouter(deps));
  v1.use((req, res, next) => (req.method === 'POST' ? requireJson(req, res, next) : next()));
  v1.use(express.json({ limit: BODY_LIMIT, strict: true }));
  v1.use('/comments', commentsRouter(deps));
  v1.use('/moderate', moderateRouter(deps));
  app.use('/v1', v1);

  app.use(notFound);
  app.use(errorHandler(deps.log));
  return app;
}
