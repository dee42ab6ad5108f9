import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, redisUrl: 'redis://127.0.0.1:6379', prefix: 'decorum', adminApiKey: 'dev-admin-key', workerConcurrency: 16, logLevel: 'info' });
    expect(c.policyFile).toMatch(/policies\/default\.json$/);
  });

  it.each([
    [{ PORT: 'abc' }, /^invalid configuration: PORT: /],
    [{ PORT: '70000' }, /PORT/],
    [{ REDIS_URL: 'http://localhost' }, /REDIS_URL: must be a redis/],
    [{ REDIS_PREFIX: 'has space' }, /REDIS_PREFIX/],
    [{ WORKER_CONCURRENCY: '0' }, /WORKER_CONCURRENCY/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ ADMIN_API_KEY: 'short' }, /ADMIN_API_KEY: must be at least 12/],
  ])('names the bad variable in one line: %p', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('has no admin key in production unless one is set', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).adminApiKey).toBeNull();
    expect(loadConfig({ NODE_ENV: 'production', ADMIN_API_KEY: 'a-long-enough-key' }).adminApiKey).toBe('a-long-enough-key');
  });
});
