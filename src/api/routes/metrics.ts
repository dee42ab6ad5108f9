import { Router } from 'express';
import type { Logger } from '../../logger';
import { type Metrics, metricsText } from '../../metrics';
import { HttpProblem } from '../problem';

/**
 * Prometheus scrapes /metrics without a key, like /healthz: it holds counts and timings, never
 * comment text or ids. Put it behind the network's own access rules.
 */
export function metricsRouter(metrics: Metrics, log: Logger): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    try {
      const { contentType, body } = await metricsText(metrics);
      res.type(contentType).send(body);
    } catch (err) {
      // The queue gauges read Redis; without it there is nothing honest to report. The cause goes
      // to the log, not to an unauthenticated scraper: Redis's error text can name hosts and users.
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'metrics unavailable');
      throw new HttpProblem(503, 'Metrics unavailable', 'could not read the queue; the cause is in the service log', {}, { 'Retry-After': '5' });
    }
  });
  return router;
}
