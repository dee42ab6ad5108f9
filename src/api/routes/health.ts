import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { HttpProblem } from '../problem';

export function healthRouter({ redis, queue }: ApiDeps): Router {
  const router = Router();
  // Liveness: the process answers. Never touches Redis, so an outage doesn't get us restarted.
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Readiness: Redis answers and the queue can be read; load balancers stop sending traffic otherwise.
  router.get('/readyz', async (_req, res) => {
    try {
      await redis.ping();
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
      res.json({ status: 'ready', queue: counts });
    } catch (err) {
      throw new HttpProblem(503, 'Not ready', `redis or the queue is unreachable: ${err instanceof Error ? err.message : String(err)}`, {}, { 'Retry-After': '5' });
    }
  });
  return router;
}
