/**
 * Where the engine's time goes, phase by phase, on the 500-character comments of
 * bench/engine.ts (a profiling aid, not part of the suite). Run after building:
 *   npx tsc -p tsconfig.bench.json && node dist/bench/phases.js
 */
import { analyze, phraseFindings } from '../src/engine/analyze';
import { CATEGORIES } from '../src/engine/categories';
import { moderate } from '../src/engine/moderate';
import { tokenize } from '../src/engine/normalize/tokenize';
import { RULES } from '../src/engine/rules';
import { loadPolicy } from '../src/policies';
import { corpus, measure } from './corpus';

const policy = loadPolicy();
const texts = corpus(500, 200);

function row(label: string, fn: (t: string) => unknown): void {
  console.log(label.padEnd(28), measure(texts, fn, 400).toFixed(1).padStart(7), 'µs');
}

row('moderate (all of it)', (t) => moderate(t, policy));
row('tokenize', (t) => tokenize(t));
row('analyze (incl. tokenize)', (t) => analyze(t, policy.lexicon));
// The rows below reuse analyses made once.
const analyses = new Map(texts.map((t) => [t, analyze(t, policy.lexicon)]));
for (const c of CATEGORIES) row(`phrases ${c}`, (t) => phraseFindings(analyses.get(t)!, policy.lexicon, c));
for (const c of CATEGORIES) row(`rule ${c}`, (t) => RULES[c].run({ analysis: analyses.get(t)!, policy, context: {} }));
const { classifier } = policy;
if (classifier) row('classifier score', (t) => classifier.score(analyses.get(t)!.tokens, { hits: analyses.get(t)!.hits }));
// Rules and phrases above reuse analyses made earlier, whose tokens are no longer in the
// cache; inside moderate() they read fresh ones. Compare shares within moderate() with
// node --cpu-prof dist/bench/profile-loop.js instead.
