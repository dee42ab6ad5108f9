// Where the engine's time goes, phase by phase (a profiling aid, not part of the suite).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../src/config';
import { analyze, phraseFindings } from '../src/engine/analyze';
import { CATEGORIES } from '../src/engine/categories';
import { tokenize } from '../src/engine/normalize/tokenize';
import { RULES } from '../src/engine/rules';
import { loadPolicy } from '../src/policies';

const p = loadPolicy();
const texts: string[] = readFileSync(path.join(projectRoot(), 'tests/fixtures/suite.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).text);
const big: string[] = [];
for (let i = 0; i < 200; i++) {
  let s = '';
  for (let j = i; s.length < 500; j++) s += ' ' + texts[(j * 7919) % texts.length];
  big.push(s.slice(0, 500));
}
function time(label: string, fn: (t: string) => unknown) {
  for (const t of big) fn(t);
  const t0 = performance.now();
  for (let r = 0; r < 10; r++) for (const t of big) fn(t);
  console.log(label.padEnd(28), ((performance.now() - t0) * 100 / big.length).toFixed(1), 'µs');
}
time('tokenize', (t) => tokenize(t));
time('analyze (tokens+lexicon)', (t) => analyze(t, p.lexicon));
const analyses = new Map(big.map((t) => [t, analyze(t, p.lexicon)]));
for (const c of CATEGORIES) time(`phrases ${c}`, (t) => phraseFindings(analyses.get(t)!, p.lexicon, c));
for (const c of CATEGORIES) time(`rule ${c}`, (t) => RULES[c].run({ analysis: analyses.get(t)!, policy: p, context: {} }));
