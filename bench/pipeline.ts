// The pipeline under load (issue 8): the bare stack's ceiling and Decorum, measured in one run on
// this machine, so the ratios hold however busy it is. See docs/BENCHMARKS.md.
//
//   npm run bench:pipeline          (BENCH_SECONDS per load step, default 10; REDIS_URL)
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { projectRoot } from '../src/config';
import { coralSignature } from '../src/integrations/coral';
import { benchComment, corpus } from './corpus';
import { pacedLoad } from './paced-load';
import { benchServiceEnv, createCmsKey, freePort, startChild, stopChild } from './service';
import { deletePrefix, type RedisMemory, redisMemory, scanKeys } from './redis-memory';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const SPLIT = process.env.BENCH_SPLIT === '1';
const CORAL_SECRET = 'empsec_bench_0123456789abcdef0123456789abcdef';
const ROOT = projectRoot();
const DIST = path.join(ROOT, 'dist');

const texts = corpus(300, 500);
let seq = 0;
const body = () => JSON.stringify(benchComment(texts, seq++));

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

interface Load {
  rps: number;
  ok: number;
  errors: number;
  p50: number;
  p99: number;
  startedAt: number;
  endedAt: number;
}

/**
 * Flat out (no rate): autocannon's closed loop, 64 connections each sending as soon as answered.
 * At a fixed rate: an open loop that sends one request every 1/rate s (paced-load.ts).
 */
async function load(url: string, bearer: string | null, rate?: number): Promise<Load> {
  const headers = { 'content-type': 'application/json', ...(bearer !== null && { authorization: `Bearer ${bearer}` }) };
  if (rate) {
    const r = await pacedLoad({ url, path: '/v1/comments', headers, body, rate, seconds: SECONDS, connections: CONNECTIONS });
    return { rps: r.rps, ok: r.ok, errors: r.errors, p50: percentile(r.latencies, 50), p99: percentile(r.latencies, 99), startedAt: r.startedAt, endedAt: r.endedAt };
  }
  const startedAt = Date.now();
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [{ method: 'POST', path: '/v1/comments', headers, setupRequest: (req) => ({ ...req, body: body() }) }],
  });
  return {
    rps: r.requests.average,
    ok: r['2xx'],
    errors: r.non2xx + r.errors + r.timeouts,
    p50: r.latency.p50,
    p99: r.latency.p99,
    startedAt,
    endedAt: Date.now(),
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Waits until nothing is left to do: `pending()` reaches 0, or 60 s pass. Returns seconds waited. */
async function drain(pending: () => Promise<number>): Promise<number> {
  const t0 = Date.now();
  while ((await pending()) > 0 && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 100));
  return (Date.now() - t0) / 1000;
}

/** Submit-to-done times (ms) of the records written in [from, to], from their stored timestamps. */
async function latencies(redis: Redis, keys: string[], from: number, to: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < keys.length; i += 500) {
    const pipe = redis.pipeline();
    for (const k of keys.slice(i, i + 500)) pipe.hmget(k, 'submittedAt', 'decidedAt');
    for (const [, v] of (await pipe.exec()) ?? []) {
      const [s, d] = (v as [string | null, string | null]).map(Number);
      if (s >= from && s <= to && d > 0) out.push(d - s);
    }
  }
  return out.sort((a, b) => a - b);
}

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');

async function bare(redis: Redis): Promise<{ ceiling: Load; at1000: Load; bull1000: number[]; rss: number }> {
  const prefix = `bench-bare-${randomBytes(3).toString('hex')}`;
  const port = await freePort();
  const child = await startChild([path.join(DIST, 'bench', 'bare-stack.js')], { PORT: String(port), PREFIX: prefix, REDIS_URL }, /ready/);
  const url = `http://127.0.0.1:${port}`;
  try {
    await load(url, null, 200); // warm-up
    const waiting = () => redis.llen(`${prefix}:bull:bare:wait`);
    await drain(waiting);
    const ceiling = await load(url, null);
    const rss = rssMb(child.pid!);
    await drain(waiting);
    const at1000 = await load(url, null, 1000);
    await drain(waiting);
    const bull1000 = await latencies(redis, await scanKeys(redis, `${prefix}:job:*`), at1000.startedAt, at1000.endedAt);
    return { ceiling, at1000, bull1000, rss };
  } finally {
    await stopChild(child);
    await deletePrefix(redis, prefix);
  }
}

interface DecorumRun {
  max: Load;
  verdictsPerSecond: number;
  backlogAfterMax: number;
  rates: { rate: number; load: Load; verdict: number[]; backlog: number }[];
  /** MB, after the full-load step: the API process (or the one process), and the worker process when split. */
  rss: { api: number; worker?: number };
  /** Coral's external moderation phase, one request at a time (Coral gives up after 200 ms). */
  coral: number[];
  memory: RedisMemory;
}

/**
 * A rate is sustained when the pipeline took it all (achieved within 5%, no errors) and the
 * workers kept up: at the end, less than a quarter second's worth of comments still waits.
 */
function holds(r: DecorumRun['rates'][number]): boolean {
  return r.load.rps >= 0.95 * r.rate && r.load.errors === 0 && r.backlog <= Math.max(50, r.rate / 4);
}

/**
 * Decorum as `npm start` runs it (API and worker in one process), or with BENCH_SPLIT=1 as the
 * docker-compose file does (an API process and a worker process).
 */
async function decorum(redis: Redis, rates: number[]): Promise<DecorumRun> {
  // As long as the default prefix ("decorum"): key names are part of what a comment costs.
  const prefix = `bd-${randomBytes(2).toString('hex')}`;
  const port = await freePort();
  const env = { ...benchServiceEnv(port, REDIS_URL, prefix), CORAL_SIGNING_SECRET: CORAL_SECRET };
  const child = await startChild([path.join(DIST, 'src', 'main.js'), SPLIT ? 'api' : 'all'], env, /api listening/);
  const worker = SPLIT ? await startChild([path.join(DIST, 'src', 'main.js'), 'worker'], env, /moderation worker started/) : null;
  const url = `http://127.0.0.1:${port}`;
  const queued = () => redis.zcard(`${prefix}:idx:status:queued`);
  const commentKeys = () => scanKeys(redis, `${prefix}:comment:*`);
  const stored = async () => (await commentKeys()).length;
  try {
    // Submitted as a CMS does: with a scoped key (looked up in Redis on every request), not the admin key.
    const cmsKey = await createCmsKey(url);
    await load(url, cmsKey, 200); // warm-up: JIT, connections
    await drain(queued);
    const before = await stored();
    const max = await load(url, cmsKey);
    const backlogAfterMax = await queued();
    const accepted = (await stored()) - before;
    const verdictsPerSecond = (accepted - backlogAfterMax) / ((max.endedAt - max.startedAt) / 1000);
    const rss = { api: rssMb(child.pid!), ...(worker && { worker: rssMb(worker.pid!) }) };
    await drain(queued);
    const out: DecorumRun['rates'] = [];
    // Rising fixed rates, stopping at the first the pipeline can't hold once 1,000/s was tried.
    for (const rate of rates) {
      const l = await load(url, cmsKey, rate);
      const backlog = await queued();
      await drain(queued);
      const run = { rate, load: l, verdict: await latencies(redis, await commentKeys(), l.startedAt, l.endedAt), backlog };
      out.push(run);
      if (!holds(run) && rate >= 1000) break;
    }
    const coral: number[] = [];
    for (let i = 0; i < 300; i++) {
      const payload = JSON.stringify({ action: 'NEW', comment: { body: `<p>${texts[i % texts.length]}</p>` }, author: { id: 'a' }, story: { id: 's' }, site: { id: 's' }, tenantID: 't', tenantDomain: 'd' }, null, 2);
      const t0 = performance.now();
      const res = await fetch(`${url}/v1/integrations/coral`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-coral-signature': coralSignature([CORAL_SECRET], payload) }, body: payload });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`coral answered ${res.status}`);
      if (i >= 50) coral.push(performance.now() - t0); // after warm-up
    }
    coral.sort((a, b) => a - b);
    const memory = await redisMemory(redis, prefix);
    return {
      max,
      verdictsPerSecond,
      backlogAfterMax,
      rates: out,
      rss,
      coral,
      memory,
    };
  } finally {
    await stopChild(child);
    if (worker) await stopChild(worker);
    await deletePrefix(redis, prefix);
  }
}

async function main(): Promise<void> {
  const redis = new Redis(REDIS_URL);
  console.log(`# pipeline bench: ${SECONDS} s per step, ${CONNECTIONS} connections at full load, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(2)}, node ${process.version}`);
  const b = await bare(redis);
  const d = await decorum(redis, [500, 750, 1000, 1250, 1500, 2000, 2500]);
  const sustained = Math.max(0, ...d.rates.filter(holds).map((r) => r.rate));
  console.log('\n## Throughput at full load\n');
  console.log('| stack | HTTP req/s | verdicts (or jobs) done/s | HTTP p50 ms | HTTP p99 ms | non-2xx/errors | RSS MB |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  console.log(`| bare stack (Express + zod + queue.add; worker writes a hash) | ${f0(b.ceiling.rps)} | | ${f1(b.ceiling.p50)} | ${f1(b.ceiling.p99)} | ${b.ceiling.errors} | ${f0(b.rss)} |`);
  console.log(`| Decorum (${SPLIT ? 'an API process and a worker process' : 'API and worker in one process'}) | ${f0(d.max.rps)} | ${f0(d.verdictsPerSecond)} | ${f1(d.max.p50)} | ${f1(d.max.p99)} | ${d.max.errors} | ${d.rss.worker === undefined ? f0(d.rss.api) : `API ${f0(d.rss.api)}, worker ${f0(d.rss.worker)}`} |`);
  console.log(
    `\nDecorum sustains ${f0(sustained)} comments/s (the highest fixed rate below that it took in full with the workers keeping up) = ` +
      `**${((100 * sustained) / b.ceiling.rps).toFixed(0)}%** of the bare stack's ceiling (target ≥ 85%). At full load the API accepted ${f0(d.max.rps)}/s while the workers, ` +
      `${SPLIT ? 'in their own process' : 'sharing the process'}, decided ${f0(d.verdictsPerSecond)}/s, leaving ${d.backlogAfterMax} queued.`,
  );
  console.log(`BullMQ alone, add to done at 1,000 jobs/s: p50 ${f1(percentile(b.bull1000, 50))} ms, p99 ${f1(percentile(b.bull1000, 99))} ms (${b.bull1000.length} jobs).`);
  console.log('\n## Decorum at fixed rates\n');
  console.log('| rate/s | achieved req/s | HTTP p50 ms | HTTP p99 ms | submit→verdict p50 ms | submit→verdict p99 ms | verdicts | backlog at end | errors | sustained |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of d.rates) {
    console.log(
      `| ${r.rate} | ${f0(r.load.rps)} | ${f1(r.load.p50)} | ${f1(r.load.p99)} | ${f1(percentile(r.verdict, 50))} | ${f1(percentile(r.verdict, 99))} | ${r.verdict.length} | ${r.backlog} | ${r.load.errors} | ${holds(r) ? 'yes' : 'no'} |`,
    );
  }
  console.log(`\nCoral external moderation phase, one request at a time (250 after 50 of warm-up): p50 ${f1(percentile(d.coral, 50))} ms, p99 ${f1(percentile(d.coral, 99))} ms, max ${f1(d.coral[d.coral.length - 1])} ms (Coral's timeout: 200 ms).`);
  console.log('\n## Redis memory\n');
  console.log(
    `${d.memory.comments} decided comments: **${f0(d.memory.perCommentBytes)} bytes per comment** excluding the text (target ≤ 1,024; mean text ${f0(d.memory.textBytes)} bytes), ` +
      `summed MEMORY USAGE of every key under the prefix (comment hashes with their verdicts, indexes, events stream). BullMQ keys left: ${d.memory.bullKeys} (${f0(d.memory.bullBytes / 1024)} KB).`,
  );
  console.log('\n| keys | bytes per comment |\n|---|---:|');
  for (const [k, v] of Object.entries(d.memory.byKind).sort((a, b) => b[1] - a[1])) {
    console.log(`| ${k} | ${f0(v / d.memory.comments)} |`);
  }
  await redis.quit();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
