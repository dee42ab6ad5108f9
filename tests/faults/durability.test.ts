/**
 * The fault test: no accepted comment is lost or decided twice, whatever crashes.
 *
 * It runs its own redis-server (AOF on, fsync every second) and the service as separate
 * processes (one API, two workers), sends comments steadily to 127.0.0.1, and meanwhile:
 * SIGKILLs a worker four times (restarting it each time), restarts the API once (SIGTERM, which
 * must drain in-flight requests and exit 0), and restarts Redis once.
 *
 * Redis is restarted with SIGTERM: Redis then writes and fsyncs its AOF before exiting, so what
 * it acknowledged survives, and "lost must be 0" is a claim the test can make every time. A
 * SIGKILL of the Redis process would in practice lose nothing either (the AOF is written before
 * replies go out; only the fsync is once a second), but a machine crash can lose up to about a
 * second of acknowledged writes with `appendfsync everysec`: that window is the documented
 * trade-off (docs/DURABILITY.md), not something a test on one machine can show.
 *
 * At the end, for every comment it sent: accepted (2xx) ones must have exactly one verdict and
 * one event; refused ones (503, connection error) must be absent or complete and decided, since a
 * client that got no answer can't know. Tunable: FAULT_COMMENTS (600), FAULT_SEND_MS (40000).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Comment } from '../../src/domain/comment';
import { CommentStore } from '../../src/store/comments';
import { keys } from '../../src/store/keys';
import { alive, freePort, RedisServer, ServiceProcess, until } from './harness';

const COMMENTS = Number(process.env.FAULT_COMMENTS ?? 600);
/** Sent at once just before each worker kill, so the worker dies with jobs in hand. */
const BURST = 24;
/** How long Redis hangs once: longer than the API's 2 s command timeout. */
const PAUSE_MS = 2500;
const SEND_MS = Number(process.env.FAULT_SEND_MS ?? 40_000);
/** A request that takes longer than this counts as hung (the service must answer, even if 503). */
const REQUEST_TIMEOUT_MS = 10_000;
/** After the last comment is sent, how long everything stored may take to be decided. */
const DRAIN_MS = 30_000;
const ADMIN_KEY = 'fault-admin-key-0123456789';
const PREFIX = 'decorum-fault';

const TEXTS = [
  'I disagree with the minister, but the article is fair.',
  'You are an idiot and a liar.',
  'WHAT A DISGRACE THIS SUMMIT WAS',
  'Great reporting, thank you.',
  'hang every one of them',
  'What a moron.',
];

type Outcome = { kind: 'accepted'; status: number } | { kind: 'unavailable'; retryAfter: boolean } | { kind: 'connection'; error: string } | { kind: 'hung' } | { kind: 'other'; status: number; body: string };

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('durability under faults', () => {
  it('decides every accepted comment exactly once through worker kills, an API restart and a Redis restart', async () => {
    const started = Date.now();
    const redis = await RedisServer.start(['--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction']);
    const port = await freePort();
    const env = {
      REDIS_URL: redis.url,
      REDIS_PREFIX: PREFIX,
      PORT: String(port),
      HOST: '127.0.0.1',
      ADMIN_API_KEY: ADMIN_KEY,
      LOG_LEVEL: 'info',
      WORKER_CONCURRENCY: '8',
      // Short, so the test sees recovery within its time: the same settings an operator has.
      SWEEP_STALE_MS: '3000',
      SWEEP_EVERY_MS: '1000',
      JOB_LOCK_MS: '2000',
    };
    const processes: ServiceProcess[] = [];
    const spawnRole = async (role: 'api' | 'worker') => {
      const p = new ServiceProcess(role, env);
      processes.push(p);
      await p.waitForLog(role === 'api' ? 'api listening' : 'moderation worker started');
      return p;
    };
    let check: Redis | undefined;
    let follower: Redis | undefined;
    let following: Promise<void> | undefined;
    let stopFollowing = false;
    let rescued = 0;
    let followedTo = '0-0';
    try {
      let api = await spawnRole('api');
      const workers = await Promise.all([spawnRole('worker'), spawnRole('worker')]);
      const base = `http://127.0.0.1:${port}`;

      const run = randomBytes(4).toString('hex');
      const t0 = Date.now();
      const ids: string[] = [];
      const text = (i: number) => `${TEXTS[i % TEXTS.length]} (#${i})`;
      const outcomes = new Map<string, Outcome>();
      /** Second of the run -> how many requests sent then were refused, for the printed summary. */
      const refusedAt = new Map<number, number>();

      async function send(): Promise<void> {
        const i = ids.length;
        const id = `f-${run}-${i}`;
        ids.push(id);
        const second = Math.floor((Date.now() - t0) / 1000);
        try {
          const res = await fetch(`${base}/v1/comments`, {
            method: 'POST',
            headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
            body: JSON.stringify({ id, articleId: `article-${i % 7}`, author: { id: `reader-${i % 31}` }, text: text(i) }),
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          });
          const body = await res.text();
          if (res.status === 200 || res.status === 202) outcomes.set(id, { kind: 'accepted', status: res.status });
          else if (res.status === 503) outcomes.set(id, { kind: 'unavailable', retryAfter: Number(res.headers.get('retry-after')) > 0 });
          else outcomes.set(id, { kind: 'other', status: res.status, body: body.slice(0, 300) });
        } catch (err) {
          const e = err as Error & { cause?: { code?: string; message?: string } };
          if (e.name === 'TimeoutError' || e.name === 'AbortError') outcomes.set(id, { kind: 'hung' });
          else outcomes.set(id, { kind: 'connection', error: e.cause?.code ?? e.cause?.message ?? e.message });
        }
        if (outcomes.get(id)?.kind !== 'accepted') refusedAt.set(second, (refusedAt.get(second) ?? 0) + 1);
      }

      // The faults, at fixed points of the sending window, one after another (each restart is
      // complete before the next fault).
      const timeline: string[] = [];
      const stamp = (what: string) => timeline.push(`${((Date.now() - t0) / 1000).toFixed(1)}s ${what}`);
      let apiExit: { code: number | null; signal: NodeJS.Signals | null; ms: number } | undefined;
      const active = `${PREFIX}:bull:moderation:active`;
      /** Whether the worker with this BullMQ id holds the lock of a job in progress. */
      const busy = async (workerId: string) => {
        for (const jobId of await check!.lrange(active, 0, -1)) {
          if ((await check!.get(`${PREFIX}:bull:moderation:${jobId}:lock`))?.startsWith(`${workerId}:`)) return true;
        }
        return undefined;
      };
      let killedMidJob = 0;
      const killWorker = async (n: number) => {
        const victim = workers[n].servicePid!;
        const workerId = String(workers[n].lines.find((l) => l.msg === 'moderation worker started')?.workerId);
        const burst = Array.from({ length: BURST }, () => send());
        // Jobs finish in milliseconds: a kill at a random moment would rarely catch one.
        const caught = await until(`worker ${n} busy`, () => busy(workerId), 3000).catch(() => false);
        if (caught) killedMidJob++;
        stamp(`SIGKILL worker ${n} (pid ${victim})${caught ? ' holding jobs' : ' (idle)'}`);
        await workers[n].stop('SIGKILL');
        // The service process itself must be gone, not just tsx in front of it.
        await until(`worker pid ${victim} gone`, () => (alive(victim) ? undefined : true), 5000);
        workers[n] = await spawnRole('worker');
        stamp(`worker ${n} back (pid ${workers[n].servicePid})`);
        await Promise.all(burst);
      };
      const faults: [number, () => Promise<void>][] = [
        [0.1, () => killWorker(0)],
        [
          0.2,
          async () => {
            stamp(`SIGTERM api (pid ${api.servicePid})`);
            const t = Date.now();
            const exit = await api.stop('SIGTERM');
            apiExit = { ...exit, ms: Date.now() - t };
            api = await spawnRole('api');
            stamp(`api back (pid ${api.servicePid}) after a graceful exit with code ${exit.code} in ${apiExit.ms} ms`);
          },
        ],
        [0.325, () => killWorker(1)],
        [
          0.45,
          async () => {
            stamp(`SIGTERM redis (pid ${redis.pid})`);
            await redis.stop('SIGTERM');
            await redis.start();
            stamp(`redis back (pid ${redis.pid}), AOF reloaded`);
          },
        ],
        [
          0.575,
          async () => {
            // Connections stay open but nothing answers: requests time out into 503s, and the
            // writes they sent are applied when Redis resumes. Those are the comments a client
            // was refused but that are stored after all: the sweeper must see them decided.
            stamp(`SIGSTOP redis for ${PAUSE_MS} ms`);
            redis.pause();
            await pause(PAUSE_MS);
            redis.resume();
            stamp('SIGCONT redis');
          },
        ],
        [0.7, () => killWorker(0)],
        [0.825, () => killWorker(1)],
      ];
      check = new Redis(redis.url, { maxRetriesPerRequest: null });
      check.on('error', () => {}); // it reconnects by itself after the Redis restart
      const checkStore = new CommentStore(check, keys(PREFIX));
      // A consumer group that never reads: the dispatchers trim only what every group has read,
      // so the whole events stream stays for the count at the end.
      await check.xgroup('CREATE', `${PREFIX}:events`, 'durability-check', '0', 'MKSTREAM');
      // BullMQ's own event log is capped (500 entries): follow it as it grows, counting 'stalled'
      // (a job taken from a dead worker to run again) before the cap drops them.
      follower = new Redis(redis.url, { maxRetriesPerRequest: null });
      follower.on('error', () => {});
      const followed = follower;
      following = (async () => {
        while (!stopFollowing) {
          try {
            const res = (await followed.xread('BLOCK', 500, 'STREAMS', `${PREFIX}:bull:moderation:events`, followedTo)) as [string, [string, string[]][]][] | null;
            for (const [, entries] of res ?? []) {
              for (const [id, f] of entries) {
                followedTo = id;
                if (f[f.indexOf('event') + 1] === 'stalled') rescued++;
              }
            }
          } catch {
            await pause(200); // Redis restarting
          }
        }
      })();
      const chaos = (async () => {
        for (const [at, fault] of faults) {
          const wait = t0 + at * SEND_MS - Date.now();
          if (wait > 0) await pause(wait); // a point in the schedule, not a wait for a condition
          await fault();
        }
      })();

      // Steady sending: comment i leaves at t0 + i * SEND_MS / COMMENTS, whatever the others do.
      const inflight = new Set<Promise<void>>();
      for (let i = 0; i < COMMENTS; i++) {
        const wait = t0 + (i * SEND_MS) / COMMENTS - Date.now();
        if (wait > 0) await pause(wait);
        const p: Promise<void> = send().finally(() => inflight.delete(p));
        inflight.add(p);
      }
      await Promise.all(inflight);
      await chaos;
      stamp('all comments sent and answered');

      // Everything stored, accepted or not, must reach a verdict: poll until it has (or the
      // deadline passes, and the counts below say what is missing).
      const comment = (id: string) => `${PREFIX}:comment:${id}`;
      const drainDeadline = Date.now() + DRAIN_MS;
      for (;;) {
        const queued = await check.zcard(`${PREFIX}:idx:status:queued`);
        const statuses = await Promise.all(ids.filter((id) => outcomes.get(id)?.kind === 'accepted').map((id) => check!.hget(comment(id), 'status')));
        if (queued === 0 && statuses.every((s) => s !== null && s !== 'queued')) break;
        if (Date.now() > drainDeadline) break;
        await pause(100);
      }
      stamp('drained');

      // The verdicts, the indexes and the events stream, as they are now.
      const events = new Map<string, number>();
      for (const [, fields] of await check.xrange(`${PREFIX}:events`, '-', '+')) {
        const id = fields[fields.indexOf('commentId') + 1];
        events.set(id, (events.get(id) ?? 0) + 1);
      }
      const counts = { sent: ids.length, accepted: 0, refused: 0, decided: 0, lost: 0, duplicated: 0 };
      const detail = { unavailable: 0, unavailableWithoutRetryAfter: 0, connectionErrors: 0, hung: 0, other: 0, refusedButStored: 0, refusedAndDecided: 0, halfStored: 0, decidedWithoutEvent: 0, badIndexes: 0 };
      const problems: string[] = [];
      for (const [i, id] of ids.entries()) {
        const outcome = outcomes.get(id);
        // The comment's hash as stored, and the comment (body, verdict) as the store reads it back.
        const h = await check.hgetall(comment(id));
        let c: Comment | null = null;
        try {
          c = await checkStore.get(id);
        } catch {
          c = null;
        }
        const stored = h.status !== undefined;
        const complete =
          stored && c !== null && c.text === text(i) && h.articleId === `article-${i % 7}` && h.authorId === `reader-${i % 31}` && !!h.fingerprint && !!h.submittedAt;
        const decided = complete && h.status !== 'queued' && !!h.decidedAt && c?.verdict?.decision === h.status && c.verdict.decidedBy === 'auto';
        if (stored) {
          const [inOwn, inQueued] = await Promise.all([check.zscore(`${PREFIX}:idx:status:${h.status}`, id), check.zscore(`${PREFIX}:idx:status:queued`, id)]);
          if (inOwn === null || (h.status !== 'queued' && inQueued !== null)) {
            detail.badIndexes++;
            problems.push(`${id}: indexes disagree with status ${h.status}`);
          }
        }
        const n = events.get(id) ?? 0;
        if (n > 1) {
          counts.duplicated++;
          problems.push(`${id}: ${n} events`);
        }
        if (decided && n === 0) {
          detail.decidedWithoutEvent++;
          problems.push(`${id}: decided without an event`);
        }
        if (!stored && n > 0) problems.push(`${id}: events for a comment that is not stored`);

        if (outcome?.kind === 'accepted') {
          counts.accepted++;
          if (decided) counts.decided++;
          else {
            counts.lost++;
            problems.push(`${id}: accepted (${outcome.status}) but ${stored ? `status ${h.status}, complete: ${complete}` : 'not stored'}`);
          }
          continue;
        }
        counts.refused++;
        if (outcome?.kind === 'unavailable') {
          detail.unavailable++;
          if (!outcome.retryAfter) detail.unavailableWithoutRetryAfter++;
        } else if (outcome?.kind === 'connection') detail.connectionErrors++;
        else if (outcome?.kind === 'hung') {
          detail.hung++;
          problems.push(`${id}: no answer within ${REQUEST_TIMEOUT_MS} ms`);
        } else {
          detail.other++;
          problems.push(`${id}: answered ${outcome?.kind === 'other' ? `${outcome.status} ${outcome.body}` : 'nothing'}`);
        }
        if (stored) {
          detail.refusedButStored++;
          if (decided) detail.refusedAndDecided++;
          else {
            detail.halfStored++;
            problems.push(`${id}: refused, stored, but ${complete ? `status ${h.status}` : 'incomplete'}`);
          }
        }
      }
      const strayEvents = [...events.keys()].filter((id) => !ids.includes(id));
      const failedJobs = await check.zcard(`${PREFIX}:bull:moderation:failed`);
      // The follower has read BullMQ's log up to its newest entry.
      const [[newest]] = (await check.xrevrange(`${PREFIX}:bull:moderation:events`, '+', '-', 'COUNT', 1)) as [string, string[]][];
      await until('the follower reads the newest BullMQ event', () => (followedTo === newest ? true : undefined), 5000);
      stopFollowing = true;
      await following;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);

      console.log(
        [
          `fault test: sent ${counts.sent}, accepted ${counts.accepted}, refused ${counts.refused}, decided ${counts.decided}, lost ${counts.lost}, duplicated ${counts.duplicated} (${seconds} s)`,
          `refused: ${detail.unavailable} × 503 (${detail.unavailableWithoutRetryAfter} without Retry-After), ${detail.connectionErrors} connection errors, ${detail.hung} hung, ${detail.other} other; ` +
            `${detail.refusedButStored} of them stored anyway, ${detail.refusedAndDecided} decided, ${detail.halfStored} half-stored`,
          `worker kills that caught jobs in progress: ${killedMidJob} of 4; jobs re-run after their worker died: ${rescued}`,
          `failed jobs: ${failedJobs}; decided without event: ${detail.decidedWithoutEvent}; index mismatches: ${detail.badIndexes}; stray events: ${strayEvents.length}`,
          `refused by second sent: ${[...refusedAt].map(([sec, n]) => `${sec}s:${n}`).join(' ')}`,
          ...timeline,
          ...problems.slice(0, 20),
        ].join('\n'),
      );

      expect(apiExit).toMatchObject({ code: 0 });
      expect(apiExit!.ms).toBeLessThan(15_000);
      expect(problems).toEqual([]);
      expect(counts.lost).toBe(0);
      expect(counts.duplicated).toBe(0);
      expect(counts.decided).toBe(counts.accepted);
      expect(counts.accepted + counts.refused).toBe(counts.sent);
      expect(detail.halfStored).toBe(0);
      expect(detail.hung).toBe(0);
      expect(detail.other).toBe(0);
      expect(detail.unavailableWithoutRetryAfter).toBe(0);
      expect(strayEvents).toEqual([]);
      // The service did work through all this; a test that accepted nothing would prove nothing.
      expect(counts.accepted).toBeGreaterThan(counts.sent * 0.7);
      expect(rescued).toBeGreaterThan(0);
      expect(detail.refusedButStored).toBeGreaterThan(0);
    } finally {
      stopFollowing = true;
      await following;
      follower?.disconnect();
      check?.disconnect();
      await Promise.all(
        processes.map(async (p) => {
          if (!p.running) return;
          let timer: NodeJS.Timeout | undefined;
          const stopped = await Promise.race([p.stop('SIGTERM'), new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), 10_000)))]);
          clearTimeout(timer);
          if (!stopped) await p.stop('SIGKILL');
        }),
      );
      await redis.cleanup();
    }
  }, 180_000);
});
