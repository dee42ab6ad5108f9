import express, { type RequestHandler } from 'express';
import { requireApiKey } from './auth';
import { jsonBody } from './body';
import type { ApiDeps } from './deps';
import { errorHandler, notFound } from './problem';
import { commentsRouter } from './routes/comments';
import { coralRouter } from './routes/coral';
import { docsRouter } from './routes/docs';
import { healthRouter } from './routes/health';
import { metricsRouter } from './routes/metrics';
import { moderateRouter } from './routes/moderate';
import { openaiRouter } from './routes/openai';
import { perspectiveRouter } from './routes/perspective';
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
  app.use((req, res, next) => {
    res.set('X-Content-Type-Options', 'nosniff');
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
  app.use(healthRouter(deps));
  app.use(docsRouter(deps));
  app.use(metricsRouter(deps.metrics));
  // Coral proves who it is by signing the body, not with our API key: mounted before the key check.
  app.use('/v1/integrations/coral', rememberMount, coralRouter(deps));

  const v1 = express.Router();
  v1.use(requireApiKey(deps.adminApiKey));
  // Before the JSON-body rule below: ping, rotate-secret and resend are POSTs without a body.
  v1.use('/webhooks', rememberMount, webhooksRouter(deps));
  v1.use(jsonBody());
  v1.use('/comments', rememberMount, commentsRouter(deps));
  v1.use('/moderate', rememberMount, moderateRouter(deps));
  v1.use('/moderations', rememberMount, openaiRouter(deps));
  app.use('/v1', v1);
  // Perspective's clients send their key as ?key=; a key in a URL is theirs to keep out of logs.
  app.use('/v1alpha1', rememberMount, requireApiKey(deps.adminApiKey, { queryParam: 'key' }), jsonBody(), perspectiveRouter(deps));

  app.use(notFound);
  app.use(errorHandler(deps.log));
  return app;
}
