// Trains the statistical classifiers from ../shared/datasets and writes models/classifier.json
// (English) and models/classifier-ru.json (Cyrillic, scripts/russian-head.ts).
//   npx tsx scripts/train.ts            train with the chosen settings, print validation figures
//   npx tsx scripts/train.ts --search   also compare candidate settings on held-out TRAIN rows
//   npx tsx scripts/train.ts --news     the English model with Civil Comments and ParaDetox added
// The English validation splits are only ever scored, never used to choose anything; the Russian
// one calibrates the Cyrillic model (scripts/russian-head.ts).
import fs from 'node:fs';
import path from 'node:path';
import { HEADS, type Head } from '../src/engine/classifier/model';
import { createClassifier } from '../src/engine/classifier/score';
import {
  type BinaryMetrics,
  binaryMetrics,
  DEFAULT_TRAIN_OPTIONS,
  headTarget,
  prepareRows,
  type TrainOptions,
  trainFromPrepared,
} from './classifier/train';
import { analyze } from '../src/engine/analyze';
import { loadPolicy } from '../src/policies';
import { NEWS_TRAIN_FILES, readTrainingRows, TRAIN_FILES } from './training-data';
import { reportRussianHead, trainRussianHead, writeRussianHead } from './russian-head';

const MODEL_PATH = path.resolve(__dirname, '..', 'models', 'classifier.json');

/** Which heads each validation split can measure (README.md of the data sets). */
const VALIDATION: { file: string; heads: Head[] }[] = [
  { file: 'tweeteval_offensive_val.jsonl', heads: ['offensive', 'discourtesy', 'vulgarity', 'racism'] },
  { file: 'tweeteval_hate_val.jsonl', heads: ['racism'] },
  { file: 'news/civil_comments_val.jsonl', heads: ['offensive', 'discourtesy', 'vulgarity', 'racism'] },
];

const pct = (x: number) => (100 * x).toFixed(1).padStart(5);

function line(label: string, m: BinaryMetrics): string {
  return `${label.padEnd(40)} n=${String(m.n).padStart(5)} pos=${String(m.positives).padStart(5)}  P ${pct(m.precision)}  R ${pct(m.recall)}  F1 ${pct(m.f1)}  macro-F1 ${pct(m.macroF1)}  AUC ${pct(m.auc)}`;
}

/**
 * Candidate settings, compared on held-out TRAIN rows of each head's home data set: one change
 * at a time from the defaults. Heads train independently, so one run can try a different data
 * mix for each head.
 */
function candidates(): { name: string; options: TrainOptions }[] {
  const base = DEFAULT_TRAIN_OPTIONS;
  const f = base.features;
  const variant = (name: string, change: Partial<TrainOptions>) => ({ name, options: { ...base, ...change } });
  return [
    variant('default', {}),
    variant('words only', { features: { ...f, charMax: 0, lexicon: false } }),
    variant('words+lexicon', { features: { ...f, charMax: 0 } }),
    variant('words+char3-5', { features: { ...f, lexicon: false } }),
    variant('char 2-4', { features: { ...f, charMin: 2, charMax: 4 } }),
    variant('no variants', { features: { ...f, variants: false } }),
    variant('no bigrams', { features: { ...f, bigrams: false } }),
    variant('names keep their own features', { names: null }),
    variant('l2=1e-4', { l2: 1e-4 }),
    variant('l2=3e-3', { l2: 3e-3 }),
    variant('lr=0.2', { learningRate: 0.2 }),
    variant('epochs=4 lr=0.05', { epochs: 4, learningRate: 0.05 }),
    variant('all data, weight 1', { datasetWeights: {} }),
    variant('offensive: + Davidson, HatEval x0.2', {
      datasetWeights: { ...base.datasetWeights, offensive: { davidson: 0.2, tweeteval_hate: 0.2 } },
    }),
    variant('racism: HatEval only', {
      datasetWeights: { ...base.datasetWeights, racism: { davidson: 0, tweeteval_offensive: 0 } },
    }),
    variant('racism: + OLID group', {
      datasetWeights: { ...base.datasetWeights, racism: { 'davidson:0': 0 } },
    }),
    variant('20k features', { maxFeatures: 20_000 }),
    variant('150k features', { maxFeatures: 150_000 }),
  ];
}

/** The data set whose held-out rows decide a head's settings: the one that defines the head. */
const HOME: Record<Head, string> = {
  offensive: 'tweeteval_offensive',
  racism: 'tweeteval_hate',
  discourtesy: 'tweeteval_offensive',
  vulgarity: 'all',
};

function trainAndReport(
  title: string,
  prepared: ReturnType<typeof prepareRows>,
  options: TrainOptions,
  modelPath: string,
  validation: typeof VALIDATION,
  read: (text: string) => ReturnType<typeof analyze>,
): void {
  const tTrain = performance.now();
  const { model, holdout } = trainFromPrepared(prepared, options);
  const trainSeconds = (performance.now() - tTrain) / 1000;
  const json = `${JSON.stringify(model, null, 2)}\n`;
  fs.mkdirSync(path.dirname(modelPath), { recursive: true });
  fs.writeFileSync(modelPath, json);
  console.log(
    `\n${title}: trained in ${trainSeconds.toFixed(1)} s; wrote ${path.relative(process.cwd(), modelPath)} ` +
      `(${(json.length / 1024 / 1024).toFixed(2)} MB, ${model.training.featuresKept} features)`,
  );

  console.log('\nheld-out TRAIN rows (calibration slice):');
  for (const h of HEADS) for (const [d, m] of Object.entries(holdout[h])) console.log(line(`${h} / ${d}`, m));

  const classifier = createClassifier(model);
  console.log('\nVALIDATION splits (threshold 0.5 on calibrated scores):');
  for (const v of validation) {
    const val = readTrainingRows(v.file);
    const scored = val.map((r) => {
      const a = read(r.text);
      return classifier.score(a.tokens, { hits: a.hits }).heads;
    });
    for (const head of v.heads) {
      const p: number[] = [];
      const y: number[] = [];
      val.forEach((r, i) => {
        const t = headTarget(head, r);
        if (t === null) return;
        p.push(scored[i][head]);
        y.push(t);
      });
      console.log(line(`${head} / ${v.file.replace('.jsonl', '')}`, binaryMetrics(p, y)));
    }
  }
}

function main(): void {
  const t0 = performance.now();
  const rows = [...TRAIN_FILES, ...(process.argv.includes('--news') ? NEWS_TRAIN_FILES : [])].flatMap(readTrainingRows);
  const policy = loadPolicy(undefined, { models: false });
  const read = (text: string) => analyze(text, policy.lexicon);
  const prepared = prepareRows(rows, read);
  const tTok = performance.now();
  console.log(`read and tokenized ${rows.length} training rows in ${((tTok - t0) / 1000).toFixed(1)} s`);

  if (process.argv.includes('--search')) {
    for (const c of candidates()) {
      const s = performance.now();
      const { holdout } = trainFromPrepared(prepared, c.options);
      const home = HEADS.map((h) => holdout[h][HOME[h]]);
      const mean = home.reduce((a, m) => a + m.macroF1, 0) / home.length;
      console.log(
        `${c.name.padEnd(26)} macro-F1 ${pct(mean)} | ` +
          HEADS.map((h, i) => `${h} ${pct(home[i].macroF1)} auc ${pct(home[i].auc)} ll ${home[i].logLoss.toFixed(3)}`).join(' | ') +
          `  ${((performance.now() - s) / 1000).toFixed(1)} s`,
      );
    }
    return;
  }

  trainAndReport('English', prepared, DEFAULT_TRAIN_OPTIONS, MODEL_PATH, VALIDATION, read);

  // The Cyrillic model: Russian comments only, so its features and calibration are its own.
  console.log('\nCyrillic:');
  writeRussianHead(trainRussianHead(read));
  reportRussianHead();
  console.log(`\ntotal ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

main();
