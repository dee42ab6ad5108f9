/**
 * A/B of two builds of the engine in one process, like ab.ts, but in short passes (one pass
 * over the 200 comments each, ~20 ms) in the order base, head, head, base, so that a burst of
 * load lands on both alike; the figure is the median over rounds of base / head. Under steady
 * load from another job (one core of two busy), ab.ts's 300 ms rounds moved by ±30%; these
 * pairs keep the median within about ±2%. Whichever build is loaded first runs ~1% faster or
 * slower, so run it both ways (AB_SWAP=1 loads head first) and read both.
 *   npx tsc -p tsconfig.bench.json && node dist/bench/ab-pairs.js [size] [rounds]
 * dist/base/src is the base build as for ab.ts; AB_BASE=<dir> names another (a build's src dir).
 */
import path from 'node:path';
import { corpus } from './corpus';

type Engine = { moderate: (t: string, p: unknown) => unknown; loadPolicy: () => unknown };

function load(root: string): Engine {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { moderate } = require(path.join(root, 'engine', 'moderate')) as Engine;
  const { loadPolicy } = require(path.join(root, 'policies')) as Engine;
  return { moderate, loadPolicy };
}

const size = Number(process.argv[2] ?? 500);
const rounds = Number(process.argv[3] ?? 100);
const swap = process.env.AB_SWAP === '1';
const baseRoot = process.env.AB_BASE ?? path.resolve(__dirname, '..', 'base', 'src');
const headRoot = path.resolve(__dirname, '..', 'src');
const [first, second] = swap ? [load(headRoot), load(baseRoot)] : [load(baseRoot), load(headRoot)];
const [head, base] = swap ? [first, second] : [second, first];
const headPolicy = head.loadPolicy();
const basePolicy = base.loadPolicy();
const texts = corpus(size, 200);
const passBase = () => {
  for (const t of texts) base.moderate(t, basePolicy);
};
const passHead = () => {
  for (const t of texts) head.moderate(t, headPolicy);
};

/** CPU time of one call, µs. */
function cpu(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const d = process.cpuUsage(start);
  return d.user + d.system;
}

for (let i = 0; i < 30; i++) {
  passBase();
  passHead();
}
const bases: number[] = [];
const heads: number[] = [];
const ratios: number[] = [];
for (let r = 0; r < rounds; r++) {
  const b1 = cpu(passBase);
  const h1 = cpu(passHead);
  const h2 = cpu(passHead);
  const b2 = cpu(passBase);
  bases.push(b1, b2);
  heads.push(h1, h2);
  ratios.push((b1 + b2) / (h1 + h2));
}
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))];
const us = (xs: number[], q: number) => (quantile(xs, q) / texts.length).toFixed(1);
console.log(`${swap ? 'head loaded first' : 'base loaded first'}, ${rounds} rounds at ${size} chars`);
console.log(`base median ${us(bases, 0.5)} µs, head median ${us(heads, 0.5)} µs`);
console.log(
  `base/head: median of pairs ${quantile(ratios, 0.5).toFixed(3)} (quartiles ${quantile(ratios, 0.25).toFixed(3)}-${quantile(ratios, 0.75).toFixed(3)})`,
);
