// The whole engine's decision on the news validation splits (Civil Comments, Russian toxic
// comments): binary "any category flagged" against labels ≠ ["clean"], the share of rows of each
// gold label that are flagged, and the same figures at other classifier thresholds, which is how
// the default policy's flagAt and headFlagAt were set.
//   npx tsx scripts/news-validation.ts            the default policy as committed
//   npx tsx scripts/news-validation.ts --sweep    also other thresholds: flagAt 0.3..0.8 (the Cyrillic
//                                                 model's on the Russian split) and headFlagAt.racism
import path from 'node:path';
import { type CompiledPolicy, moderate } from '../src/engine';
import { CATEGORIES } from '../src/engine/categories';
import { loadPolicy } from '../src/policies';
import { binaryMetrics } from './classifier/train';
import { readTrainingRows } from './training-data';

const SPLITS = [
  { name: 'civil_comments_val', file: path.join('news', 'civil_comments_val.jsonl') },
  { name: 'ru_toxic_val', file: path.join('news', 'ru_toxic_val.jsonl') },
];

const pct = (x: number) => (100 * x).toFixed(1);

function withClassifier(base: CompiledPolicy, flagAt: number, racismAt: number | undefined): CompiledPolicy {
  const doc = structuredClone(base.doc);
  doc.classifier!.flagAt = flagAt;
  if (racismAt === undefined) delete doc.classifier!.headFlagAt.racism;
  else doc.classifier!.headFlagAt.racism = racismAt;
  // The compiled lexicon and classifiers are reused: only the thresholds differ.
  const cyrillic = base.cyrillic && { ...base.cyrillic, settings: { ...base.cyrillic.settings, flagAt } };
  return { ...base, doc, cyrillic };
}

function measure(policy: CompiledPolicy, rows: ReturnType<typeof readTrainingRows>) {
  const flagged = rows.map((r) => {
    const a = moderate(r.text, policy);
    return CATEGORIES.some((c) => a.categories[c].flagged);
  });
  const y = rows.map((r) => (r.labels.length === 1 && r.labels[0] === 'clean' ? 0 : 1));
  const m = binaryMetrics(
    flagged.map((f) => (f ? 1 : 0)),
    y,
  );
  const byLabel: Record<string, string> = {};
  const labels = [...new Set(rows.flatMap((r) => r.labels))].sort();
  for (const l of labels) {
    const idx = rows.map((r, i) => (r.labels.includes(l) ? i : -1)).filter((i) => i >= 0);
    byLabel[l] = `${pct(idx.filter((i) => flagged[i]).length / idx.length)}% of ${idx.length}`;
  }
  return { m, byLabel };
}

function main(): void {
  const policy = loadPolicy();
  const settings = policy.doc.classifier!;
  const sweep = process.argv.includes('--sweep');
  for (const split of SPLITS) {
    const rows = readTrainingRows(split.file);
    const { m, byLabel } = measure(policy, rows);
    console.log(
      `${split.name} (n=${m.n}, flagAt ${settings.flagAt}, Cyrillic flagAt ${settings.cyrillic?.flagAt ?? '-'}, racism ${settings.headFlagAt.racism ?? 'off'}): macro-F1 ${pct(m.macroF1)}  P ${pct(m.precision)}  R ${pct(m.recall)}  F1 ${pct(m.f1)}`,
    );
    console.log(`  flagged by gold label: ${Object.entries(byLabel).map(([l, s]) => `${l} ${s}`).join('; ')}`);
    if (!sweep) continue;
    for (const flagAt of [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8]) {
      // The Russian split has no racism label: only the Cyrillic model's flagAt moves it.
      for (const racismAt of split.name === 'ru_toxic_val' ? [undefined] : [0.6, 0.8, undefined]) {
        const r = measure(withClassifier(policy, flagAt, racismAt), rows);
        console.log(
          `  flagAt ${flagAt.toFixed(2)} racism ${racismAt ?? 'off'}: macro-F1 ${pct(r.m.macroF1)} R ${pct(r.m.recall)} | ${['racism', 'violence', 'clean'].map((l) => `${l} ${r.byLabel[l] ?? '-'}`).join('; ')}`,
        );
      }
    }
  }
}

main();
