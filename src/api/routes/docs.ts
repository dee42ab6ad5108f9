import path from 'node:path';
import express, { type RequestHandler, Router } from 'express';
import { projectRoot } from '../../config';
import type { ApiDeps } from '../deps';
import { openApiDocument } from '../openapi';

/** The page and its initializer, served from the source tree as the dashboard's files are. */
const PAGE_DIR = path.join(projectRoot(), 'src', 'api', 'docs-page');
/** Swagger UI's prebuilt browser bundle, from the swagger-ui-dist package: served from here, never a CDN. */
const RENDERER_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const RENDERER_FILES = new Set(['swagger-ui.css', 'swagger-ui-bundle.js']);

/**
 * The reference runs a script, so its policy allows scripts and styles from this origin and
 * nothing inline; Swagger UI draws its icons as data: images, and "Try it out" calls this API.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const docsHeaders: RequestHandler = (_req, res, next) => {
  res.set('Content-Security-Policy', DOCS_CSP);
  next();
};

export function docsRouter({ policy }: ApiDeps): Router {
  const router = Router();
  // Built once: the schemas don't change while the process runs.
  const json = JSON.stringify(openApiDocument(`v1 (policy ${policy.doc.version})`));
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(json);
  });
  router.use('/docs', docsHeaders);
  router.get('/docs', (_req, res) => {
    res.sendFile(path.join(PAGE_DIR, 'index.html'));
  });
  router.get(['/docs/page.js', '/docs/page.css'], (req, res) => {
    res.sendFile(path.join(PAGE_DIR, path.basename(req.path)));
  });
  const renderer = express.static(RENDERER_DIR, { index: false, redirect: false, fallthrough: true });
  router.use('/docs/assets', (req, res, next) => (RENDERER_FILES.has(req.path.slice(1)) ? renderer(req, res, next) : next()));
  return router;
}
