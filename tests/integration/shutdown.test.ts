import { call, deletePrefix, eventually, startService } from '../helpers/service';

describe('graceful shutdown', () => {
  it('answers a request waiting for a verdict at once, finishes it, then refuses new connections', async () => {
    // API only: no worker, so the comment stays queued and the request would wait its full 10 s.
    const svc = await startService('shutdown', 'api');
    try {
      const started = Date.now();
      const pending = call(svc.url, '/v1/comments?wait=10000', { body: { id: 's-wait', articleId: 'a1', author: { id: 'u1' }, text: 'Patience.' } });
      await eventually(async () => ((await svc.redis.exists(`${svc.prefix}:comment:s-wait`)) ? true : undefined));
      await svc.running.stop();
      const r = await pending;
      expect(r.status).toBe(202);
      expect(r.body).toEqual({ id: 's-wait', status: 'queued' });
      expect(Date.now() - started).toBeLessThan(5000);
      await expect(fetch(`${svc.url}/healthz`)).rejects.toThrow();
    } finally {
      await deletePrefix(svc.redis, svc.prefix);
      await svc.redis.quit();
    }
  });
});
