import { Redis } from 'ioredis';
import { BearerKeys } from '../../src/auth/bearer-keys';
import { ApiKeyStore } from '../../src/store/api-keys';
import { keys } from '../../src/store/keys';
import { ModeratorStore } from '../../src/store/moderators';
import { ADMIN_KEY, call, deletePrefix, eventually, NO_LIMITS, startService, TEST_REDIS_URL, uniquePrefix, type TestService } from '../helpers/service';

// Who a bearer key belongs to, remembered per process: a revocation anywhere reaches every
// process within the recheck interval, and a new key works at once.

describe('the bearer-key cache', () => {
  const redis = new Redis(TEST_REDIS_URL);
  const prefix = uniquePrefix('bearer');
  const k = keys(prefix);
  // The process that makes the changes, and two others with their own caches, over one Redis,
  // with a clock the test moves.
  const moderators = new ModeratorStore(redis, k);
  const apiKeys = new ApiKeyStore(redis, k);
  let now = 0;
  const cache = () => new BearerKeys(redis, k, new ModeratorStore(redis, k), new ApiKeyStore(redis, k), { recheckMs: 500, clock: () => now });
  const a = cache();
  const b = cache();
  afterAll(async () => {
    await deletePrefix(redis, prefix);
    await redis.quit();
  });

  it('forgets a key revoked elsewhere once the interval has passed, and not before', async () => {
    const created = await apiKeys.create({ name: 'cms', scopes: ['comments:write'], site: 'default' });
    expect((await a.owner(created.secret)).apiKey?.id).toBe(created.id);
    expect((await b.owner(created.secret)).apiKey?.id).toBe(created.id);
    expect(await apiKeys.revoke(created.id)).toBe(true);
    // Within the interval a remembers what it found: that is the bound a revocation may take.
    now += 499;
    expect((await a.owner(created.secret)).apiKey?.id).toBe(created.id);
    now += 1;
    expect((await a.owner(created.secret)).apiKey).toBeNull();
    expect((await b.owner(created.secret)).apiKey).toBeNull();
  });

  it('sees an account disabled or its key rotated elsewhere', async () => {
    const { secret: apiKey, ...moderator } = await moderators.create({ email: 'cache@example.com', role: 'moderator', passwordHash: 'x' });
    expect((await a.owner(apiKey)).moderator?.disabled).toBe(false);
    await moderators.update(moderator.id, { disabled: true });
    now += 500;
    expect((await a.owner(apiKey)).moderator?.disabled).toBe(true);
    await moderators.rotateKey(moderator.id);
    now += 500;
    expect((await a.owner(apiKey)).moderator).toBeNull();
  });

  it('forgets at once what its own process changed', async () => {
    const local = new BearerKeys(redis, k, moderators, apiKeys, { recheckMs: 500, clock: () => now });
    const created = await apiKeys.create({ name: 'local', scopes: ['comments:read'], site: 'default' });
    expect((await local.owner(created.secret)).apiKey?.id).toBe(created.id);
    await apiKeys.revoke(created.id);
    expect((await local.owner(created.secret)).apiKey).toBeNull();
  });

  it('does not remember unknown keys: a key created a moment later works at once', async () => {
    const created = await apiKeys.create({ name: 'late', scopes: ['comments:read'], site: 'default' });
    const other = `${created.secret}x`;
    expect(await a.owner(other)).toEqual({ moderator: null, apiKey: null });
    const next = await apiKeys.create({ name: 'next', scopes: ['comments:read'], site: 'default' });
    expect((await a.owner(next.secret)).apiKey?.id).toBe(next.id);
  });
});

describe('revoking a key used through another service process', () => {
  let one: TestService;
  let two: TestService;
  beforeAll(async () => {
    one = await startService('bearer-one', 'api', NO_LIMITS);
    two = await startService('bearer-two', 'api', { ...NO_LIMITS, REDIS_PREFIX: one.prefix });
  });
  afterAll(async () => {
    await two?.stop();
    await one?.stop();
  });

  it('is refused there too', async () => {
    const created = await call(one.url, '/v1/keys', { key: ADMIN_KEY, body: { name: 'reader', scopes: ['comments:read'], site: 'default' } });
    expect(created.status).toBe(201);
    const key = created.body.secret;
    expect(typeof key).toBe('string');
    expect((await call(two.url, '/v1/review?status=held', { key })).status).toBe(200);
    expect((await call(one.url, `/v1/keys/${created.body.id}`, { key: ADMIN_KEY, method: 'DELETE' })).status).toBe(204);
    await eventually(async () => ((await call(two.url, '/v1/review?status=held', { key })).status === 401 ? true : undefined), 5000);
  });
});
