// Where the service's time goes under load: `node --cpu-prof` on `main.js all` while comments
// arrive at a fixed, even rate, then the CPU time of the timed part summed by area (our engine, API, store and
// workers; Express, ioredis, BullMQ; Node itself; garbage collection; idle).
//
//   npm run build && npx tsc -p tsconfig.bench.json && node dist/bench/profile-service.js [rate] [seconds]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { projectRoot } from '../src/config';
import { benchComment, corpus } from './corpus';
import { pacedLoad } from './paced-load';
import { benchServiceEnv, createCmsKey, freePort, startChild, stopChild } from './service';
import { deletePrefix } from './redis-memory';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** BENCH_PROFILE=0: only the CPU time, without the profiler's own cost. */
const PROFILE = process.env.BENCH_PROFILE !== '0';

interface Profile {
  startTime: number;
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

/** The area a function belongs to, from the file it is in. */
function area(fn: string, url: string): string {
  if (fn === '(garbage collector)') return 'garbage collection';
  if (fn === '(idle)') return 'idle';
  if (fn === '(program)' || fn === '(root)') return 'V8 and native (program)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) {
    const pkg = nm[1];
    if (['express', 'router', 'body-parser', 'raw-body', 'qs', 'finalhandler', 'send', 'serve-static', 'path-to-regexp', 'on-finished', 'type-is', 'content-type', 'accepts', 'negotiator', 'mime-types', 'statuses', 'http-errors', 'iconv-lite', 'safer-buffer', 'depd', 'debug', 'ms'].includes(pkg)) return 'Express and its parts';
    if (pkg === 'ioredis' || pkg.startsWith('@ioredis') || pkg === 'redis-parser' || pkg === 'denque' || pkg === 'cluster-key-slot' || pkg === 'standard-as-callback') return 'ioredis';
    if (pkg === 'bullmq' || pkg === 'msgpackr' || pkg === 'cron-parser' || pkg === 'uuid' || pkg === 'semver' || pkg === 'tslib') return 'BullMQ';
    if (pkg === 'zod') return 'zod';
    if (pkg === 'pino' || pkg.startsWith('pino') || pkg === 'sonic-boom' || pkg === 'thread-stream' || pkg === 'fast-redact' || pkg === 'quick-format-unescaped' || pkg === 'atomic-sleep' || pkg === 'on-exit-leak-free' || pkg === 'safe-stable-stringify') return 'pino';
    if (pkg === 'prom-client' || pkg === 'tdigest' || pkg === 'bintrees') return 'prom-client';
    return `other packages (${pkg})`;
  }
  const src = /dist\/(src|workers)\/([^/]+)/.exec(url);
  if (src) return src[1] === 'workers' ? 'our workers/' : `our src/${src[2].replace(/\.js$/, '')}`;
  if (url.startsWith('node:') || url === '') return 'Node.js (http, net, streams, timers)';
  return 'other';
}

async function main(): Promise<void> {
  const rate = Number(process.argv[2] ?? 1000);
  const seconds = Number(process.argv[3] ?? 15);
  const root = projectRoot();
  const profDir = mkdtempSync(path.join(tmpdir(), 'decorum-prof-'));
  const prefix = `bp-${randomBytes(2).toString('hex')}`;
  const port = await freePort();
  const spawnedAt = performance.now();
  const child = await startChild([...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), path.join(root, 'dist', 'src', 'main.js'), 'all'], benchServiceEnv(port, REDIS_URL, prefix), /api listening/);
  const texts = corpus(300, 500);
  // As a CMS submits: with a scoped key, as the pipeline bench does.
  const cmsKey = await createCmsKey(`http://127.0.0.1:${port}`);
  let i = 0;
  const load = (r: number, s: number) =>
    pacedLoad({ url: `http://127.0.0.1:${port}`, path: '/v1/comments', headers: { 'content-type': 'application/json', authorization: `Bearer ${cmsKey}` }, body: () => JSON.stringify(benchComment(texts, i++)), rate: r, seconds: s });
  await load(200, 3); // warm-up
  const from = (performance.now() - spawnedAt) * 1000;
  const cpu0 = cpuSeconds(child.pid!);
  const r = await load(rate, seconds);
  const cpu1 = cpuSeconds(child.pid!);
  const to = (performance.now() - spawnedAt) * 1000;
  await new Promise((res) => setTimeout(res, 1000));
  await stopChild(child);
  const redis = new Redis(REDIS_URL);
  await deletePrefix(redis, prefix);
  redis.disconnect();

  console.log(`# ${rate}/s for ${seconds} s: ${r.ok} accepted, ${r.errors} errors; the service used ${(cpu1 - cpu0).toFixed(1)} s of CPU (user + system, all its threads), ${(((cpu1 - cpu0) * 1e6) / r.ok).toFixed(0)} µs per comment`);
  if (!PROFILE) return;
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'))!;
  const profile = JSON.parse(readFileSync(path.join(profDir, file), 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const byArea = new Map<string, number>();
  let total = 0;
  // Only the samples taken while the timed load ran (profile time counts from about the spawn):
  // start-up, policy compilation and the warm-up stay out.
  let at = 0;
  profile.samples.forEach((id, k) => {
    const dt = profile.timeDeltas[k] ?? 0;
    at += dt;
    if (at < from || at > to) return;
    const { functionName, url } = byId.get(id)!.callFrame;
    const a = area(functionName, url);
    byArea.set(a, (byArea.get(a) ?? 0) + dt);
    total += dt;
  });
  const busy = total - (byArea.get('idle') ?? 0);
  const comments = r.ok;
  console.log(`# profile ${(total / 1e6).toFixed(1)} s, busy ${(busy / 1e6).toFixed(1)} s (${((100 * busy) / total).toFixed(0)}%); ${file}\n`);
  console.log('| area | share of busy time | µs per comment |\n|---|---:|---:|');
  for (const [a, t] of [...byArea].filter(([a]) => a !== 'idle').sort((x, y) => y[1] - x[1])) {
    console.log(`| ${a} | ${((100 * t) / busy).toFixed(1)}% | ${(t / comments).toFixed(0)} |`);
  }
  console.log(`\n(profile kept in ${profDir})`);
}

void main();
