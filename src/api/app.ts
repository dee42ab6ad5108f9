import express, { type RequestHandler } from 'express';
import { dashboardRouter } from '../dashboard/router';
import { ReviewQuery } from '../store/review';
import { authenticate, requireScope } from './auth';
import { jsonBody } from './body';
import type { ApiDeps } from './deps';
import { openaiErrors, perspectiveErrors } from '../compat/errors';
import { answersErrorsIn, errorHandler, notFound } from './problem';
import { securityHeaders } from './security-headers';
import { auditRouter } from './routes/audit';
import { commentsRouter } from './routes/comments';
import { coralRouter } from './routes/coral';
import { decisionsRouter } from './routes/decisions';
import { docsRouter } from './routes/docs';
import { healthRouter } from './routes/health';
import { keysRouter } from './routes/keys';
import { metricsRouter } from './routes/metrics';
import { moderateRouter } from './routes/moderate';
import { moderatorsRouter } from './routes/moderators';
import { openaiRouter } from './routes/openai';
import { perspectiveRouter } from './routes/perspective';
import { policyRouter } from './routes/policy';
import { reviewRouter } from './routes/review';
import { login, sessionRouter } from './routes/session';
import { webhooksRouter } from './routes/webhooks';

/**
 * Remembers where a router is mounted, for the metrics' route label: Express puts req.baseUrl
 * back when a request leaves a router with an error, so by the time the response is finished
 * only the route's own path would be left ("/:id" for every resource).
 */
const rememberMount: RequestHandler = (req, res, next) => {
  res.locals.mount = req.baseUrl;
  next();
};

export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.set('trust proxy', deps.trustProxy ?? false);
  app.use(securityHeaders({ hsts: deps.secureCookies }));
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // The route's pattern, never the URL: one series per endpoint, whatever ids clients send.
      const route = req.route ? `${res.locals.mount ?? ''}${req.route.path}` : 'unmatched';
      deps.metrics.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, ms / 1000);
      deps.log.debug({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  });
  // The compatible endpoints answer every error, a refused key's included, in their clients' shape.
  app.use('/v1/moderations', answersErrorsIn(openaiErrors));
  app.use('/v1alpha1', answersErrorsIn(perspectiveErrors));
  // Coral proves who it is by signing the body, not with our API key: mounted before the key check.
  app.use('/v1/integrations/coral', rememberMount, coralRouter(deps));

  // The API first, comment submission first within it: Express tries every layer in order until
  // one matches, and submissions are most of the traffic (docs/BENCHMARKS.md). The paths below
  // don't overlap, so the order changes nothing else.
  const v1 = express.Router();
  // Signing in is the one thing that needs no credentials.
  v1.post('/session', rememberMount, jsonBody(deps.bodyLimitBytes), login(deps));
  v1.use(authenticate(deps));
  // Before the JSON-body rule below: ping, rotate-secret, resend and rotate-key are POSTs without a body.
  v1.use('/webhooks', rememberMount, requireScope('admin'), webhooksRouter(deps));
  v1.use('/moderators', rememberMount, moderatorsRouter(deps));
  v1.use(jsonBody(deps.bodyLimitBytes));
  v1.use('/comments', rememberMount, commentsRouter(deps));
  v1.use('/comments', rememberMount, decisionsRouter(deps));
  v1.use('/moderate', rememberMount, moderateRouter(deps));
  v1.use('/session', rememberMount, sessionRouter(deps));
  v1.use('/keys', rememberMount, keysRouter(deps));
  v1.use('/moderations', rememberMount, requireScope('comments:write'), openaiRouter(deps));
  v1.use('/review', rememberMount, reviewRouter(deps, new ReviewQuery(deps.redis, deps.keys, deps.store)));
  v1.use('/audit', rememberMount, auditRouter(deps));
  v1.use('/policy', rememberMount, policyRouter(deps));
  app.use('/v1', v1);
  // Perspective's clients send their key as ?key=; a key in a URL is theirs to keep out of logs.
  app.use('/v1alpha1', rememberMount, authenticate(deps, { queryParam: 'key' }), requireScope('comments:write'), jsonBody(deps.bodyLimitBytes), perspectiveRouter(deps));
  app.use(healthRouter(deps));
  app.use(docsRouter(deps));
  app.use(metricsRouter(deps.metrics, deps.log));
  app.use(dashboardRouter());

  app.use(notFound);
  app.use(errorHandler(deps.log));
  return app;
}
