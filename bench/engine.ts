/**
 * Engine speed: µs per comment for 100, 500 and 2,000-character comments, all seven categories,
 * beside bad-words `isProfane` and obscenity `getAllMatches` on the same texts in the same run.
 * Run: npm run bench:engine   (figures and machine in docs/BENCHMARKS.md)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Filter } from 'bad-words';
import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from 'obscenity';
import { moderate } from '../src/engine';
import { loadPolicy } from '../src/policies';
import { projectRoot } from '../src/config';

const ROOT = projectRoot();
const SIZES = [100, 500, 2000];
const MIN_MS = Number(process.env.BENCH_MS ?? 1500);

/** Deterministic comments of about `size` characters, stitched from the labelled suite. */
function corpus(size: number, count: number): string[] {
  const texts = readFileSync(path.join(ROOT, 'tests', 'fixtures', 'suite.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { text: string }).text);
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let s = '';
    while (s.length < size) s += (s ? ' ' : '') + texts[Math.floor(next() * texts.length)];
    out.push(s.slice(0, size));
  }
  return out;
}

/** Mean µs per call over at least MIN_MS, after a warm-up pass. */
function measure(texts: string[], fn: (t: string) => unknown): number {
  for (const t of texts) fn(t);
  let calls = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < MIN_MS) {
    for (const t of texts) fn(t);
    calls += texts.length;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return (elapsed * 1000) / calls;
}

function main(): void {
  const policy = loadPolicy();
  const filter = new Filter();
  const matcher = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
  const rows: string[] = [];
  rows.push('| chars | Decorum µs | bad-words isProfane µs | obscenity getAllMatches µs | bad-words / Decorum | obscenity / Decorum |');
  rows.push('|---:|---:|---:|---:|---:|---:|');
  for (const size of SIZES) {
    const texts = corpus(size, 200);
    const decorum = measure(texts, (t) => moderate(t, policy));
    const badWords = measure(texts, (t) => filter.isProfane(t));
    const obscenity = measure(texts, (t) => matcher.getAllMatches(t));
    rows.push(
      `| ${size} | ${decorum.toFixed(1)} | ${badWords.toFixed(1)} | ${obscenity.toFixed(1)} | ${(badWords / decorum).toFixed(1)}× | ${(obscenity / decorum).toFixed(1)}× |`,
    );
  }
  console.log(`node ${process.version}, ${new Date().toISOString()}`);
  console.log(rows.join('\n'));
}

main();
