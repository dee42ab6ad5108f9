// Candidate English models with news comments in their training mix, each scored as the whole
// engine would ship it: Civil Comments validation (macro-F1, rows labelled violence and racism
// flagged), TweetEval offensive and hate validation, the threat and identity fixtures' clean
// news sentences, the suite's edge and Scunthorpe cases and the seed-article sentences, at a grid
// of classifier thresholds. Nothing is written to models/: this is how docs/CLASSIFIER.md's
// "News comments in the English model" table is measured.
//   npx tsx scripts/news-heads.ts                 every mix below
//   npx tsx scripts/news-heads.ts shipped news    only the named mixes
import path from 'node:path';
import { type CompiledPolicy, moderate } from '../src/engine';
import { analyze } from '../src/engine/analyze';
import { createClassifier } from '../src/engine/classifier/score';
import { binaryMetrics, DEFAULT_TRAIN_OPTIONS, type PreparedRow, prepareRows, trainFromPrepared } from './classifier/train';
import type { Head } from '../src/engine/classifier/model';
import { loadPolicy } from '../src/policies';
import { loadSeedSentences, loadSuite } from './eval/data';
import { NEWS_TRAIN_FILES, readTrainingRows, TRAIN_FILES } from './training-data';

const ROOT = path.resolve(__dirname, '..');
const SEEDS_DIR = process.env.SEEDS_DIR ?? path.resolve(ROOT, '..', 'shared', 'seeds');
const ANNOTATED = ['violence', 'racism', 'profanity', 'vulgarity', 'discourtesy'] as const;

type Weights = Partial<Record<Head, Record<string, number>>>;
const SHIPPED = DEFAULT_TRAIN_OPTIONS.datasetWeights;
/** Each mix: per head, the weight of each data set (missing: 1), on top of the shipped weights. */
const MIXES: Record<string, Weights | null> = {
  shipped: null,
  // Civil typed by its raters (Insult, Identity based Attack, Profane/Obscene) and ParaDetox's pairs.
  news: {},
  // ParaDetox's pairs only: tone, not topic.
  paradetox: { offensive: { civil: 0 }, racism: { civil: 0 }, discourtesy: { civil: 0 }, vulgarity: { civil: 0 } },
  'paradetox x0.5': {
    offensive: { civil: 0, paradetox: 0.5 },
    racism: { civil: 0, paradetox: 0.5 },
    discourtesy: { civil: 0, paradetox: 0.5 },
    vulgarity: { civil: 0, paradetox: 0.5 },
  },
  // Civil's Identity based Attack spans for the racism head only, ParaDetox for the others.
  'civil racism + paradetox': { offensive: { civil: 0 }, racism: { paradetox: 0 }, discourtesy: { civil: 0 }, vulgarity: { civil: 0 } },
};
const GRID: { flagAt: number; racism: number }[] = [
  { flagAt: 0.4, racism: 0.8 },
  { flagAt: 0.45, racism: 0.8 },
  { flagAt: 0.5, racism: 0.8 },
  { flagAt: 0.6, racism: 0.8 },
  { flagAt: 0.4, racism: 0.6 },
];

const isClean = (labels: readonly string[]) => labels.length === 1 && labels[0] === 'clean';
const macro = (flagged: boolean[], gold: boolean[]) =>
  (100 * binaryMetrics(flagged.map(Number), gold.map(Number)).macroF1).toFixed(1);

function scoreEngine(policy: CompiledPolicy): string {
  const flags = (text: string) => moderate(text, policy).categories;
  const annotated = (text: string) => {
    const c = flags(text);
    return ANNOTATED.some((k) => c[k].flagged);
  };
  const civil = readTrainingRows('news/civil_comments_val.jsonl');
  const civilFlagged = civil.map((r) => annotated(r.text));
  const share = (label: string) => {
    const rows = civil.map((r, i) => (r.labels.includes(label) ? i : -1)).filter((i) => i >= 0);
    return `${rows.filter((i) => civilFlagged[i]).length}/${rows.length}`;
  };
  const offensive = readTrainingRows('tweeteval_offensive_val.jsonl');
  const hate = readTrainingRows('tweeteval_hate_val.jsonl');
  const clean = ['threats', 'identity']
    .flatMap((f) => loadSuite(path.join(ROOT, 'tests', 'fixtures', `${f}.jsonl`)))
    .filter((c) => c.tags.includes('news-clean') && annotated(c.text));
  const edge = loadSuite(path.join(ROOT, 'tests', 'fixtures', 'suite.jsonl')).filter(
    (c) => c.labels.length === 0 && (c.tags.includes('edge') || c.tags.includes('scunthorpe')) && Object.values(flags(c.text)).some((r) => r.flagged),
  );
  const seeds = (loadSeedSentences(SEEDS_DIR) ?? []).filter((s) => annotated(s.text));
  return [
    `Civil ${macro(civilFlagged, civil.map((r) => !isClean(r.labels)))}`,
    `violence ${share('violence')}`,
    `racism ${share('racism')}`,
    `TweetEval offensive ${macro(offensive.map((r) => annotated(r.text)), offensive.map((r) => !isClean(r.labels)))}`,
    `hate ${macro(hate.map((r) => flags(r.text).racism.flagged), hate.map((r) => !isClean(r.labels)))}`,
    `fixture clean flagged ${clean.length} (${clean.map((c) => c.id).join(', ')})`,
    `edge ${edge.length}`,
    `seed sentences flagged ${seeds.length}`,
  ].join(' | ');
}

function withThresholds(base: CompiledPolicy, flagAt: number, racism: number): CompiledPolicy {
  const doc = structuredClone(base.doc);
  doc.classifier!.flagAt = flagAt;
  doc.classifier!.headFlagAt.racism = racism;
  return { ...base, doc };
}

function main(): void {
  const base = loadPolicy();
  const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(MIXES);
  let prepared: PreparedRow[] | null = null;
  for (const name of names) {
    if (!(name in MIXES)) throw new Error(`unknown mix "${name}": ${Object.keys(MIXES).join(', ')}`);
    const weights = MIXES[name];
    let policy = base;
    if (weights) {
      prepared ??= prepareRows([...TRAIN_FILES, ...NEWS_TRAIN_FILES].flatMap(readTrainingRows), (t) => analyze(t, base.lexicon));
      const datasetWeights: Weights = { ...SHIPPED };
      for (const [head, w] of Object.entries(weights) as [Head, Record<string, number>][]) datasetWeights[head] = { ...SHIPPED[head], ...w };
      const { model } = trainFromPrepared(prepared, { ...DEFAULT_TRAIN_OPTIONS, datasetWeights });
      policy = { ...base, classifier: createClassifier(model) };
    }
    for (const { flagAt, racism } of GRID) console.log(`${name}, flagAt ${flagAt}, racism ${racism}: ${scoreEngine(withThresholds(policy, flagAt, racism))}`);
  }
}

main();
