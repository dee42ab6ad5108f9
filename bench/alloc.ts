/**
 * Bytes allocated per moderate() call on the bench corpus: a figure the machine's load does not
 * move. Run with a young generation big enough that no collection happens while counting:
 *   node --expose-gc --max-semi-space-size=256 dist/bench/alloc.js [size]
 * Slow on purpose: the median of five passes over the 200 comments.
 */
import path from 'node:path';
import { corpus } from './corpus';

// AB_BASE=1 measures the build in dist/base (see ab.ts) instead of this one.
const root = path.resolve(__dirname, '..', process.env.AB_BASE ? 'base/src' : 'src');
/* eslint-disable @typescript-eslint/no-require-imports */
const { moderate } = require(path.join(root, 'engine', 'moderate')) as typeof import('../src/engine/moderate');
const { loadPolicy } = require(path.join(root, 'policies')) as typeof import('../src/policies');

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
// BENCH_CLASSIFIER=off: without the policy's classifier, as in engine.ts.
const loaded = loadPolicy();
const policy = process.env.BENCH_CLASSIFIER === 'off' ? { ...loaded, classifier: null } : loaded;
const texts = corpus(Number(process.argv[2] ?? 500), 200);
for (let r = 0; r < 20; r++) for (const t of texts) moderate(t, policy); // warm: JIT and memos
const results: number[] = [];
for (let r = 0; r < 5; r++) {
  gc();
  const before = process.memoryUsage().heapUsed;
  for (const t of texts) moderate(t, policy);
  results.push((process.memoryUsage().heapUsed - before) / texts.length);
}
results.sort((a, b) => a - b);
console.log(`bytes per comment (median of 5): ${Math.round(results[2])}`);
