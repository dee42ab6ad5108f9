/**
 * A/B timing of two builds of the engine in one process, alternating, so that a busy machine
 * slows both alike (load on this VM moves single runs by ±30%). Before a change:
 *   npx tsc -p tsconfig.bench.json && rm -rf dist/base && mkdir dist/base && cp -r dist/src dist/base/
 * then after it: npx tsc -p tsconfig.bench.json && node dist/bench/ab.js [size] [rounds]
 * Prints per round the µs per comment of each and their ratio, then the median ratio.
 */
import path from 'node:path';
import { corpus, measure } from './corpus';

type Engine = { moderate: (t: string, p: unknown) => unknown; loadPolicy: () => unknown };

function load(root: string): Engine {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { moderate } = require(path.join(root, 'engine', 'moderate')) as Engine;
  const { loadPolicy } = require(path.join(root, 'policies')) as Engine;
  return { moderate, loadPolicy };
}

const size = Number(process.argv[2] ?? 500);
const rounds = Number(process.argv[3] ?? 8);
const base = load(path.resolve(__dirname, '..', 'base', 'src'));
const head = load(path.resolve(__dirname, '..', 'src'));
const basePolicy = base.loadPolicy();
const headPolicy = head.loadPolicy();
const texts = corpus(size, 200);
const ratios: number[] = [];
for (let r = 0; r < rounds; r++) {
  const b = measure(texts, (t) => base.moderate(t, basePolicy), 600);
  const h = measure(texts, (t) => head.moderate(t, headPolicy), 600);
  ratios.push(b / h);
  console.log(`round ${r}: base ${b.toFixed(1)} µs, head ${h.toFixed(1)} µs, base/head ${(b / h).toFixed(3)}`);
}
ratios.sort((a, b) => a - b);
console.log(`median base/head ${ratios[Math.floor(ratios.length / 2)].toFixed(3)} at ${size} chars`);
