import express from 'express';
import { requireApiKey } from './auth';
import { jsonBody } from './body';
import type { ApiDeps } from './deps';
import { errorHandler, notFound } from './problem';
import { commentsRouter } from './routes/comments';
import { docsRouter } from './routes/docs';
import { healthRouter } from './routes/health';
import { moderateRouter } from './routes/moderate';
import { openaiRouter } from './routes/openai';
import { perspectiveRouter } from './routes/perspective';

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
  app.use(docsRouter(deps));

  const v1 = express.Router();
  v1.use(requireApiKey(deps.adminApiKey));
  v1.use(jsonBody());
  v1.use('/comments', commentsRouter(deps));
  v1.use('/moderate', moderateRouter(deps));
  v1.use('/moderations', openaiRouter(deps));
  app.use('/v1', v1);
  // Perspective's clients send their key as ?key=; a key in a URL is theirs to keep out of logs.
  app.use('/v1alpha1', requireApiKey(deps.adminApiKey, { queryParam: 'key' }), jsonBody(), perspectiveRouter(deps));

  app.use(notFound);
  app.use(errorHandler(deps.log));
  return app;
}
