/** TweetEval offensive and hate, validation splits (../shared/datasets, mapped to our categories). */
import { CATEGORIES, type Category } from '../../src/engine';
import type { DatasetRow } from './data';
import { cell, percent, points, ratio, table } from './markdown';
import { binaryMacroF1, type Counts, countPairs, f1, precision, recall } from './metrics';
import { type Section, type Target, topOf } from './section';
import { BINARY_PREDICTORS, type BinaryPredictor, flaggedCategories, type Outputs, type Systems } from './systems';

export interface Scored {
  row: DatasetRow;
  out: Outputs;
}

export function scoreRows(rows: readonly DatasetRow[], systems: Systems): Scored[] {
  return rows.map((row) => ({ row, out: systems.run(row.text) }));
}

/** The README's definition: a row should be flagged unless its labels are exactly ["clean"]. */
export function shouldBeFlagged(row: DatasetRow): boolean {
  return !(row.labels.length === 1 && row.labels[0] === 'clean');
}

/**
 * The datasets fold profanity into `vulgarity` ("vulgarity (vulgarity or profanity)"), so Decorum's
 * two categories are merged before comparing; the other labels are our categories one to one.
 */
const DATASET_LABELS: readonly { label: string; decorum: readonly Category[] }[] = [
  { label: 'violence', decorum: ['violence'] },
  { label: 'racism', decorum: ['racism'] },
  { label: 'vulgarity', decorum: ['profanity', 'vulgarity'] },
  { label: 'discourtesy', decorum: ['discourtesy'] },
];

function binaryCounts(scored: readonly Scored[], p: BinaryPredictor): Counts {
  return countPairs(scored.map((s) => [shouldBeFlagged(s.row), p.flagged(s.out)] as const));
}

function binaryRow(name: string, c: Counts): string[] {
  return [name, String(c.tp + c.fp), ratio(precision(c)), ratio(recall(c)), ratio(f1(c)), points(binaryMacroF1(c))];
}

const BINARY_HEADER = ['system', 'flagged', 'precision', 'recall', 'F1 (flag)', 'macro-F1'];

/**
 * Per-category agreement, respecting `scope`: a row is a negative for a label only if the source
 * annotated that label (a HatEval "not hateful" tweet says nothing about swearing).
 */
function categoryCounts(scored: readonly Scored[], label: string, decorum: readonly Category[]): Counts {
  const pairs = scored
    .filter((s) => s.row.scope.includes(label) || s.row.labels.includes(label))
    .map((s) => [s.row.labels.includes(label), decorum.some((c) => s.out.decorum.categories[c].flagged)] as const);
  return countPairs(pairs);
}

function perCategoryTable(scored: readonly Scored[]): string {
  const rows = DATASET_LABELS.map(({ label, decorum }) => {
    const c = categoryCounts(scored, label, decorum);
    return [label, decorum.join(' ∪ '), String(c.tp + c.fp + c.fn + c.tn), String(c.tp + c.fn), String(c.tp + c.fp), ratio(precision(c)), ratio(recall(c)), ratio(f1(c))];
  });
  return table(['dataset label', 'Decorum categories', 'rows in scope', 'gold', 'flagged', 'precision', 'recall', 'F1'], rows);
}

/** Decorum categories the row's source annotated, through the label mapping. */
function annotatedCategories(row: DatasetRow): Set<Category> {
  return new Set(DATASET_LABELS.filter((d) => row.scope.includes(d.label)).flatMap((d) => d.decorum));
}

function rulesOf(o: Outputs, categories: readonly Category[]): string[] {
  return categories.flatMap((c) => [...new Set(o.decorum.categories[c].evidence.map((e) => e.rule))]);
}

/**
 * Where the binary errors come from: misses by gold label, false alarms by the category and rule
 * that fired. Out-of-scope categories (all_caps, spam) are counted apart: the dataset never
 * labels them, so their flags are not necessarily wrong.
 */
function offensiveErrorTables(scored: readonly Scored[]): string {
  const missesByLabel = table(
    ['gold label', 'rows', 'missed (no category flagged)', 'row recall'],
    DATASET_LABELS.map(({ label }) => {
      const rows = scored.filter((s) => s.row.labels.includes(label));
      const missed = rows.filter((s) => flaggedCategories(s.out.decorum).length === 0).length;
      return [label, String(rows.length), String(missed), rows.length === 0 ? 'n/a' : ratio((rows.length - missed) / rows.length)];
    }),
  );
  const falseAlarms = scored.filter((s) => !shouldBeFlagged(s.row) && flaggedCategories(s.out.decorum).length > 0);
  const byCategory = CATEGORIES.map((c) => ({ c, rows: falseAlarms.filter((s) => s.out.decorum.categories[c].flagged) }))
    .filter(({ rows }) => rows.length > 0)
    .sort((a, b) => b.rows.length - a.rows.length);
  const outOfScopeOnly = falseAlarms.filter((s) => {
    const annotated = annotatedCategories(s.row);
    return flaggedCategories(s.out.decorum).every((c) => !annotated.has(c));
  }).length;
  const fpTable = table(
    ['category flagged on a clean row', 'rows', 'most frequent rules'],
    byCategory.map(({ c, rows }) => [c, String(rows.length), cell(topOf(rows.flatMap((s) => rulesOf(s.out, [c])), 4))]),
  );
  return [
    `Misses by gold label (Decorum, any category flagged):\n\n${missesByLabel}`,
    `False alarms on ${falseAlarms.length} clean rows, by category (a row can count under several); ${outOfScopeOnly} of them are flagged only in categories the dataset does not annotate (all_caps, spam):\n\n${fpTable}`,
  ].join('\n\n');
}

export function offensiveSection(scored: readonly Scored[]): Section {
  const counts = BINARY_PREDICTORS.map((p) => ({ p, c: binaryCounts(scored, p) }));
  const gold = scored.filter((s) => shouldBeFlagged(s.row)).length;
  // Targets use the first reading: the categories the dataset annotates (systems.ts says why).
  const primary = counts[0].c;
  const targets: Target[] = [
    {
      name: 'TweetEval offensive macro-F1 (Decorum, an annotated category flagged)',
      threshold: '≥ 75',
      measured: points(binaryMacroF1(primary)),
      pass: (binaryMacroF1(primary) ?? 0) >= 0.75,
    },
    {
      name: 'TweetEval offensive macro-F1 (Decorum, an annotated category flagged)',
      issues: [16],
      threshold: '≥ 73',
      measured: points(binaryMacroF1(primary)),
      pass: (binaryMacroF1(primary) ?? 0) >= 0.73,
    },
    {
      name: 'TweetEval offensive binary F1 (Decorum, an annotated category flagged)',
      threshold: '≥ 0.70',
      measured: ratio(f1(primary)),
      pass: (f1(primary) ?? 0) >= 0.7,
    },
  ];
  const markdown = [
    `## TweetEval offensive (validation, ${scored.length} tweets, ${gold} should be flagged)`,
    'Binary "should be flagged" (labels ≠ ["clean"]). Macro-F1 is the mean of the F1 of both classes, ×100, the TweetEval metric.',
    table(BINARY_HEADER, counts.map(({ p, c }) => binaryRow(p.name, c))),
    '### Decorum per category',
    'The labels are a proxy (README): an offensive tweet targeted at a person is `discourtesy` only, even if it swears, so a profanity flag on it counts against `vulgarity` here; "targeted at a group" (`racism`) includes political groups. No row is labelled `violence`, so every violence flag counts as a false positive.',
    perCategoryTable(scored),
    '### Where Decorum goes wrong',
    offensiveErrorTables(scored),
  ].join('\n\n');
  return { markdown, targets };
}

export function hateSection(scored: readonly Scored[]): Section {
  const predictors: BinaryPredictor[] = [
    { name: 'Decorum (racism flagged)', baseline: false, flagged: (o) => o.decorum.categories.racism.flagged },
    ...BINARY_PREDICTORS.filter((p) => p.baseline),
  ];
  const counts = predictors.map((p) => ({ p, c: binaryCounts(scored, p) }));
  const primary = counts[0].c;
  const gold = scored.filter((s) => shouldBeFlagged(s.row)).length;
  const falseAlarms = scored.filter((s) => !shouldBeFlagged(s.row) && s.out.decorum.categories.racism.flagged);
  const markdown = [
    `## TweetEval hate (validation, ${scored.length} tweets, ${gold} hateful)`,
    'HatEval: hate against immigrants and women, mapped to `racism` (scope: racism only). Positive class: hateful.',
    table(['system', 'flagged', 'precision', 'recall', 'F1 (hate)', 'macro-F1'], counts.map(({ p, c }) => binaryRow(p.name, c))),
    `Decorum misses ${primary.fn} of ${gold} hateful tweets (${percent(primary.fn, gold)}). Racism rules firing on the ${falseAlarms.length} non-hateful tweets it flags: ${cell(topOf(falseAlarms.flatMap((s) => rulesOf(s.out, ['racism'])), 6))}.`,
  ].join('\n\n');
  return {
    markdown,
    targets: [
      {
        name: 'TweetEval hate macro-F1 (Decorum, racism flagged)',
        threshold: '≥ 56',
        measured: points(binaryMacroF1(primary)),
        pass: (binaryMacroF1(primary) ?? 0) >= 0.56,
      },
      {
        name: 'TweetEval hate macro-F1 (Decorum, racism flagged)',
        issues: [16],
        threshold: '≥ 58',
        measured: points(binaryMacroF1(primary)),
        pass: (binaryMacroF1(primary) ?? 0) >= 0.58,
      },
    ],
  };
}
