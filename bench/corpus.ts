// What the benchmarks share: the comments they time, and how they time them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../src/config';

/** Deterministic comments of about `size` characters, stitched from the labelled suite. */
export function corpus(size: number, count: number): string[] {
  const texts = readFileSync(path.join(projectRoot(), 'tests', 'fixtures', 'suite.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { text: string }).text);
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let s = '';
    while (s.length < size) s += (s ? ' ' : '') + texts[Math.floor(next() * texts.length)];
    // Through JSON, as the service gets a comment: a flat string. A slice of a longer one is a
    // view into it, which every engine reads a little more slowly, one character at a time.
    out.push(JSON.parse(JSON.stringify(s.slice(0, size))) as string);
  }
  return out;
}

/**
 * The pipeline benches' comment number `i`: 5 articles, 200 authors, 300-character texts from the
 * labelled suite (most of them flagged in some category).
 */
export function benchComment(texts: string[], i: number): { articleId: string; author: { id: string }; text: string } {
  return { articleId: `a-${i % 5}`, author: { id: `u-${i % 200}` }, text: texts[(i + 1) % texts.length] };
}

/**
 * Mean µs per call over at least `minMs`, after warming up for a third of that (so the JIT has
 * optimised the code being timed, as it will have in a running service).
 */
export function measure(texts: string[], fn: (t: string) => unknown, minMs: number): number {
  const run = (ms: number) => {
    let calls = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    while (elapsed < ms) {
      for (const t of texts) fn(t);
      calls += texts.length;
      elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    }
    return (elapsed * 1000) / calls;
  };
  run(minMs / 3);
  return run(minMs);
}

/**
 * Mean CPU µs per call (user + system) over at least `ms` of CPU time: when other work takes the
 * cores, waiting to be scheduled is not counted, though the caches it shares still are.
 */
export function cpuMeasure(texts: string[], fn: (t: string) => unknown, ms: number): number {
  const start = process.cpuUsage();
  let calls = 0;
  let used = 0;
  while (used < ms * 1000) {
    for (const t of texts) fn(t);
    calls += texts.length;
    const d = process.cpuUsage(start);
    used = d.user + d.system;
  }
  return used / calls;
}

/**
 * Times several functions on the same texts in alternating rounds and returns each one's median:
 * load on this VM moves a single run by ±30%, and rounds side by side see the same load.
 */
export function interleaved(texts: string[], fns: ((t: string) => unknown)[], rounds: number, roundMs: number): number[] {
  for (const fn of fns) cpuMeasure(texts, fn, roundMs); // warm-up: let the JIT optimise
  const times = fns.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) fns.forEach((fn, i) => times[i].push(cpuMeasure(texts, fn, roundMs)));
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]);
}
