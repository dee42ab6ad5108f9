/**
 * A/B timing of two builds of the engine in one process, alternating, so that a busy machine
 * slows both alike (load on this VM moves single runs by ±30%). Before a change:
 *   npx tsc -p tsconfig.bench.json && rm -rf dist/base && mkdir dist/base && cp -r dist/src dist/base/
 * then after it: npx tsc -p tsconfig.bench.json && node dist/bench/ab.js [size] [rounds]
 * Prints per round the µs per comment of each and their ratio, then the median ratio. Times
 * are the process's CPU time (user + system), not the wall clock: when other work takes the
 * cores, waiting to be scheduled is not counted, though the caches it shares still are.
 */
import path from 'node:path';
import { corpus, cpuMeasure } from './corpus';

type Engine = { moderate: (t: string, p: unknown) => unknown; loadPolicy: () => unknown };

function load(root: string): Engine {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { moderate } = require(path.join(root, 'engine', 'moderate')) as Engine;
  const { loadPolicy } = require(path.join(root, 'policies')) as Engine;
  return { moderate, loadPolicy };
}

const size = Number(process.argv[2] ?? 500);
const rounds = Number(process.argv[3] ?? 15);
const base = load(path.resolve(__dirname, '..', 'base', 'src'));
const head = load(path.resolve(__dirname, '..', 'src'));
const basePolicy = base.loadPolicy();
const headPolicy = head.loadPolicy();
const texts = corpus(size, 200);
const ratios: number[] = [];
const bases: number[] = [];
const heads: number[] = [];
cpuMeasure(texts, (t) => base.moderate(t, basePolicy), 1000);
cpuMeasure(texts, (t) => head.moderate(t, headPolicy), 1000);
for (let r = 0; r < rounds; r++) {
  const b = cpuMeasure(texts, (t) => base.moderate(t, basePolicy), 300);
  const h = cpuMeasure(texts, (t) => head.moderate(t, headPolicy), 300);
  ratios.push(b / h);
  bases.push(b);
  heads.push(h);
  console.log(`round ${r}: base ${b.toFixed(1)} µs, head ${h.toFixed(1)} µs, base/head ${(b / h).toFixed(3)}`);
}
ratios.sort((a, b) => a - b);
const mins = `min base ${Math.min(...bases).toFixed(1)} µs, min head ${Math.min(...heads).toFixed(1)} µs`;
console.log(`${mins}; median base/head ${ratios[Math.floor(ratios.length / 2)].toFixed(3)} at ${size} chars`);
