// Learns which words people mark as toxic in news comments, per kind of toxicity, and writes
// models/spans.json (the span lexicon the engine narrows evidence with).
//   npx tsx scripts/train-spans.ts           learn, print held-out figures, write the file
//   npx tsx scripts/train-spans.ts --dry     the same without writing
// Learns only from the training files; every comment whose text is also in a validation or trial
// file is left out (the news sets share comments across their files), so those stay unseen.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { tokenize } from '../src/engine/normalize/tokenize';
import { type LearnedWord, SPAN_TYPES, type SpanLexicon, SpanLexiconSchema, spanKey, type SpanType } from '../src/engine/span-lexicon';
import { commentSpanF1, offsetsOf } from './eval/span-f1';
import { readJsonl } from './eval/data';
import { DATASETS_DIR } from './training-data';

const NEWS = path.join(DATASETS_DIR, 'news');
const OUT = path.resolve(__dirname, '..', 'models', 'spans.json');

const TYPE_OF: Record<string, SpanType | undefined> = {
  Insult: 'discourtesy',
  'Identity based Attack': 'racism',
  'Profane/Obscene': 'vulgarity',
  Threat: 'violence',
};

const TsdRow = z.object({ id: z.string(), text: z.string(), spans: z.array(z.number().int()) });
const CivilRow = z.object({
  id: z.string(),
  text: z.string(),
  labels: z.array(z.string()),
  orig: z.object({ raters: z.number().int().positive() }),
  spans: z.array(z.object({ start: z.number().int(), end: z.number().int(), type: z.string() })),
});

const read = <T>(file: string, schema: z.ZodType<T>): T[] => readJsonl(path.join(NEWS, file), schema);

/**
 * One training comment: per word token, the share of raters who marked it (any type) and per
 * type. SemEval gold is untyped agreement: a word inside it counts as marked by all.
 */
interface Example {
  toxic: boolean;
  words: { key: string; start: number; end: number; marked: number; typed: Partial<Record<SpanType, number>> }[];
}

/** A token counts as inside a span when at least half its characters are. */
function coverage(start: number, end: number, covered: (i: number) => number): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += covered(i);
  return sum / (end - start);
}

function wordTokens(text: string) {
  return tokenize(text).filter((t) => t.kind === 'word' && t.letters > 0);
}

function fromTsd(row: z.infer<typeof TsdRow>, typed: Map<string, z.infer<typeof CivilRow>>): Example {
  const gold = new Set(row.spans);
  const civil = typed.get(row.text);
  return {
    toxic: true,
    words: wordTokens(row.text).map((t) => {
      const inGold = coverage(t.start, t.end, (i) => (gold.has(i) ? 1 : 0)) >= 0.5 ? 1 : 0;
      return { key: spanKey(t.text), start: t.start, end: t.end, marked: inGold, typed: civil ? typedShares(civil, t.start, t.end) : {} };
    }),
  };
}

/** Per type, the share of raters whose span of that type covers at least half the token. */
function typedShares(row: z.infer<typeof CivilRow>, start: number, end: number): Partial<Record<SpanType, number>> {
  const out: Partial<Record<SpanType, number>> = {};
  for (const s of row.spans) {
    const type = TYPE_OF[s.type];
    if (!type) continue;
    const share = coverage(start, end, (i) => (i >= s.start && i < s.end ? 1 : 0));
    if (share >= 0.5) out[type] = Math.min(1, (out[type] ?? 0) + 1 / row.orig.raters);
  }
  return out;
}

function fromCivil(row: z.infer<typeof CivilRow>): Example {
  const toxic = !(row.labels.length === 1 && row.labels[0] === 'clean');
  return {
    toxic,
    words: wordTokens(row.text).map((t) => {
      // Raters, not spans: one rater may mark a word under two types.
      const votes = row.spans.filter((s) => coverage(t.start, t.end, (i) => (i >= s.start && i < s.end ? 1 : 0)) >= 0.5).length;
      return { key: spanKey(t.text), start: t.start, end: t.end, marked: Math.min(1, votes / row.orig.raters), typed: typedShares(row, t.start, t.end) };
    }),
  };
}

interface Tally {
  n: number;
  marked: number;
  typed: Record<SpanType, number>;
  comments: number;
  toxicComments: number;
}

/** How far a word's shares are pulled towards the corpus rate: as if seen this often at that rate. */
const PRIOR_WEIGHT = 3;
/** Words rarer than this, or marked less often, are left out of the file: never used, only size. */
const MIN_COUNT = 3;
const MIN_MARKED = 0.1;
/** The lowest marked share the held-out check lets a comment's single best word have. */
const FLOOR = 0.1;

function learn(examples: readonly Example[]): SpanLexicon['words'] {
  const tallies = new Map<string, Tally>();
  const get = (k: string) => {
    let t = tallies.get(k);
    if (!t) tallies.set(k, (t = { n: 0, marked: 0, typed: { violence: 0, racism: 0, vulgarity: 0, discourtesy: 0 }, comments: 0, toxicComments: 0 }));
    return t;
  };
  let occurrences = 0;
  let markedTotal = 0;
  let comments = 0;
  let toxicComments = 0;
  for (const ex of examples) {
    comments++;
    if (ex.toxic) toxicComments++;
    for (const key of new Set(ex.words.map((w) => w.key))) {
      const t = get(key);
      t.comments++;
      if (ex.toxic) t.toxicComments++;
    }
    if (!ex.toxic) continue;
    for (const w of ex.words) {
      const t = get(w.key);
      t.n++;
      t.marked += w.marked;
      occurrences++;
      markedTotal += w.marked;
      for (const type of SPAN_TYPES) t.typed[type] += w.typed[type] ?? 0;
    }
  }
  const markedRate = markedTotal / occurrences;
  const toxicRate = toxicComments / comments;
  const words: SpanLexicon['words'] = {};
  const round = (x: number) => Math.round(x * 1000) / 1000;
  for (const [key, t] of [...tallies].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (t.n < MIN_COUNT) continue;
    const marked = (t.marked + PRIOR_WEIGHT * markedRate) / (t.n + PRIOR_WEIGHT);
    if (marked < MIN_MARKED) continue;
    const typedSum = SPAN_TYPES.reduce((s, type) => s + t.typed[type], 0);
    const types: LearnedWord['types'] = {};
    for (const type of SPAN_TYPES) {
      // Smoothed towards an even split, so one typed mark does not make a word 100 % one type.
      const share = (t.typed[type] + 0.25) / (typedSum + 1);
      if (share >= 0.05) types[type] = round(share);
    }
    words[key] = { n: t.n, marked: round(marked), toxic: round((t.toxicComments + PRIOR_WEIGHT * toxicRate) / (t.comments + PRIOR_WEIGHT)), types };
  }
  return words;
}

/**
 * A word list's span F1 on SemEval-gold comments, choosing words as the engine does: those marked
 * at least `at` and at least `relative` times the comment's most-marked word; when none reaches
 * `at`, the most-marked word alone if it reaches `floor`.
 */
function wordListF1(words: SpanLexicon['words'], held: readonly { text: string; gold: number[] }[], at: number, relative: number, floor: number): number {
  let sum = 0;
  for (const h of held) {
    const tokens = wordTokens(h.text);
    const marked = tokens.map((t) => words[spanKey(t.text)]?.marked ?? 0);
    const top = Math.max(0, ...marked);
    const cut = top >= at ? Math.max(at, relative * top) : top >= floor ? top : Infinity;
    sum += commentSpanF1(offsetsOf(tokens.filter((_, i) => marked[i] >= cut)), h.gold);
  }
  return sum / held.length;
}

/** A stable split of the training comments by a hash of the text, for the held-out check. */
function heldOut(text: string): boolean {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0) % 10 === 0;
}

function main(): void {
  const unseen = new Set([...read('tsd_trial.jsonl', TsdRow), ...read('civil_comments_val.jsonl', CivilRow)].map((r) => r.text));
  const tsd = read('tsd_train.jsonl', TsdRow).filter((r) => !unseen.has(r.text));
  const civil = read('civil_comments_train.jsonl', CivilRow).filter((r) => !unseen.has(r.text));
  const civilByText = new Map(civil.map((r) => [r.text, r]));
  const tsdTexts = new Set(tsd.map((r) => r.text));
  // SemEval's gold is the agreed span; a comment in both sets is learned from that gold, with
  // the Civil raters' types.
  const all: { text: string; ex: Example; gold: number[] | null }[] = [
    ...tsd.map((r) => ({ text: r.text, ex: fromTsd(r, civilByText), gold: r.spans })),
    ...civil.filter((r) => !tsdTexts.has(r.text)).map((r) => ({ text: r.text, ex: fromCivil(r), gold: null })),
  ];
  console.log(`learning from ${tsd.length} SemEval train comments and ${all.length - tsd.length} other Civil train comments (${unseen.size} validation/trial texts left out)`);

  // Held-out check on a tenth of the SemEval comments: which marked share makes a good cut.
  const fit = learn(all.filter((a) => !heldOut(a.text)).map((a) => a.ex));
  const held = all.filter((a) => heldOut(a.text) && a.gold !== null).map((a) => ({ text: a.text, gold: a.gold! }));
  console.log(`held-out SemEval train (${held.length} comments), span F1 of the learned words as evidence:`);
  for (const at of [0.2, 0.25, 0.3, 0.35]) {
    const cells = [0, 0.5, 0.6, 0.7].map((relative) => `relative ${relative}: ${wordListF1(fit, held, at, relative, FLOOR).toFixed(3)}`);
    console.log(`  marked ≥ ${at}  ${cells.join('  ')}`);
  }
  console.log(`  (the most-marked word alone when none reaches the cut, down to marked ${FLOOR}; without that fallback at 0.3: ${wordListF1(fit, held, 0.3, 0, 1.01).toFixed(3)})`);

  const words = learn(all.map((a) => a.ex));
  const lexicon: SpanLexicon = SpanLexiconSchema.parse({
    description:
      'Which words people mark as toxic in news comments (SemEval-2021 Task 5 gold spans and Civil Comments typed spans), per kind of toxicity. Derived by scripts/train-spans.ts; do not edit by hand.',
    trainedOn: {
      semevalTrainComments: tsd.length,
      civilTrainComments: all.length - tsd.length,
      priorWeight: PRIOR_WEIGHT,
      minCount: MIN_COUNT,
      minMarked: MIN_MARKED,
    },
    words,
  });
  const json = JSON.stringify(lexicon) + '\n';
  console.log(`${Object.keys(words).length} words, ${(json.length / 1024).toFixed(0)} KB`);
  if (!process.argv.includes('--dry')) {
    fs.writeFileSync(OUT, json);
    console.log(`wrote ${path.relative(process.cwd(), OUT)}`);
  }
}

main();
