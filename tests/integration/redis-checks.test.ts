import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { start } from '../../src/main';
import { checkRedis, readRedisSettings, RedisMisconfiguredError } from '../../src/redis-checks';
import { RedisServer, ServiceProcess, until } from '../faults/harness';
import { ADMIN_KEY } from '../helpers/service';

/** A logger whose lines the test can read. */
function capturingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      cb();
    },
  });
  return { log: pino({ level: 'info' }, sink), lines, warnings: () => lines.filter((l) => l.level === 40).map((l) => l.msg) };
}

/** Runs `fn` against a redis-server started with `args`, and always removes the server. */
async function withRedis<T>(args: string[], fn: (server: RedisServer, redis: Redis) => Promise<T>): Promise<T> {
  const server = await RedisServer.start(args);
  const redis = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return await fn(server, redis);
  } finally {
    redis.disconnect();
    await server.cleanup();
  }
}

describe('startup checks on the Redis in use', () => {
  it('refuses a Redis that may evict keys: one line naming the policy, exit 1', async () => {
    await withRedis(['--maxmemory-policy', 'allkeys-lru'], async (server) => {
      const proc = new ServiceProcess('worker', { REDIS_URL: server.url, REDIS_PREFIX: 'checks' });
      const { code } = await proc.exit;
      expect(code).toBe(1);
      const lines = proc.stderr.split('\n').filter((l) => l.trim() !== '');
      expect(lines).toEqual([expect.stringMatching(/^decorum: Redis at redis:\/\/127\.0\.0\.1:\d+ may evict keys \(maxmemory-policy allkeys-lru\)/)]);
      expect(lines[0]).toMatch(/noeviction/);
      expect(proc.lines.find((l) => l.msg === 'moderation worker started')).toBeUndefined();
    });
  });

  it('refuses it from start() too, with its own error class, and leaves no connection behind', async () => {
    await withRedis(['--maxmemory-policy', 'volatile-lru'], async (server, redis) => {
      const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', REDIS_URL: server.url, REDIS_PREFIX: 'checks', ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: 'silent' });
      await expect(start('api', config, pino({ level: 'silent' }))).rejects.toThrow(RedisMisconfiguredError);
      // Only this test's own connection is left (Redis notices the others' close a moment later).
      await until('the service closes its connections', async () => {
        const clients = String(await redis.client('LIST')).split('\n').filter((l) => l.trim() !== '');
        return clients.length === 1 ? true : undefined;
      }, 5000);
    });
  });

  it('starts on a Redis with noeviction and AOF without a warning', async () => {
    await withRedis(['--maxmemory-policy', 'noeviction', '--appendonly', 'yes'], async (_server, redis) => {
      const { log, warnings } = capturingLogger();
      const [settings, ...more] = await checkRedis(redis, log, 'test');
      expect(more).toEqual([]); // one server, one node checked
      expect(settings).toEqual({ evictionPolicy: 'noeviction', appendonly: true, save: '' });
      expect(warnings()).toEqual([]);
    });
  });

  it('warns, but starts, when the Redis persists nothing', async () => {
    await withRedis(['--maxmemory-policy', 'noeviction', '--appendonly', 'no'], async (server) => {
      const { log, warnings } = capturingLogger();
      const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', REDIS_URL: server.url, REDIS_PREFIX: 'checks', ADMIN_API_KEY: ADMIN_KEY });
      const running = await start('api', config, log);
      try {
        expect(warnings()).toContainEqual(expect.stringMatching(/^Redis persists nothing/));
        const ready = await fetch(`http://127.0.0.1:${running.port}/readyz`);
        expect(ready.status).toBe(200);
      } finally {
        await running.stop();
      }
    });
  });

  it('warns that RDB snapshots alone lose the writes since the last one', async () => {
    await withRedis(['--save', '3600 1'], async (_server, redis) => {
      const { log, warnings } = capturingLogger();
      await checkRedis(redis, log, 'test');
      expect(warnings()).toEqual([expect.stringMatching(/^Redis persists only RDB snapshots/)]);
    });
  });

  it('when CONFIG is disabled (managed Redis), warns and goes on, reading what INFO shows', async () => {
    await withRedis(['--rename-command', 'CONFIG', ''], async (_server, redis) => {
      const { log, warnings } = capturingLogger();
      const [settings, ...more] = await checkRedis(redis, log, 'test');
      expect(more).toEqual([]); // one server, one node checked
      expect(settings).toMatchObject({ evictionPolicy: 'noeviction', appendonly: false, save: null, configUnavailable: expect.stringMatching(/unknown command/) });
      expect(warnings()).toEqual([expect.stringMatching(/CONFIG is disabled/)]);
    });
  });

  it('when CONFIG is disabled but INFO shows an evicting policy, still refuses', async () => {
    await withRedis(['--rename-command', 'CONFIG', '', '--maxmemory-policy', 'allkeys-lfu'], async (_server, redis) => {
      expect((await readRedisSettings(redis)).evictionPolicy).toBe('allkeys-lfu');
      await expect(checkRedis(redis, pino({ level: 'silent' }), 'test')).rejects.toThrow(/maxmemory-policy allkeys-lfu/);
    });
  });
});
