// Profiling driver: node --cpu-prof dist/bench/profile-loop.js (not part of the suite).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../src/config';
import { moderate } from '../src/engine';
import { loadPolicy } from '../src/policies';

const p = loadPolicy();
const texts: string[] = readFileSync(path.join(projectRoot(), 'tests/fixtures/suite.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l).text);
const big: string[] = [];
for (let i = 0; i < 200; i++) {
  let s = '';
  for (let j = i; s.length < 500; j++) s += ' ' + texts[(j * 7919) % texts.length];
  big.push(s.slice(0, 500));
}
const t0 = performance.now();
for (let r = 0; r < 20; r++) for (const t of big) moderate(t, p);
console.log('µs/comment', ((performance.now() - t0) * 1000 / (20 * big.length)).toFixed(1));
