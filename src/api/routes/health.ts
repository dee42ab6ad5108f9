import { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { HttpProblem } from '../problem';

export const LivenessSchema = z.object({ status: z.literal('ok') });
export const ReadinessSchema = z.object({
  status: z.literal('ready'),
  queue: z.object({ waiting: z.number().int(), active: z.number().int(), delayed: z.number().int(), failed: z.number().int() }),
});

export function healthRouter({ redis, queue, log }: ApiDeps): Router {
  const router = Router();
  // Liveness: the process answers. Never touches Redis, so an outage doesn't get us restarted.
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Readiness: Redis answers and the queue can be read; load balancers stop sending traffic otherwise.
  router.get('/readyz', async (_req, res) => {
    try {
      await redis.ping();
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
      // BullMQ adds counts of its own (paused); the answer is the documented four.
      const body: z.infer<typeof ReadinessSchema> = {
        status: 'ready',
        queue: { waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0 },
      };
      res.json(body);
    } catch (err) {
      // The cause goes to the log, not to an unauthenticated caller: Redis's error text can name hosts, ports and users.
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'not ready');
      throw new HttpProblem(503, 'Not ready', 'redis or the queue is unreachable; the cause is in the service log', {}, { 'Retry-After': '5' });
    }
  });
  return router;
}
