/**
 * The project's labelled suite (tests/fixtures/suite.jsonl). Its labels are exhaustive: a case
 * lists every category that must flag, and any other flag is a false positive.
 */
import { CATEGORIES, type Category } from '../../src/engine';
import type { SuiteCase } from './data';
import { cell, code, percent, ratio, table } from './markdown';
import { accuracy, type Counts, countPairs, f1, precision, recall } from './metrics';
import type { Section, Target } from './section';
import { BINARY_PREDICTORS, describeEvidence, flaggedCategories, type Outputs, type Systems } from './systems';

export interface ScoredCase {
  c: SuiteCase;
  out: Outputs;
}

export function scoreSuite(cases: readonly SuiteCase[], systems: Systems): ScoredCase[] {
  return cases.map((c) => ({ c, out: systems.run(c.text) }));
}

function missing(s: ScoredCase): Category[] {
  return s.c.labels.filter((l) => !s.out.decorum.categories[l].flagged);
}

function extra(s: ScoredCase): Category[] {
  return flaggedCategories(s.out.decorum).filter((c) => !s.c.labels.includes(c));
}

function isExact(s: ScoredCase): boolean {
  return missing(s).length === 0 && extra(s).length === 0;
}

function prf(c: Counts): string[] {
  return [ratio(precision(c)), ratio(recall(c)), ratio(f1(c))];
}

function perCategoryTable(scored: readonly ScoredCase[]): string {
  const rows = CATEGORIES.map((cat) => {
    const c = countPairs(scored.map((s) => [s.c.labels.includes(cat), s.out.decorum.categories[cat].flagged] as const));
    return [cat, String(c.tp + c.fn), String(c.tp + c.fp), String(c.fp), String(c.fn), ...prf(c)];
  });
  return table(['category', 'gold', 'flagged', 'FP', 'FN', 'precision', 'recall', 'F1'], rows);
}

/** The npm filters only know profanity, so they are compared on that category and on "any label". */
function comparisonTable(scored: readonly ScoredCase[]): string {
  const anyLabel = (s: ScoredCase) => s.c.labels.length > 0;
  const isProfanity = (s: ScoredCase) => s.c.labels.includes('profanity');
  const rows = BINARY_PREDICTORS.map((p) => {
    const binary = countPairs(scored.map((s) => [anyLabel(s), p.flagged(s.out)] as const));
    const profanity = p.profanity;
    const prof = profanity ? countPairs(scored.map((s) => [isProfanity(s), profanity(s.out)] as const)) : null;
    return [p.name, ...(prof ? prf(prof) : ['—', '—', '—']), ...prf(binary)];
  });
  return table(['system', 'profanity P', 'profanity R', 'profanity F1', 'any-label P', 'any-label R', 'any-label F1'], rows);
}

function obfuscation(scored: readonly ScoredCase[]): { markdown: string; target: Target } {
  const cases = scored.filter((s) => s.c.tags.includes('obfuscation') && s.c.labels.length > 0);
  const caught = cases.filter((s) => missing(s).length === 0);
  const flaggedAtAll = (f: (o: Outputs) => boolean) => cases.filter((s) => f(s.out)).length;
  // The npm filters have no categories, so for them (and for comparison, Decorum too) a case
  // counts as caught when it is flagged at all; the target uses the strict Decorum reading.
  const rows = [
    ['Decorum', 'every labelled category flagged', String(caught.length), percent(caught.length, cases.length)],
    ...BINARY_PREDICTORS.map((p) => {
      const n = flaggedAtAll(p.flagged);
      return [p.name, 'flagged at all', String(n), percent(n, cases.length)];
    }),
  ];
  const missed = cases.filter((s) => missing(s).length > 0);
  const missedList =
    missed.length === 0
      ? 'Decorum misses none.'
      : `Decorum misses: ${missed.map((s) => `${code(s.c.id)} (${missing(s).join(', ')})`).join(', ')}.`;
  const recallValue = cases.length === 0 ? null : caught.length / cases.length;
  return {
    markdown: [
      `### Obfuscation (${cases.length} cases tagged obfuscation with labels)`,
      table(['system', 'counts as caught when', 'caught', 'recall'], rows),
      missedList,
    ].join('\n\n'),
    target: {
      name: 'Suite obfuscation recall (Decorum, every labelled category flagged)',
      issues: [3, 16],
      threshold: '≥ 95%',
      measured: percent(caught.length, cases.length),
      pass: recallValue === null ? null : recallValue >= 0.95,
    },
  };
}

/** Innocent text that contains something a word list matches: Scunthorpe, Dick Cheney, хлеба. */
function scunthorpe(scored: readonly ScoredCase[]): { markdown: string; target: Target } {
  const cases = scored.filter((s) => s.c.labels.length === 0 && (s.c.tags.includes('scunthorpe') || s.c.tags.includes('edge')));
  const decorumFps = cases.filter((s) => flaggedCategories(s.out.decorum).length > 0);
  const fpList =
    decorumFps.length === 0
      ? 'Decorum flags none of them.'
      : table(
          ['id', 'tags', 'flagged', 'evidence'],
          decorumFps.map((s) => [code(s.c.id), s.c.tags.join(', '), flaggedCategories(s.out.decorum).join(', '), cell(describeEvidence(s.out.decorum).join('; '))]),
        );
  const baseline = (name: string, f: (o: Outputs) => boolean) => {
    const ids = cases.filter((s) => f(s.out)).map((s) => s.c.id);
    return `${name}: ${ids.length}${ids.length > 0 ? ` (${ids.map(code).join(', ')})` : ''}`;
  };
  return {
    markdown: [
      `### Scunthorpe-style false positives (${cases.length} cases tagged scunthorpe or edge with no labels)`,
      `Decorum: ${decorumFps.length}.`,
      fpList,
      `For comparison, ${baseline('bad-words', (o) => o.badWords)}; ${baseline('obscenity', (o) => o.obscenity)}.`,
    ].join('\n\n'),
    target: {
      name: 'Suite Scunthorpe-style false positives (Decorum)',
      issues: [3, 16],
      threshold: '0',
      measured: String(decorumFps.length),
      pass: decorumFps.length === 0,
    },
  };
}

function perTagTable(scored: readonly ScoredCase[]): string {
  const tags = [...new Set(scored.flatMap((s) => s.c.tags))].sort();
  const binaryAccuracy = (cases: readonly ScoredCase[], f: (o: Outputs) => boolean) =>
    ratio(accuracy(countPairs(cases.map((s) => [s.c.labels.length > 0, f(s.out)] as const))));
  const rows = tags.map((tag) => {
    const cases = scored.filter((s) => s.c.tags.includes(tag));
    const exact = cases.filter(isExact).length;
    return [
      tag,
      String(cases.length),
      String(cases.filter((s) => s.c.labels.length > 0).length),
      percent(exact, cases.length),
      String(cases.filter((s) => missing(s).length > 0).length),
      String(cases.filter((s) => extra(s).length > 0).length),
      binaryAccuracy(cases, (o) => flaggedCategories(o.decorum).length > 0),
      binaryAccuracy(cases, (o) => o.badWords),
      binaryAccuracy(cases, (o) => o.obscenity),
    ];
  });
  return table(
    ['tag', 'cases', 'labelled', 'Decorum exact', 'Decorum missed a label', 'Decorum extra flag', 'Decorum binary acc.', 'bad-words binary acc.', 'obscenity binary acc.'],
    rows,
  );
}

export function suiteSection(scored: readonly ScoredCase[], fixture: string): Section {
  const exact = scored.filter(isExact).length;
  const obf = obfuscation(scored);
  const scun = scunthorpe(scored);
  const markdown = [
    `## The project's suite (${code(fixture)}, ${scored.length} cases)`,
    `Labels are exhaustive: a flag in an unlabelled category is a false positive. Decorum gets ${exact} cases exactly right (${percent(exact, scored.length)}); \`npx tsx scripts/eval.ts --errors\` lists the rest.`,
    '### Decorum per category',
    perCategoryTable(scored),
    '### Against the npm filters',
    comparisonTable(scored),
    obf.markdown,
    scun.markdown,
    '### Per tag',
    'Binary accuracy: flagged at all vs. has any label.',
    perTagTable(scored),
  ].join('\n\n');
  return { markdown, targets: [obf.target, scun.target] };
}

/** Every case Decorum gets wrong, for a developer's terminal (never the report). */
export function suiteErrors(scored: readonly ScoredCase[]): string {
  const wrong = scored.filter((s) => !isExact(s));
  const lines = [`# ${wrong.length} misclassified suite cases (of ${scored.length})`];
  for (const s of wrong) {
    lines.push('');
    lines.push(`${s.c.id} [${s.c.tags.join(', ')}] expected: ${s.c.labels.join(', ') || '(nothing)'}; got: ${flaggedCategories(s.out.decorum).join(', ') || '(nothing)'}; decision ${s.out.decorum.decision}`);
    if (missing(s).length > 0) lines.push(`  missed: ${missing(s).join(', ')}`);
    for (const e of describeEvidence(s.out.decorum, extra(s))) lines.push(`  extra ${e}`);
    lines.push(`  text: ${JSON.stringify(s.c.text)}`);
    if (s.c.note) lines.push(`  note: ${s.c.note}`);
  }
  return lines.join('\n');
}
