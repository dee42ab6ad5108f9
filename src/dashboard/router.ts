import path from 'node:path';
import express, { type RequestHandler, Router } from 'express';
import { projectRoot } from '../config';

/** Static files live beside this module in the repository; found the same way from src/ and dist/. */
export const PUBLIC_DIR = path.join(projectRoot(), 'src', 'dashboard', 'public');

/**
 * Comment text is hostile input. The page renders it through text nodes only; this policy is
 * the second wall: no inline script, no script from anywhere but here, no plugins, no framing.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy': DASHBOARD_CSP,
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  });
  next();
};

/** The moderators' dashboard: one page, its script modules and styles; it talks to /v1 like any client. */
export function dashboardRouter(): Router {
  const router = Router();
  router.get('/', (_req, res) => res.redirect(302, '/dashboard'));
  // Browsers and feed readers ask for /favicon.ico whatever the page says.
  router.get('/favicon.ico', (_req, res) => res.redirect(301, '/dashboard/favicon.svg'));
  router.use('/dashboard', securityHeaders);
  router.get('/dashboard', (_req, res) => {
    res.set('Cache-Control', 'no-store').sendFile(path.join(PUBLIC_DIR, 'index.html'));
  });
  router.use('/dashboard', express.static(PUBLIC_DIR, { index: false, redirect: false, fallthrough: true }));
  return router;
}
