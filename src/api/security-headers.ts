import type { RequestHandler } from 'express';

/**
 * Headers every answer carries (what helmet would set, spelled out): nothing of ours is meant to
 * be framed, sniffed, cached by a shared proxy or followed by a referrer. JSON answers get a CSP
 * that allows nothing; the dashboard and /docs pages replace it with their own.
 * `hsts`: only when the service is reached over HTTPS (SECURE_COOKIES), where it is meaningful.
 */
export function securityHeaders(options: { hsts: boolean }): RequestHandler {
  const headers: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    ...(options.hsts && { 'Strict-Transport-Security': 'max-age=15552000; includeSubDomains' }),
  };
  return (req, res, next) => {
    res.set(headers);
    // Comments and verdicts are nobody's to cache on the way.
    if (req.path.startsWith('/v1')) res.set('Cache-Control', 'no-store');
    next();
  };
}
