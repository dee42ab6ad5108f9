/**
 * Engine speed: µs per comment for 100, 500 and 2,000-character comments, all seven categories,
 * beside bad-words `isProfane` and obscenity `getAllMatches` on the same texts in the same run.
 * The three take turns, round after round, and each figure is the median round in CPU time, so
 * that a burst of load elsewhere on the machine does not land on one of them only.
 * Run: npm run bench:engine   (figures and machine in docs/BENCHMARKS.md)
 */
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
  const rows: string[] = [];
  rows.push('| chars | Decorum µs | bad-words isProfane µs | obscenity getAllMatches µs | bad-words / Decorum | obscenity / Decorum |');
  rows.push('|---:|---:|---:|---:|---:|---:|');
  for (const size of SIZES) {
    const texts = corpus(size, 200);
    const [decorum, badWords, obscenity] = interleaved(
      texts,
      [(t) => moderate(t, policy), (t) => filter.isProfane(t), (t) => matcher.getAllMatches(t)],
      ROUNDS,
      ROUND_MS,
    );
    rows.push(
      `| ${size} | ${decorum.toFixed(1)} | ${badWords.toFixed(1)} | ${obscenity.toFixed(1)} | ${(badWords / decorum).toFixed(1)}× | ${(obscenity / decorum).toFixed(1)}× |`,
    );
  }
  console.log(`node ${process.version}, ${new Date().toISOString()}, classifier ${policy.classifier ? 'on' : 'off'}, median of ${ROUNDS} rounds, CPU time`);
  console.log(rows.join('\n'));
}

main();
