// The labelled training rows, as `npm run train` and the setting search read them.
import fs from 'node:fs';
import path from 'node:path';
import { type TrainingRow, TrainingRowSchema } from '../src/engine/classifier/train';

export const DATASETS_DIR = process.env.DATASETS_DIR ?? path.resolve(__dirname, '..', '..', 'shared', 'datasets');

export const TRAIN_FILES = ['tweeteval_offensive_train.jsonl', 'tweeteval_hate_train.jsonl', 'davidson_train.jsonl'];

/**
 * News comments typed by their raters, and toxic sentences beside their neutral rewrites. Added
 * to the English model only with `train.ts --news`: measured, they did not raise the engine's
 * Civil Comments figure and flagged news prose (docs/CLASSIFIER.md).
 */
export const NEWS_TRAIN_FILES = ['news/civil_comments_train.jsonl', 'news/paradetox_en_train.jsonl'];

/** The Cyrillic model's rows: Russian comments from 2ch and pikabu, toxic or clean. */
export const RU_TRAIN_FILES = ['news/ru_toxic_train.jsonl'];

/**
 * The Russian set's one label, toxic, is read as discourtesy: its toxic comments are mostly
 * insults, and the engine files a flag under the head that scores highest. Its clean rows stay
 * clean, so the racism and vulgarity heads see only negatives and stay low: Russian slurs and
 * мат are the lexicon's to find.
 */
export function asRussianRows(rows: TrainingRow[]): TrainingRow[] {
  return rows.map((r) => (r.labels.includes('toxic_unspecified') ? { ...r, labels: ['discourtesy'] } : r));
}

/** One JSONL file of DATASETS_DIR, each line checked; a bad line names its file and number. */
export function readTrainingRows(file: string): TrainingRow[] {
  return fs
    .readFileSync(path.join(DATASETS_DIR, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const row = TrainingRowSchema.safeParse(JSON.parse(line));
      if (!row.success) throw new Error(`${file}:${i + 1}: ${row.error.issues[0].message}`);
      return row.data;
    });
}
