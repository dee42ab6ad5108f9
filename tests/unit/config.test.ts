import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, redisUrl: 'redis://127.0.0.1:6379', prefix: 'decorum', adminApiKey: 'dev-admin-key', workerConcurrency: 16, logLevel: 'info' });
    expect(c.policyFile).toMatch(/policies\/default\.json$/);
    expect(c.rateLimits).toEqual({ windowMs: 60_000, key: 6000, author: 10, ip: 600, bySite: {} });
    expect(c.queueMaxWaiting).toBe(50_000);
    expect(c.passwordScryptN).toBe(2 ** 17);
  });

  it('turns a submission limit off with 0', () => {
    const c = loadConfig({ RATE_LIMIT_KEY_PER_MIN: '0', RATE_LIMIT_AUTHOR_PER_MIN: '3', QUEUE_MAX_WAITING: '0' });
    expect(c.rateLimits).toMatchObject({ key: 0, author: 3, ip: 600 });
    expect(c.queueMaxWaiting).toBe(0);
  });

  it.each([
    [{ PORT: 'abc' }, /^invalid configuration: PORT: /],
    [{ PORT: '70000' }, /PORT/],
    [{ REDIS_URL: 'http://localhost' }, /REDIS_URL: must be a redis/],
    [{ REDIS_PREFIX: 'has space' }, /REDIS_PREFIX/],
    [{ WORKER_CONCURRENCY: '0' }, /WORKER_CONCURRENCY/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ PASSWORD_SCRYPT_N: '100000' }, /PASSWORD_SCRYPT_N: must be a power of two/],
    [{ PASSWORD_SCRYPT_N: '4096' }, /PASSWORD_SCRYPT_N/],
    [{ RATE_LIMIT_AUTHOR_PER_MIN: '-1' }, /RATE_LIMIT_AUTHOR_PER_MIN/],
    [{ RATE_LIMIT_IP_PER_MIN: 'lots' }, /RATE_LIMIT_IP_PER_MIN/],
    [{ RATE_LIMIT_WINDOW_MS: '10' }, /RATE_LIMIT_WINDOW_MS/],
    [{ QUEUE_MAX_WAITING: '1.5' }, /QUEUE_MAX_WAITING/],
    [{ ADMIN_API_KEY: 'short' }, /ADMIN_API_KEY: must be at least 12/],
    [{ REDIS_CLUSTER_NODES: 'http://a:1' }, /REDIS_CLUSTER_NODES: "http:\/\/a:1" is not a redis:\/\/host:port URL/],
    [{ REDIS_CLUSTER_NODES: ' , ' }, /REDIS_CLUSTER_NODES: name at least one node/],
    [{ REDIS_CLUSTER_NODES: 'a:7000', REDIS_SENTINELS: 'b:26379' }, /REDIS_CLUSTER_NODES: set REDIS_CLUSTER_NODES or REDIS_SENTINELS, not both/],
  ])('names the bad variable in one line: %p', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads a Cluster from seed nodes, tagging the prefix so every key shares a slot', () => {
    const c = loadConfig({ REDIS_CLUSTER_NODES: 'redis://:s3cret@10.0.0.1:7000, 10.0.0.2:7001' });
    expect(c.redis).toEqual({ mode: 'cluster', nodes: [{ host: '10.0.0.1', port: 7000 }, { host: '10.0.0.2', port: 7001 }], password: 's3cret', tls: false });
    expect(c.prefix).toBe('{decorum}');
    expect(loadConfig({ REDIS_CLUSTER_NODES: 'a:7000', REDIS_PREFIX: 'site-{one}' }).prefix).toBe('site-{one}');
    expect(loadConfig({}).redis).toEqual({ mode: 'single', url: 'redis://127.0.0.1:6379' });
  });

  it('reads Sentinels and the master name, with Sentinel\'s default port', () => {
    const c = loadConfig({ REDIS_SENTINELS: 'rediss://s1,s2:26380', REDIS_SENTINEL_NAME: 'comments' });
    expect(c.redis).toEqual({ mode: 'sentinel', sentinels: [{ host: 's1', port: 26379 }, { host: 's2', port: 26380 }], name: 'comments', tls: true });
    expect(c.prefix).toBe('decorum');
  });

  it('has no admin key in production unless one is set', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).adminApiKey).toBeNull();
    expect(loadConfig({ NODE_ENV: 'production', ADMIN_API_KEY: 'a-long-enough-key' }).adminApiKey).toBe('a-long-enough-key');
  });
});
