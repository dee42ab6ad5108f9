import { createServer, type Server } from 'node:http';
import type { Queue } from 'bullmq';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { CATEGORIES, type Verdict } from './engine';

/**
 * Prometheus metrics of one process. Each process (API, worker, or both) has its own registry
 * and serves it: the API at /metrics, a worker-only process on METRICS_PORT. A registry per
 * service rather than prom-client's global one, so two services in one process (the tests)
 * don't count into each other.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'decorum_http_request_duration_seconds',
    help: 'HTTP request latency by route (the route pattern, not the URL) and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [this.registry],
  });

  readonly verdicts = new Counter({
    name: 'decorum_verdicts_total',
    help: 'Automatic verdicts recorded, by decision',
    labelNames: ['decision'] as const,
    registers: [this.registry],
  });

  readonly flags = new Counter({
    name: 'decorum_flags_total',
    help: 'Categories flagged in automatic verdicts (a comment can count under several)',
    labelNames: ['category'] as const,
    registers: [this.registry],
  });

  readonly engineSeconds = new Histogram({
    name: 'decorum_engine_duration_seconds',
    help: 'Time the moderation engine took per comment',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1],
    registers: [this.registry],
  });

  readonly detectorFailures = new Counter({
    name: 'decorum_detector_failures_total',
    help: 'Detectors that threw or ran over budget, by detector, reason and the action the policy took',
    labelNames: ['detector', 'reason', 'action'] as const,
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'decorum_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly submissionsRefused = new Counter({
    name: 'decorum_submissions_refused_total',
    help: 'Comment submissions refused by this process: a rate limit (key, author, ip) or a full moderation backlog',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'decorum_' });
    for (const c of CATEGORIES) this.flags.inc({ category: c }, 0);
    for (const r of ['key', 'author', 'ip', 'backlog']) this.submissionsRefused.inc({ reason: r }, 0);
  }

  recordVerdict(verdict: Verdict, engineMs: number): void {
    this.verdicts.inc({ decision: verdict.decision });
    for (const c of CATEGORIES) if (verdict.categories[c].flagged) this.flags.inc({ category: c });
    for (const f of verdict.failures) this.detectorFailures.inc({ detector: f.detector, reason: f.reason, action: f.action });
    this.engineSeconds.observe(engineMs / 1000);
  }

  /**
   * Queue depth and the age of the oldest waiting job, read from Redis when scraped: they are
   * the queue's, not this process's, so any process can report them.
   */
  watchQueue(queue: Queue, now: () => number = Date.now): void {
    const registry = this.registry;
    new Gauge({
      name: 'decorum_queue_jobs',
      help: 'Moderation jobs by state',
      labelNames: ['state'] as const,
      registers: [registry],
      async collect() {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      },
    });
    new Gauge({
      name: 'decorum_queue_oldest_waiting_seconds',
      help: 'Age of the oldest job waiting for a worker (0 when none waits)',
      registers: [registry],
      async collect() {
        const [oldest] = await queue.getWaiting(0, 0);
        this.set(oldest ? Math.max(0, (now() - oldest.timestamp) / 1000) : 0);
      },
    });
  }
}

/** The Prometheus text format, as /metrics answers it. */
export async function metricsText(metrics: Metrics): Promise<{ contentType: string; body: string }> {
  return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
}

/** A worker-only process's /metrics: no Express, nothing else served. */
export function serveMetrics(metrics: Metrics, port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'about:blank', title: 'Not found', status: 404, detail: 'only GET /metrics is served here' }));
      return;
    }
    metricsText(metrics).then(
      ({ contentType, body }) => {
        res.writeHead(200, { 'content-type': contentType });
        res.end(body);
      },
      (err: unknown) => {
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end(`metrics unavailable: ${err instanceof Error ? err.message : String(err)}`);
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.listen(port, host, () => resolve(server));
    server.once('error', reject);
  });
}
