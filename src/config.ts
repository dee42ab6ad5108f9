import path from 'node:path';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import type { RedisTarget } from './redis';
import { DEFAULT_RETRY_SCHEDULE, parseDuration, parseSchedule } from './webhooks/schedule';

/** The repository root (where package.json is), whether we run from src/ or from dist/src/. */
export function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

const DEV_ADMIN_KEY = 'dev-admin-key';

const Int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** "redis://a:7000,redis://b:7000": nodes of a Cluster, or Sentinels. */
const NodeList = z
  .string()
  .transform((s, ctx) => {
    const urls: URL[] = [];
    for (const part of s.split(',').map((p) => p.trim()).filter(Boolean)) {
      try {
        const u = new URL(part.includes('://') ? part : `redis://${part}`);
        if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error();
        urls.push(u);
      } catch {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not a redis://host:port URL` });
        return z.NEVER;
      }
    }
    if (urls.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'name at least one node' });
      return z.NEVER;
    }
    return urls;
  });

function redisTarget(c: { REDIS_URL: string; REDIS_CLUSTER_NODES?: URL[]; REDIS_SENTINELS?: URL[]; REDIS_SENTINEL_NAME: string }): RedisTarget {
  const list = c.REDIS_CLUSTER_NODES ?? c.REDIS_SENTINELS;
  if (!list) return { mode: 'single', url: c.REDIS_URL };
  const first = list[0];
  const auth = {
    ...(first.username && { username: decodeURIComponent(first.username) }),
    ...(first.password && { password: decodeURIComponent(first.password) }),
    tls: first.protocol === 'rediss:',
  };
  const nodes = list.map((u) => ({ host: u.hostname, port: Number(u.port || (c.REDIS_SENTINELS ? 26379 : 6379)) }));
  return c.REDIS_CLUSTER_NODES ? { mode: 'cluster', nodes, ...auth } : { mode: 'sentinel', sentinels: nodes, name: c.REDIS_SENTINEL_NAME, ...auth };
}
const Bool = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');
const Duration = z.string().refine((s) => (parseDuration(s) ?? 0) > 0, 'a duration such as 500ms, 30s, 5m, 2h or 5d');

export const ConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: Int(0, 65535).default(3000),
    // Processes the `all` role runs: half serve the API, the rest the workers (one: both in one
    // process). Defaults to the machine's cores.
    PROCESSES: Int(1, 256).optional(),
    HOST: z.string().min(1).default('0.0.0.0'),
    REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).default('redis://127.0.0.1:6379'),
    // A Redis Cluster (seed nodes) or Sentinel (sentinels and the master's name) instead of
    // REDIS_URL: comma-separated redis:// or rediss:// URLs; a user and password in the first
    // one apply to every node.
    REDIS_CLUSTER_NODES: NodeList.optional(),
    REDIS_SENTINELS: NodeList.optional(),
    REDIS_SENTINEL_NAME: z.string().min(1).default('mymaster'),
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_{}-]+(:[A-Za-z0-9_{}-]+)*$/, 'letters, digits, _ - { } and : separators only')
      .default('decorum'),
    ADMIN_API_KEY: z.string().min(12, 'must be at least 12 characters').optional(),
    POLICY: z.string().min(1).optional(),
    WORKER_CONCURRENCY: Int(1, 1000).default(16),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    // How long a comment may sit queued before the sweeper looks for its job (and re-queues it if
    // there is none), and how often it looks. Short values cost little: a comment whose job is
    // still waiting or running is left alone.
    SWEEP_STALE_MS: Int(1000, 24 * 3600 * 1000).default(60_000),
    SWEEP_EVERY_MS: Int(100, 3600 * 1000).default(30_000),
    // A job's lock lasts this long unless its worker renews it; a job whose worker died is
    // re-run within two to three times this (the lock must expire, then BullMQ's stall check, run
    // at this interval too, must notice). Too short and a busy worker's job looks abandoned and
    // runs twice: harmless, as processing is idempotent, but wasted work.
    JOB_LOCK_MS: Int(1000, 10 * 60 * 1000).default(30_000),
    // How long a client may take to send its headers, and its whole request (408 after that).
    HTTP_HEADERS_TIMEOUT_MS: Int(100, 120_000).default(10_000),
    HTTP_REQUEST_TIMEOUT_MS: Int(100, 600_000).default(30_000),
    // A worker-only process has no HTTP server; it serves /metrics on this port when set.
    METRICS_PORT: Int(0, 65535).optional(),
    // Webhooks (docs/WEBHOOKS.md). Receivers on loopback, private or link-local addresses are
    // refused unless allowed: otherwise whoever can add an endpoint can reach the internal network.
    WEBHOOK_ALLOW_PRIVATE: Bool.default(false),
    // Bounded well under a delivery job's 30 s lock, so a slow receiver can't make a job look stalled.
    WEBHOOK_TIMEOUT_MS: Int(10, 25_000).default(10_000),
    WEBHOOK_RETRY_SCHEDULE: z
      .string()
      .refine((s) => parseSchedule(s) !== null, 'comma-separated durations such as 5s,5m,30m,2h')
      .default(DEFAULT_RETRY_SCHEDULE),
    WEBHOOK_DISABLE_AFTER: Duration.default('5d'),
    WEBHOOK_CONCURRENCY: Int(1, 1000).default(10),
    // The signing secret Coral shows for its external moderation phase (empsec_...); unset, the
    // Coral endpoint answers 404.
    CORAL_SIGNING_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    // Dashboard sign-in: a session lasts this long from sign-in; past LOGIN_MAX_FAILURES wrong
    // passwords for one email (or LOGIN_MAX_FAILURES_PER_IP from one address) sign-in is refused
    // until LOGIN_WINDOW_S after the first failure.
    SESSION_TTL_S: Int(60, 30 * 24 * 3600).default(12 * 3600),
    LOGIN_MAX_FAILURES: Int(1, 1000).default(5),
    LOGIN_MAX_FAILURES_PER_IP: Int(1, 100_000).default(50),
    LOGIN_WINDOW_S: Int(1, 24 * 3600).default(15 * 60),
    // scrypt's cost for new password hashes (a power of two): 2^17 as OWASP recommends; lower only
    // where the time matters more than the hashes (test runs). Hashes keep their own cost, and a
    // hash of another cost is replaced at the next successful sign-in.
    PASSWORD_SCRYPT_N: Int(1 << 14, 1 << 20)
      .refine((n) => (n & (n - 1)) === 0, 'must be a power of two')
      .default(1 << 17),
    // Mark the session cookie Secure (sent over HTTPS only). On by default in production, where
    // the dashboard must sit behind TLS; off otherwise so http://localhost works.
    SECURE_COOKIES: z.enum(['true', 'false']).optional(),
    // Behind a reverse proxy every request comes from the proxy's address, and the per-address
    // sign-in lock would lock everyone at once. Express's "trust proxy" setting (a hop count,
    // "loopback", or addresses/CIDRs) makes it read the client's address from X-Forwarded-For.
    TRUST_PROXY: z.string().min(1).optional(),
    // Comment submission limits (README, "Limits"), counted in Redis so every API process shares
    // them: submissions per window per API key or session, per comment author, and per client
    // address. 0 turns one off. The window is a fixed one, started by the first submission.
    RATE_LIMIT_KEY_PER_MIN: Int(0, 10_000_000).default(6000),
    RATE_LIMIT_AUTHOR_PER_MIN: Int(0, 10_000_000).default(10),
    RATE_LIMIT_IP_PER_MIN: Int(0, 10_000_000).default(600),
    RATE_LIMIT_WINDOW_MS: Int(100, 3600 * 1000).default(60_000),
    // Per-site overrides of the three limits, as JSON: {"gazette": {"author": 5, "ip": 300}}.
    RATE_LIMITS_BY_SITE: z
      .string()
      .transform((s, ctx) => {
        try {
          return JSON.parse(s) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be JSON such as {"gazette": {"author": 5}}' });
          return z.NEVER;
        }
      })
      .pipe(z.record(z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'a site id'), z.object({ key: Int(0, 10_000_000), author: Int(0, 10_000_000), ip: Int(0, 10_000_000) }).partial().strict()))
      .optional(),
    // Largest request body accepted, in bytes (413 above it).
    BODY_LIMIT_BYTES: Int(1024, 10 * 1024 * 1024).default(64 * 1024),
    // Admission: with this many comments waiting for a verdict, new ones are refused (503)
    // until the workers catch up. 0 turns it off.
    QUEUE_MAX_WAITING: Int(0, 100_000_000).default(50_000),
    // Admission: new comments are refused (503) once more would wait longer than this for their
    // verdict at the workers' measured rate (at least 100 are always admitted). 0 turns it off.
    QUEUE_MAX_WAIT_MS: Int(0, 3_600_000).default(3000),
  })
  .refine((c) => !(c.REDIS_CLUSTER_NODES && c.REDIS_SENTINELS), {
    path: ['REDIS_CLUSTER_NODES'],
    message: 'set REDIS_CLUSTER_NODES or REDIS_SENTINELS, not both',
  })
  .transform((c) => ({
    env: c.NODE_ENV,
    port: c.PORT,
    processes: c.PROCESSES ?? availableParallelism(),
    host: c.HOST,
    redisUrl: c.REDIS_URL,
    redis: redisTarget(c),
    // In a Cluster, the Lua scripts and BullMQ touch several keys at once, which must share a
    // slot: every key gets the prefix as its hash tag.
    prefix: c.REDIS_CLUSTER_NODES && !/\{[^}]+\}/.test(c.REDIS_PREFIX) ? `{${c.REDIS_PREFIX}}` : c.REDIS_PREFIX,
    // Development gets a well-known key so the README's commands work as written; production
    // must set its own (checked below).
    adminApiKey: c.ADMIN_API_KEY ?? (c.NODE_ENV === 'production' ? null : DEV_ADMIN_KEY),
    policyFile: path.resolve(projectRoot(), c.POLICY ?? 'policies/default.json'),
    workerConcurrency: c.WORKER_CONCURRENCY,
    logLevel: c.LOG_LEVEL,
    sweepStaleMs: c.SWEEP_STALE_MS,
    sweepEveryMs: c.SWEEP_EVERY_MS,
    jobLockMs: c.JOB_LOCK_MS,
    metricsPort: c.METRICS_PORT ?? null,
    http: { headersTimeoutMs: c.HTTP_HEADERS_TIMEOUT_MS, requestTimeoutMs: Math.max(c.HTTP_REQUEST_TIMEOUT_MS, c.HTTP_HEADERS_TIMEOUT_MS) },
    webhooks: {
      allowPrivate: c.WEBHOOK_ALLOW_PRIVATE,
      timeoutMs: c.WEBHOOK_TIMEOUT_MS,
      schedule: parseSchedule(c.WEBHOOK_RETRY_SCHEDULE)!,
      disableAfterMs: parseDuration(c.WEBHOOK_DISABLE_AFTER)!,
      concurrency: c.WEBHOOK_CONCURRENCY,
    },
    coralSigningSecret: c.CORAL_SIGNING_SECRET ?? null,
    sessionTtlS: c.SESSION_TTL_S,
    passwordScryptN: c.PASSWORD_SCRYPT_N,
    login: { maxPerEmail: c.LOGIN_MAX_FAILURES, maxPerIp: c.LOGIN_MAX_FAILURES_PER_IP, windowSeconds: c.LOGIN_WINDOW_S },
    secureCookies: c.SECURE_COOKIES === undefined ? c.NODE_ENV === 'production' : c.SECURE_COOKIES === 'true',
    rateLimits: {
      windowMs: c.RATE_LIMIT_WINDOW_MS,
      key: c.RATE_LIMIT_KEY_PER_MIN,
      author: c.RATE_LIMIT_AUTHOR_PER_MIN,
      ip: c.RATE_LIMIT_IP_PER_MIN,
      bySite: c.RATE_LIMITS_BY_SITE ?? {},
    },
    bodyLimitBytes: c.BODY_LIMIT_BYTES,
    queueMaxWaiting: c.QUEUE_MAX_WAITING,
    queueMaxWaitMs: c.QUEUE_MAX_WAIT_MS,
    trustProxy: c.TRUST_PROXY === undefined ? false : /^\d+$/.test(c.TRUST_PROXY) ? Number(c.TRUST_PROXY) : c.TRUST_PROXY,
  }));

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Parses the environment; a bad value becomes one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = ConfigSchema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = issue.path.length > 0 ? `${String(issue.path[0])}: ` : '';
  throw new ConfigError(`invalid configuration: ${name}${issue.message}`);
}

export const usesDevAdminKey = (c: Config) => c.adminApiKey === DEV_ADMIN_KEY;
