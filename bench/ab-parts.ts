/**
 * What the policy's optional parts cost inside the whole engine: this build with some of them
 * switched off (AB_OFF, comma-separated CompiledPolicy fields such as identity,threats,spans,
 * cyrillic) against another build in the same alternating short passes as ab-pairs.ts. A part's
 * cost alone and its cost beside the others differ: the engine is bound by memory, so switching
 * off two parts can save more than the two apart. The output changes with the parts switched
 * off; this measures, it never judges.
 *   npx tsc -p tsconfig.bench.json && AB_BASE=<dir> AB_OFF=identity,threats node dist/bench/ab-parts.js [size] [rounds]
 */
import path from 'node:path';
import type { CompiledPolicy } from '../src/engine/compile';
import { moderate } from '../src/engine/moderate';
import { loadPolicy } from '../src/policies';
import { corpus } from './corpus';

type Engine = { moderate: (t: string, p: unknown) => unknown; loadPolicy: () => unknown };

const size = Number(process.argv[2] ?? 500);
const rounds = Number(process.argv[3] ?? 30);
const baseRoot = process.env.AB_BASE ?? path.resolve(__dirname, '..', 'base', 'src');
/* eslint-disable @typescript-eslint/no-require-imports */
const base: Engine = {
  moderate: (require(path.join(baseRoot, 'engine', 'moderate')) as Engine).moderate,
  loadPolicy: (require(path.join(baseRoot, 'policies')) as Engine).loadPolicy,
};
const off = (process.env.AB_OFF ?? '').split(',').filter((k) => k.length > 0);
const policy: CompiledPolicy = { ...loadPolicy() };
for (const k of off) {
  if (!(k in policy)) throw new Error(`AB_OFF: no policy field "${k}"`);
  (policy as unknown as Record<string, unknown>)[k] = null;
}
const basePolicy = base.loadPolicy();
const texts = corpus(size, 200);
const passBase = () => {
  for (const t of texts) base.moderate(t, basePolicy);
};
const passHead = () => {
  for (const t of texts) moderate(t, policy);
};
const cpu = (fn: () => void) => {
  const start = process.cpuUsage();
  fn();
  const d = process.cpuUsage(start);
  return d.user + d.system;
};
for (let i = 0; i < 10; i++) {
  passBase();
  passHead();
}
const ratios: number[] = [];
const heads: number[] = [];
const bases: number[] = [];
for (let r = 0; r < rounds; r++) {
  const b1 = cpu(passBase);
  const h1 = cpu(passHead);
  const h2 = cpu(passHead);
  const b2 = cpu(passBase);
  ratios.push((b1 + b2) / (h1 + h2));
  bases.push((b1 + b2) / 2 / texts.length);
  heads.push((h1 + h2) / 2 / texts.length);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
console.log(`off: ${off.join(',') || '(nothing)'}, ${rounds} rounds at ${size} chars`);
console.log(`base median ${median(bases).toFixed(1)} µs, head median ${median(heads).toFixed(1)} µs, base/head median of pairs ${median(ratios).toFixed(3)}`);
