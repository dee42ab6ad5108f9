import { DecisionWaiter } from '../../src/api/decision-waiter';
import { closeRedis, connectRedis, type RedisClient } from '../../src/redis';
import { TEST_REDIS_URL, uniquePrefix } from '../helpers/service';

/** `?wait=` against a real Redis: a verdict published while the subscriber was reconnecting is not missed. */
describe('DecisionWaiter', () => {
  let subscriber: RedisClient;
  let publisher: RedisClient;
  let waiter: DecisionWaiter;
  const channel = `${uniquePrefix('waiter')}:decided`;

  beforeAll(async () => {
    subscriber = await connectRedis(TEST_REDIS_URL, { enableOfflineQueue: false });
    publisher = await connectRedis(TEST_REDIS_URL);
    waiter = await DecisionWaiter.start(subscriber, channel);
  });
  afterAll(async () => {
    await waiter.stop();
    await closeRedis(subscriber);
    await closeRedis(publisher);
  });

  it('wakes on the published id', async () => {
    let decided = false;
    const result = waiter.wait('a', 60_000, async () => decided);
    await new Promise((r) => setTimeout(r, 50));
    decided = true;
    await publisher.publish(channel, 'a');
    expect(await result).toBe(true);
  });

  it('gives up at the deadline when nothing is published and nothing is decided', async () => {
    expect(await waiter.wait('b', 300, async () => false)).toBe(false);
  });

  it('looks at the store again when the subscriber reconnects, so a verdict it missed still wakes the request', async () => {
    let decided = false;
    let checks = 0;
    const result = waiter.wait('c', 60_000, async () => {
      checks++;
      return decided;
    });
    await new Promise((r) => setTimeout(r, 50));
    // Decided while the notification is lost (nothing published), then the connection drops and comes back.
    decided = true;
    (subscriber as { disconnect(reconnect: boolean): void }).disconnect(true);
    expect(await result).toBe(true);
    expect(checks).toBe(2);
  }, 15_000);
});
