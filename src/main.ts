import { createServer, type Server } from 'node:http';
import type { Worker } from 'bullmq';
import type { RedisClient } from './redis';
import { startModerationWorker } from '../workers/moderation';
import { startWebhookWorker } from '../workers/webhooks';
import { createApp } from './api/app';
import { Backpressure } from './api/backpressure';
import { answerClientErrors } from './api/client-errors';
import { DecisionWaiter } from './api/decision-waiter';
import { RateLimiter } from './api/rate-limit';
import { ReviewStream } from './api/review-stream';
import { SessionStore } from './auth/sessions';
import { PasswordHasher } from './auth/passwords';
import { LoginThrottle } from './auth/throttle';
import { type Config, ConfigError, loadConfig, usesDevAdminKey } from './config';
import { createLogger, type Logger } from './logger';
import { Metrics, serveMetrics } from './metrics';
import { loadSafePolicy, PolicyLoadError } from './policies';
import { closeWorker } from './queue/close-worker';
import { createModerationQueue } from './queue/moderation';
import { startSweeper } from './queue/sweeper';
import { closeRedis, connectRedis, describeTarget, FAIL_FAST, RedisUnavailableError, watchConnection } from './redis';
import { checkRedis, RedisMisconfiguredError } from './redis-checks';
import { AuditLog } from './store/audit';
import { CommentStore, StoreLayoutError } from './store/comments';
import { keys } from './store/keys';
import { DeliveryStore } from './webhooks/deliveries-store';
import { Dispatcher } from './webhooks/dispatcher';
import { EndpointStore } from './webhooks/endpoints-store';
import { createWebhookQueue } from './webhooks/queue';
import { ApiKeyStore } from './store/api-keys';
import { ModeratorStore } from './store/moderators';
import { BearerKeys } from './auth/bearer-keys';
import { childRole, supervise, tellSupervisor } from './supervisor';

export type Role = 'all' | 'api' | 'worker';

export interface Running {
  server?: Server;
  port?: number;
  /** A worker-only process's metrics port, when METRICS_PORT is set. */
  metricsPort?: number;
  stop(): Promise<void>;
}

/** The composition root: builds the parts a role needs and wires them together. */
export async function start(role: Role, config: Config, log: Logger): Promise<Running> {
  // Only the API authenticates anyone; a worker needs no key.
  const adminApiKey = config.adminApiKey;
  if (role !== 'worker' && adminApiKey === null) {
    throw new ConfigError('invalid configuration: ADMIN_API_KEY: required when NODE_ENV=production');
  }
  const { policy, proved } = await loadSafePolicy(config.policyFile);
  log.info({ policy: policy.doc.name, version: policy.doc.version, patternsProvedNow: proved }, 'policy loaded');
  const k = keys(config.prefix);
  // Stopped in this order: stop taking requests, finish jobs, then close connections.
  const stopHttp: (() => Promise<unknown>)[] = [];
  const stopWork: (() => Promise<unknown>)[] = [];
  const closeConnections: (() => Promise<unknown>)[] = [];

  // Requests fail fast while Redis is away (503), instead of queueing up in memory. Commands
  // issued in the same tick go out in one write (auto-pipelining): under load, one write per
  // command was a fifth of the service's CPU time (docs/BENCHMARKS.md, "Where the time goes").
  // Only on connections that never block: a blocked command would hold up the pipeline behind it.
  const redis = await connectRedis(config.redis, { ...FAIL_FAST, enableAutoPipelining: true });
  try {
    await checkRedis(redis, log, describeTarget(config.redis));
    await new CommentStore(redis, k).checkLayout();
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  watchConnection(redis, 'commands', log);
  const store = new CommentStore(redis, k);
  // The queue shares the store's connection: a comment's creation and its job then reach Redis
  // in the order they were sent, so the API can send both at once (one round trip, not two)
  // without a worker ever taking the job of a comment not yet stored.
  const queue = createModerationQueue(redis, k.bull);
  // BullMQ re-emits every failed reconnect as an 'error'; watchConnection reports the outage once.
  queue.on('error', () => {});
  const metrics = new Metrics();
  metrics.watchQueue(queue);
  // Every role needs it: the API queues pings and re-sends, the dispatcher queues events.
  const webhookQueue = createWebhookQueue(redis, k.bull, config.webhooks.schedule);
  webhookQueue.on('error', () => {});
  const endpoints = new EndpointStore(redis, k);
  const deliveries = new DeliveryStore(redis, k);
  closeConnections.push(
    () => queue.close(),
    () => webhookQueue.close(),
    () => closeRedis(redis),
  );

  let worker: Worker | undefined;
  let stopSweeper: (() => void) | undefined;
  if (role !== 'api') {
    // BullMQ workers block on Redis and must retry forever, hence their own connection.
    const workerConn = await connectRedis(config.redis, { maxRetriesPerRequest: null });
    watchConnection(workerConn, 'worker', log);
    worker = startModerationWorker({
      connection: workerConn,
      prefix: k.bull,
      store,
      policy,
      concurrency: config.workerConcurrency,
      log,
      metrics,
      lockMs: config.jobLockMs,
    });
    // Webhooks: the dispatcher turns decisions into deliveries, the worker sends them. Each blocks
    // on Redis, so each has its own connection.
    // Its reads block for 1 s; the command timeout ends one that Redis never answers.
    const dispatchConn = await connectRedis(config.redis, { maxRetriesPerRequest: null, commandTimeout: 10_000 });
    watchConnection(dispatchConn, 'webhook-dispatcher', log);
    const dispatcher = new Dispatcher({ redis: dispatchConn, keys: k, endpoints, deliveries, comments: store, queue: webhookQueue, log });
    await dispatcher.start();
    const webhookConn = await connectRedis(config.redis, { maxRetriesPerRequest: null });
    watchConnection(webhookConn, 'webhook-worker', log);
    const webhookWorker = startWebhookWorker({
      connection: webhookConn,
      prefix: k.bull,
      endpoints,
      deliveries,
      log,
      metrics,
      ...config.webhooks,
    });
    // Before the moderation worker's (up to 10 s), and short, so both fit in main()'s 15 s.
    stopWork.push(async () => {
      await dispatcher.stop();
      if (!(await closeWorker(webhookWorker, webhookConn.status === 'ready', 3000))) {
        log.warn('stopped the webhook worker without waiting for its deliveries; they will be attempted again');
      }
      await closeRedis(webhookConn);
      await closeRedis(dispatchConn);
    });
    log.info({ concurrency: config.webhooks.concurrency, allowPrivate: config.webhooks.allowPrivate }, 'webhook dispatcher and worker started');
    stopSweeper = startSweeper(store, queue, log, { staleAfterMs: config.sweepStaleMs, everyMs: config.sweepEveryMs, batch: 500 });
    const w = worker;
    stopWork.push(async () => {
      stopSweeper?.();
      // Bounded below main()'s 15 s, so connections still get closed cleanly.
      if (!(await closeWorker(w, workerConn.status === 'ready', 10_000))) log.warn('stopped the worker without waiting for its jobs; they will be re-run');
      await closeRedis(workerConn);
    });
    // BullMQ's lock tokens start with the worker id: this says which process holds a job.
    log.info({ concurrency: config.workerConcurrency, workerId: worker.id }, 'moderation worker started');
  }

  let server: Server | undefined;
  let port: number | undefined;
  if (role !== 'worker') {
    // No offline queue: UNSUBSCRIBE at shutdown must not wait for a Redis that is away. ioredis
    // subscribes again by itself after a reconnect.
    const subscriber: RedisClient = await connectRedis(config.redis, { enableOfflineQueue: false, commandTimeout: FAIL_FAST.commandTimeout });
    watchConnection(subscriber, 'subscriber', log);
    const waiter = await DecisionWaiter.start(subscriber, k.decided);
    // First thing on shutdown: requests waiting for a verdict (?wait=, up to 10 s) answer now.
    stopHttp.push(() => waiter.stop());
    stopWork.push(() => closeRedis(subscriber));
    // Dashboards' live updates block on the events stream: a connection of their own, no command
    // timeout (a blocked read is meant to wait). Ended first on shutdown so open streams don't
    // hold the HTTP server open.
    const streamConn = await connectRedis(config.redis, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    watchConnection(streamConn, 'review-stream', log);
    const reviewStream = new ReviewStream(streamConn, k.events, log);
    stopHttp.push(() => reviewStream.stop());
    const moderators = new ModeratorStore(redis, k);
    const apiKeys = new ApiKeyStore(redis, k);
    const app = createApp({
      adminApiKey: adminApiKey!,
      redis,
      store,
      queue,
      waiter,
      policy,
      log,
      metrics,
      bodyLimitBytes: config.bodyLimitBytes,
      webhooks: { endpoints, deliveries, queue: webhookQueue, allowPrivate: config.webhooks.allowPrivate },
      coralSigningSecret: config.coralSigningSecret,
      keys: k,
      moderators,
      apiKeys,
      bearerKeys: new BearerKeys(redis, k, moderators, apiKeys),
      sessions: new SessionStore(redis, k, config.sessionTtlS),
      throttle: new LoginThrottle(redis, k, config.login),
      passwords: new PasswordHasher(config.passwordScryptN),
      audit: new AuditLog(redis, k),
      reviewStream,
      secureCookies: config.secureCookies,
      rateLimiter: new RateLimiter(redis, k, config.rateLimits, (scope) => metrics.submissionsRefused.inc({ reason: scope })),
      backpressure: new Backpressure(redis, k, { maxWaiting: config.queueMaxWaiting, maxWaitMs: config.queueMaxWaitMs }, () => metrics.submissionsRefused.inc({ reason: 'backlog' })),
      trustProxy: config.trustProxy,
    });
    server = await new Promise<Server>((resolve, reject) => {
      // Slow clients (slowloris) can't hold connections open: headers and the whole request are
      // bounded, checked every second rather than Node's default 30.
      const s = createServer({ headersTimeout: config.http.headersTimeoutMs, requestTimeout: config.http.requestTimeoutMs, connectionsCheckingInterval: 1000 }, app);
      s.listen(config.port, config.host, () => resolve(s));
      s.once('error', reject);
    });
    answerClientErrors(server);
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : config.port;
    if (usesDevAdminKey(config)) log.warn('ADMIN_API_KEY is not set: using the development key "dev-admin-key"');
    log.info({ port, host: config.host }, 'api listening');
    const s = server;
    stopHttp.push(
      () =>
        new Promise<void>((resolve) => {
          // Stop accepting, let in-flight requests finish, then drop idle keep-alive sockets.
          s.close(() => resolve());
          s.closeIdleConnections();
        }),
    );
  }

  let metricsPort: number | undefined;
  if (role === 'worker' && config.metricsPort !== null) {
    const metricsServer = await serveMetrics(metrics, config.metricsPort, config.host);
    metricsPort = (metricsServer.address() as { port: number }).port;
    log.info({ port: metricsPort }, 'worker metrics listening');
    stopHttp.push(() => new Promise<void>((resolve) => metricsServer.close(() => resolve())));
  }

  return {
    server,
    port,
    metricsPort,
    async stop() {
      for (const close of [...stopHttp, ...stopWork, ...closeConnections]) {
        await close().catch((err) => log.warn({ err: String(err) }, 'error while stopping'));
      }
    },
  };
}

/**
 * Prints a start-up failure in one line and exits; a child of the supervisor hands it over
 * instead, so that several processes failing alike print it once.
 */
function fail(code: number, message: string): never {
  if (childRole() !== null) {
    // process.send is asynchronous: exit once it has gone out.
    tellSupervisor({ decorum: 'fatal', message, code }, () => process.exit(code));
    throw new Exiting();
  }
  console.error(message);
  process.exit(code);
}

/** Thrown by fail() in a child, whose exit waits for its message to reach the supervisor. */
class Exiting extends Error {}

async function main(): Promise<void> {
  const arg = process.argv[2] ?? 'all';
  if (arg !== 'all' && arg !== 'api' && arg !== 'worker') {
    console.error(`decorum: unknown role "${arg}" (use all, api or worker)`);
    process.exit(2);
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    fail(2, `decorum: ${(err as Error).message}`);
  }
  const log = createLogger(config.logLevel);
  const child = childRole();
  if (arg === 'all' && child === null && config.processes > 1) {
    supervise(config.processes, log);
    return;
  }
  const role: Role = child ?? arg;
  let running: Running;
  try {
    running = await start(role, config, log);
  } catch (err) {
    if (err instanceof RedisMisconfiguredError || err instanceof StoreLayoutError) fail(1, `decorum: ${err.message}`);
    if (err instanceof RedisUnavailableError) {
      fail(
        1,
        `decorum: ${err.message}. Start one with \`redis-server --appendonly yes\` (or \`docker compose up -d redis\`), or set REDIS_URL (now ${describeTarget(config.redis)}).`,
      );
    }
    if (err instanceof ConfigError) fail(2, `decorum: ${err.message}`);
    if (err instanceof PolicyLoadError) fail(2, `decorum: invalid policy: ${err.message}`);
    if (err instanceof Error && 'code' in err && err.code === 'EADDRINUSE') fail(1, `decorum: port ${config.port} is already in use; set PORT to another one`);
    throw err;
  }
  tellSupervisor({ decorum: 'ready' });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took longer than 15 s; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    running.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) {
  main().catch((err) => {
    if (err instanceof Exiting) return;
    console.error(`decorum: failed to start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
