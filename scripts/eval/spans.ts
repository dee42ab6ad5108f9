/**
 * Span F1 (SemEval-2021 Task 5): do the systems' evidence spans cover what people marked? On the
 * SemEval trial set (its own gold) and on the Civil Comments validation rows (gold from the raters).
 */
import type { CivilRow, ToxicSpansRow } from './data';
import { ratio, table } from './markdown';
import type { Section } from './section';
import { type CharSpan, meanSpanF1, offsetsOf } from './span-f1';
import { ANNOTATED, type Systems } from './systems';

/** One comment with its gold offsets. */
export interface SpanCase {
  text: string;
  gold: number[];
}

export function semevalCases(rows: readonly ToxicSpansRow[]): SpanCase[] {
  return rows.map((r) => ({ text: r.text, gold: [...new Set(r.spans)].sort((a, b) => a - b) }));
}

/**
 * Civil gold: in a toxic comment, the characters inside spans of at least half as many raters as
 * the comment had (any kind); a clean comment's gold is empty. The data keeps spans, not who typed
 * them, so a rater who typed two kinds over the same word counts twice.
 */
export function civilCases(rows: readonly CivilRow[]): SpanCase[] {
  return rows.map((r) => {
    const toxic = !(r.labels.length === 1 && r.labels[0] === 'clean');
    if (!toxic) return { text: r.text, gold: [] };
    const votes = new Map<number, number>();
    for (const s of r.spans) for (let i = s.start; i < s.end; i++) votes.set(i, (votes.get(i) ?? 0) + 1);
    const gold = [...votes].filter(([, v]) => v >= r.orig.raters / 2).map(([i]) => i);
    return { text: r.text, gold: gold.sort((a, b) => a - b) };
  });
}

interface SpanSystem {
  name: string;
  spans: (text: string) => CharSpan[];
}

function spanSystems(systems: Systems): SpanSystem[] {
  return [
    {
      name: 'Decorum (evidence of the flagged annotated categories)',
      spans: (text) => {
        const a = systems.run(text).decorum;
        return ANNOTATED.flatMap((c) => (a.categories[c].flagged ? a.categories[c].evidence : []));
      },
    },
    { name: 'bad-words (the listed words it contains)', spans: systems.badWords.spans },
    { name: 'obscenity (its match positions)', spans: systems.obscenity.spans },
  ];
}

interface SpanScore {
  f1: number | null;
  /** Comments with gold spans where the system marked nothing, and clean ones where it marked something. */
  missed: number;
  extra: number;
}

function score(cases: readonly SpanCase[], system: SpanSystem): SpanScore {
  let missed = 0;
  let extra = 0;
  const pairs = cases.map((c) => {
    const predicted = offsetsOf(system.spans(c.text));
    if (c.gold.length > 0 && predicted.length === 0) missed++;
    if (c.gold.length === 0 && predicted.length > 0) extra++;
    return { predicted, gold: c.gold };
  });
  return { f1: meanSpanF1(pairs), missed, extra };
}

function spanTable(cases: readonly SpanCase[], systems: readonly SpanSystem[]): { table: string; scores: SpanScore[] } {
  const scores = systems.map((s) => score(cases, s));
  const rows = systems.map((s, i) => [s.name, ratio(scores[i].f1), String(scores[i].missed), String(scores[i].extra)]);
  return { table: table(['system', 'span F1', 'comments with gold, nothing marked', 'comments without gold, something marked'], rows), scores };
}


export function spanSection(semeval: readonly SpanCase[] | null, civil: readonly SpanCase[] | null, systems: Systems): Section {
  const list = spanSystems(systems);
  const parts = [
    '## Toxic spans (SemEval-2021 Task 5 metric)',
    'Per comment, F1 of the predicted against the gold character offsets (1 when both are empty, 0 when only one is), averaged over comments. Decorum predicts the union of the evidence spans of the categories it flags, leaving out all_caps and spam (whose evidence is the whole comment and says nothing about which words are toxic); a comment it does not flag predicts nothing. The published best system on the SemEval test set scored 0.708.',
  ];
  let semevalF1: number | null = null;
  if (semeval) {
    const t = spanTable(semeval, list);
    semevalF1 = t.scores[0].f1;
    const empty = semeval.filter((c) => c.gold.length === 0).length;
    parts.push(`### SemEval trial set (${semeval.length} toxic comments, ${empty} with no agreed span)`, t.table);
  } else {
    parts.push('### SemEval trial set', 'Skipped: `tsd_trial.jsonl` not found.');
  }
  if (civil) {
    const t = spanTable(civil, list);
    const withGold = civil.filter((c) => c.gold.length > 0).length;
    parts.push(
      `### Civil Comments validation (${civil.length} comments, ${withGold} with gold spans)`,
      'Gold: in a toxic comment, the characters that at least half the raters marked (spans of any kind); nothing in a clean comment. Clean comments count, so marking words in an inoffensive comment costs here.',
      t.table,
    );
  } else {
    parts.push('### Civil Comments validation', 'Skipped: `civil_comments_val.jsonl` not found.');
  }
  return {
    markdown: parts.join('\n\n'),
    targets: [
      semeval
        ? { name: 'SemEval trial span F1 (Decorum)', issues: [16], threshold: '≥ 0.66', measured: ratio(semevalF1), pass: (semevalF1 ?? 0) >= 0.66 }
        : { name: 'SemEval trial span F1 (Decorum)', issues: [16], threshold: '≥ 0.66', measured: '—', pass: null, why: 'tsd_trial.jsonl not found' },
    ],
  };
}
