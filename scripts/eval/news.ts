/** News comments: Civil Comments validation (per category and binary) and Russian validation. */
import type { Category } from '../../src/engine';
import type { DatasetRow } from './data';
import { percent, points, ratio, table } from './markdown';
import { binaryMacroF1, type Counts, countPairs, f1, precision, recall } from './metrics';
import type { Section, Target } from './section';
import { ANNOTATED, BINARY_PREDICTORS, type BinaryPredictor, type Outputs } from './systems';
import { type Scored, shouldBeFlagged } from './tweeteval';

const BINARY_HEADER = ['system', 'flagged', 'precision', 'recall', 'F1 (flag)', 'macro-F1'];

function binaryTable(scored: readonly Scored[], predictors: readonly BinaryPredictor[]): { table: string; primary: Counts } {
  const counts = predictors.map((p) => ({ p, c: countPairs(scored.map((s) => [shouldBeFlagged(s.row), p.flagged(s.out)] as const)) }));
  const rows = counts.map(({ p, c }) => [p.name, String(c.tp + c.fp), ratio(precision(c)), ratio(recall(c)), ratio(f1(c)), points(binaryMacroF1(c))]);
  return { table: table(BINARY_HEADER, rows), primary: counts[0].c };
}

/**
 * Civil Comments labels: a category is listed when at least half the raters typed a span of its
 * kind; Profane/Obscene is our profanity ∪ vulgarity. Every rater could type every kind, so every
 * row is in scope for every label, and a `toxic_unspecified` row is a negative for each of them.
 */
const CIVIL_LABELS: readonly { label: string; decorum: readonly Category[] }[] = [
  { label: 'violence', decorum: ['violence'] },
  { label: 'racism', decorum: ['racism'] },
  { label: 'vulgarity', decorum: ['profanity', 'vulgarity'] },
  { label: 'discourtesy', decorum: ['discourtesy'] },
];

const annotatedFlag = (o: Outputs) => ANNOTATED.some((c) => o.decorum.categories[c].flagged);

function perCategoryTable(scored: readonly Scored[]): string {
  const rows = CIVIL_LABELS.map(({ label, decorum }) => {
    const c = countPairs(scored.map((s) => [s.row.labels.includes(label), decorum.some((d) => s.out.decorum.categories[d].flagged)] as const));
    const macro = binaryMacroF1(c);
    return [label, decorum.join(' ∪ '), String(c.tp + c.fn), String(c.tp + c.fp), ratio(precision(c)), ratio(recall(c)), ratio(f1(c)), points(macro)];
  });
  return table(['label', 'Decorum categories', 'gold', 'flagged', 'precision', 'recall', 'F1', 'macro-F1'], rows);
}

/** Share of the rows carrying `label` that each system flags: in the label's category, and at all. */
function labelledRows(scored: readonly Scored[], label: 'violence' | 'racism'): { line: string[]; share: number | null; n: number; flagged: number } {
  const rows = scored.filter((s) => s.row.labels.includes(label));
  const inCategory = rows.filter((s) => s.out.decorum.categories[label].flagged).length;
  const atAll = rows.filter((s) => annotatedFlag(s.out)).length;
  const bw = rows.filter((s) => s.out.badWords).length;
  const ob = rows.filter((s) => s.out.obscenity).length;
  return {
    line: [label, String(rows.length), percent(atAll, rows.length), percent(inCategory, rows.length), percent(bw, rows.length), percent(ob, rows.length)],
    share: rows.length === 0 ? null : atAll / rows.length,
    n: rows.length,
    flagged: atAll,
  };
}

export function civilSection(scored: readonly Scored[]): Section {
  const gold = scored.filter((s) => shouldBeFlagged(s.row)).length;
  const binary = binaryTable(scored, BINARY_PREDICTORS);
  const violence = labelledRows(scored, 'violence');
  const racism = labelledRows(scored, 'racism');
  const macro = binaryMacroF1(binary.primary);
  const shareTarget = (label: string, r: typeof violence): Target => ({
    name: `Civil validation rows labelled ${label} flagged (Decorum, an annotated category)`,
    issues: [16],
    threshold: '≥ 80%',
    measured: `${percent(r.flagged, r.n)} (${r.flagged} of ${r.n})`,
    pass: r.share === null ? null : r.share >= 0.8,
    ...(r.share === null ? { why: `no row labelled ${label}` } : {}),
  });
  const markdown = [
    `## Civil Comments (validation, ${scored.length} news comments, ${gold} toxic)`,
    'Comments from news sites, 3–7 raters each. A comment should be flagged when it is toxic (labels ≠ ["clean"], which includes the `toxic_unspecified` rows no kind of toxicity won a majority in).',
    binary.table,
    '### Decorum per category',
    'A row is positive for a label when at least half its raters typed a span of that kind; every other row (clean, unspecified, other kinds) is a negative.',
    perCategoryTable(scored),
    '### Rows labelled violence or racism',
    table(['label', 'rows', 'Decorum (an annotated category)', 'Decorum (that category)', 'bad-words', 'obscenity'], [violence.line, racism.line]),
  ].join('\n\n');
  return {
    markdown,
    targets: [
      { name: 'Civil validation macro-F1 (Decorum, an annotated category flagged)', issues: [16], threshold: '≥ 62', measured: points(macro), pass: (macro ?? 0) >= 0.62 },
      shareTarget('violence', violence),
      shareTarget('racism', racism),
    ],
  };
}

export function russianSection(scored: readonly Scored[]): Section {
  const gold = scored.filter((s) => shouldBeFlagged(s.row)).length;
  const binary = binaryTable(scored, BINARY_PREDICTORS);
  const macro = binaryMacroF1(binary.primary);
  const markdown = [
    `## Russian comments (validation, ${scored.length} comments from 2ch and pikabu, ${gold} toxic)`,
    'Toxic or not, no kinds (`toxic_unspecified`): any flag counts.',
    binary.table,
  ].join('\n\n');
  return {
    markdown,
    targets: [{ name: 'Russian validation macro-F1 (Decorum, an annotated category flagged)', issues: [16], threshold: '≥ 88', measured: points(macro), pass: (macro ?? 0) >= 0.88 }],
  };
}
