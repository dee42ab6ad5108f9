/**
 * The engine on hostile text: CPU µs per character of each generator in bench/hostile-texts.ts
 * at 1,000, 10,000 and 100,000 characters (the most any endpoint accepts: Coral and Perspective;
 * the policy scores the first maxChars of it), beside ordinary comments of the same lengths.
 * Hostile texts run with the word memo emptied before every call, as unique junk would leave
 * it; ordinary comments with the memo as a running service has it. Each figure is the median of
 * rounds in which every text takes its turn, so load elsewhere falls on all of them alike.
 * Run: npm run bench:hostile   (figures in docs/BENCHMARKS.md)
 */
import { moderate } from '../src/engine';
import { loadPolicy } from '../src/policies';
import { corpus, cpuMeasure } from './corpus';
import { hostileGenerators } from './hostile-texts';

const SIZES = [1000, 10_000, 100_000];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ROUND_MS = Number(process.env.BENCH_MS ?? 60);

interface Row {
  name: string;
  /** Per size, the texts and how one is moderated. */
  cases: { texts: string[]; run: (t: string) => unknown }[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function main(): void {
  const policy = loadPolicy();
  const cold = (t: string) => {
    policy.lexicon.memo.clear();
    policy.lexicon.memoBytes = 0;
    return moderate(t, policy);
  };
  const warm = (t: string) => moderate(t, policy);
  const rows: Row[] = [
    { name: 'ordinary comments', cases: SIZES.map((n) => ({ texts: corpus(n, 20), run: warm })) },
    { name: 'ordinary comments, memo emptied', cases: SIZES.map((n) => ({ texts: corpus(n, 20), run: cold })) },
    ...hostileGenerators(policy).map((g) => ({ name: g.name, cases: SIZES.map((n) => ({ texts: [g.make(n)], run: cold })) })),
  ];
  // Warm-up, so the JIT has optimised the engine before anything is timed.
  for (const row of rows) for (const c of row.cases) cpuMeasure(c.texts, c.run, ROUND_MS / 2);
  const times = rows.map((r) => r.cases.map(() => [] as number[]));
  for (let round = 0; round < ROUNDS; round++) {
    rows.forEach((row, i) => row.cases.forEach((c, j) => times[i][j].push(cpuMeasure(c.texts, c.run, ROUND_MS))));
  }
  const perChar = times.map((row) => row.map((t, j) => median(t) / SIZES[j]));
  const ordinary = perChar[0];
  const out: string[] = [];
  out.push(`| text | ${SIZES.map((n) => `µs/char at ${n.toLocaleString('en')}`).join(' | ')} | ms at ${SIZES.at(-1)!.toLocaleString('en')} | worst ÷ ordinary |`);
  out.push(`|---|${SIZES.map(() => '---:').join('|')}|---:|---:|`);
  let worst = { name: '', ratio: 0, ms: 0 };
  rows.forEach((row, i) => {
    const ratio = Math.max(...perChar[i].map((x, j) => x / ordinary[j]));
    const ms = (perChar[i].at(-1)! * SIZES.at(-1)!) / 1000;
    if (i > 1 && ratio > worst.ratio) worst = { name: row.name, ratio, ms };
    out.push(`| ${row.name} | ${perChar[i].map((x) => x.toFixed(3)).join(' | ')} | ${ms.toFixed(1)} | ${ratio.toFixed(1)}× |`);
  });
  console.log(
    `node ${process.version}, ${new Date().toISOString()}, maxChars ${policy.doc.maxChars}, median of ${ROUNDS} rounds, CPU time; ` +
      `at ${SIZES.at(-1)!.toLocaleString('en')} characters the policy scores the first ${policy.doc.maxChars.toLocaleString('en')}, so µs/char there is per character sent`,
  );
  console.log(out.join('\n'));
  console.log(`\nworst: ${worst.name}, ${worst.ratio.toFixed(1)}× an ordinary comment's cost per character, ${worst.ms.toFixed(1)} ms for ${SIZES.at(-1)!.toLocaleString('en')} characters`);
}

main();
