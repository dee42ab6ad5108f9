/**
 * Engine speed: µs per comment for 100, 500 and 2,000-character comments, all seven categories,
 * beside bad-words `isProfane` and obscenity `getAllMatches` on the same texts in the same run.
 * Run: npm run bench:engine   (figures and machine in docs/BENCHMARKS.md)
 */
import { Filter } from 'bad-words';
import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from 'obscenity';
import { moderate } from '../src/engine';
import { loadPolicy } from '../src/policies';
import { corpus, measure } from './corpus';

const SIZES = [100, 500, 2000];
const MIN_MS = Number(process.env.BENCH_MS ?? 1500);

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
    const decorum = measure(texts, (t) => moderate(t, policy), MIN_MS);
    const badWords = measure(texts, (t) => filter.isProfane(t), MIN_MS);
    const obscenity = measure(texts, (t) => matcher.getAllMatches(t), MIN_MS);
    rows.push(
      `| ${size} | ${decorum.toFixed(1)} | ${badWords.toFixed(1)} | ${obscenity.toFixed(1)} | ${(badWords / decorum).toFixed(1)}× | ${(obscenity / decorum).toFixed(1)}× |`,
    );
  }
  console.log(`node ${process.version}, ${new Date().toISOString()}, classifier ${policy.classifier ? 'on' : 'off'}`);
  console.log(rows.join('\n'));
}

main();
