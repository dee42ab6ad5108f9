import { ADMIN_KEY, call, eventually, startService, type TestService } from '../helpers/service';

/** One sample's value from Prometheus text, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelPart = line.slice(name.length).split(' ')[0];
    if (want.every((l) => labelPart.includes(l))) return Number(line.split(' ').pop());
  }
  return undefined;
}

describe('GET /metrics', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startService('metrics');
  });
  afterAll(async () => {
    await svc.stop();
  });

  it('counts verdicts by decision and category, times the engine, and labels requests by route pattern', async () => {
    for (const [id, text] of [
      ['m-1', 'You are an idiot.'],
      ['m-2', 'Thanks, a clear account of the summit.'],
    ]) {
      const r = await call(svc.url, '/v1/comments?wait=5000', { body: { id, articleId: 'a-1', author: { id: 'u-1' }, text } });
      expect(r.status).toBe(200);
    }
    await call(svc.url, '/v1/comments/m-1');
    await call(svc.url, '/v1/comments/no-such-comment');
    const res = await fetch(`${svc.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(sample(text, 'decorum_verdicts_total', { decision: 'rejected' })).toBe(1);
    expect(sample(text, 'decorum_verdicts_total', { decision: 'approved' })).toBe(1);
    expect(sample(text, 'decorum_flags_total', { category: 'discourtesy' })).toBe(1);
    expect(sample(text, 'decorum_flags_total', { category: 'violence' })).toBe(0);
    expect(sample(text, 'decorum_engine_duration_seconds_count')).toBe(2);
    expect(sample(text, 'decorum_http_request_duration_seconds_count', { route: '/v1/comments/:id', status: '200' })).toBe(1);
    expect(sample(text, 'decorum_http_request_duration_seconds_count', { route: '/v1/comments/:id', status: '404' })).toBe(1);
    // Ids never become labels.
    expect(text).not.toMatch(/no-such-comment|m-1/);
    expect(sample(text, 'decorum_queue_jobs', { state: 'waiting' })).toBe(0);
    expect(sample(text, 'decorum_queue_oldest_waiting_seconds')).toBe(0);
    expect(sample(text, 'decorum_process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});

describe('a queue that backs up', () => {
  let api: TestService;
  beforeAll(async () => {
    api = await startService('metrics-api', 'api');
  });
  afterAll(async () => {
    await api.stop();
  });

  it('shows waiting jobs and the age of the oldest when no worker runs', async () => {
    for (const id of ['w-1', 'w-2', 'w-3']) {
      expect((await call(api.url, '/v1/comments', { body: { id, articleId: 'a', author: { id: 'u' }, text: 'hello there' } })).status).toBe(202);
    }
    await new Promise((r) => setTimeout(r, 1100));
    const text = await (await fetch(`${api.url}/metrics`)).text();
    expect(sample(text, 'decorum_queue_jobs', { state: 'waiting' })).toBe(3);
    expect(sample(text, 'decorum_queue_oldest_waiting_seconds')).toBeGreaterThanOrEqual(1);
  });
});

describe('a worker-only process', () => {
  it('serves its own /metrics on METRICS_PORT, where its verdicts are counted', async () => {
    const api = await startService('metrics-split', 'api');
    const { start } = await import('../../src/main');
    const { loadConfig } = await import('../../src/config');
    const { createLogger } = await import('../../src/logger');
    const worker = await start(
      'worker',
      loadConfig({ REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', REDIS_PREFIX: api.prefix, METRICS_PORT: '0', HOST: '127.0.0.1', ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: 'silent' }),
      createLogger('silent'),
    );
    try {
      expect(worker.metricsPort).toBeGreaterThan(0);
      await call(api.url, '/v1/comments', { body: { id: 's-1', articleId: 'a', author: { id: 'u' }, text: 'You moron.' } });
      const text = await eventually(async () => {
        const t = await (await fetch(`http://127.0.0.1:${worker.metricsPort}/metrics`)).text();
        return sample(t, 'decorum_verdicts_total', { decision: 'rejected' }) === 1 ? t : undefined;
      });
      expect(sample(text, 'decorum_flags_total', { category: 'discourtesy' })).toBe(1);
      const other = await fetch(`http://127.0.0.1:${worker.metricsPort}/anything`);
      expect(other.status).toBe(404);
      expect(other.headers.get('content-type')).toMatch(/problem\+json/);
    } finally {
      await worker.stop();
      await api.stop();
    }
  });
});
