import express, { type RequestHandler } from 'express';
import { dashboardRouter } from '../dashboard/router';
import { ReviewQuery } from '../store/review';
import { authenticate } from './auth';
import type { ApiDeps } from './deps';
import { errorHandler, HttpProblem, notFound } from './problem';
import { auditRouter } from './routes/audit';
import { commentsRouter } from './routes/comments';
import { decisionsRouter } from './routes/decisions';
import { healthRouter } from './routes/health';
import { moderateRouter } from './routes/moderate';
import { moderatorsRouter } from './routes/moderators';
import { reviewRouter } from './routes/review';
import { login, sessionRouter } from './routes/session';

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
  app.set('trust proxy', deps.trustProxy ?? false);
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

  app.use(dashboardRouter());

  const v1 = express.Router();
  const jsonBody = [
    ((req, res, next) => (req.method === 'POST' ? requireJson(req, res, next) : next())) as RequestHandler,
    express.json({ limit: BODY_LIMIT, strict: true }),
  ];
  // Signing in is the one thing that needs no credentials.
  v1.post('/session', ...jsonBody, login(deps));
  v1.use(authenticate(deps));
  v1.use(...jsonBody);
  v1.use('/session', sessionRouter(deps));
  v1.use('/moderators', moderatorsRouter(deps));
  v1.use('/comments', decisionsRouter(deps));
  v1.use('/comments', commentsRouter(deps));
  v1.use('/moderate', moderateRouter(deps));
  v1.use('/review', reviewRouter(deps, new ReviewQuery(deps.redis, deps.keys, deps.store)));
  v1.use('/audit', auditRouter(deps));
  app.use('/v1', v1);

  app.use(notFound);
  app.use(errorHandler(deps.log));
  return app;
}
