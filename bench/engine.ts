/**
 * Engine speed: µs per comment for 100, 500 and 2,000-character comments, all seven categories,
 * beside bad-words `isProfane` and obscenity `getAllMatches` on the same texts in the same run.
 * The three take turns, round after round, and each figure is the median round in CPU time, so
 * that a burst of load elsewhere on the machine does not land on one of them only.
 * Run: npm run bench:engine   (figures and machine in docs/BENCHMARKS.md)
 * BENCH_BASE=<dir> adds another build of the engine (a build's src dir, as for ab-pairs.ts) as
 * a fourth contender in the same rounds: an older commit beside this one and bad-words.
 */
import path from 'node:path';
import { Filter } from 'bad-words';
import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from 'obscenity';
import { moderate } from '../src/engine';
import { loadPolicy } from '../src/policies';
import { corpus, interleaved } from './corpus';

const SIZES = [100, 500, 2000];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const ROUND_MS = Number(process.env.BENCH_MS ?? 300);

function main(): void {
  // BENCH_CLASSIFIER=off times the engine without the policy's classifier (rules only).
  const loaded = loadPolicy();
  const policy = process.env.BENCH_CLASSIFIER === 'off' ? { ...loaded, classifier: null } : loaded;
  const filter = new Filter();
  const matcher = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
  const base = process.env.BENCH_BASE ? loadBuild(process.env.BENCH_BASE) : null;
  const rows: string[] = [];
  const baseHead = base ? ` base µs | base / Decorum |` : '';
  rows.push(`| chars | Decorum µs | bad-words isProfane µs | obscenity getAllMatches µs | bad-words / Decorum | obscenity / Decorum |${baseHead}`);
  rows.push(`|---:|---:|---:|---:|---:|---:|${base ? '---:|---:|' : ''}`);
  for (const size of SIZES) {
    const texts = corpus(size, 200);
    const fns: ((t: string) => unknown)[] = [(t) => moderate(t, policy), (t) => filter.isProfane(t), (t) => matcher.getAllMatches(t)];
    if (base) fns.push((t) => base.moderate(t, base.policy));
    const [decorum, badWords, obscenity, older] = interleaved(texts, fns, ROUNDS, ROUND_MS);
    const baseCells = base ? ` ${older.toFixed(1)} | ${(older / decorum).toFixed(2)}× |` : '';
    rows.push(
      `| ${size} | ${decorum.toFixed(1)} | ${badWords.toFixed(1)} | ${obscenity.toFixed(1)} | ${(badWords / decorum).toFixed(1)}× | ${(obscenity / decorum).toFixed(1)}× |${baseCells}`,
    );
  }
  console.log(`node ${process.version}, ${new Date().toISOString()}, classifier ${policy.classifier ? 'on' : 'off'}, median of ${ROUNDS} rounds, CPU time`);
  console.log(rows.join('\n'));
}

/** Another build's engine and default policy, from its compiled src dir. */
function loadBuild(root: string): { moderate: (t: string, p: unknown) => unknown; policy: unknown } {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { moderate: other } = require(path.join(path.resolve(root), 'engine', 'moderate')) as { moderate: (t: string, p: unknown) => unknown };
  const { loadPolicy: load } = require(path.join(path.resolve(root), 'policies')) as { loadPolicy: () => unknown };
  return { moderate: other, policy: load() };
}

main();
