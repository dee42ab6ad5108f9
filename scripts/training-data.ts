// The labelled training rows, as `npm run train` and the setting search read them.
import fs from 'node:fs';
import path from 'node:path';
import { type TrainingRow, TrainingRowSchema } from '../src/engine/classifier/train';

export const DATASETS_DIR = process.env.DATASETS_DIR ?? path.resolve(__dirname, '..', '..', 'shared', 'datasets');

export const TRAIN_FILES = ['tweeteval_offensive_train.jsonl', 'tweeteval_hate_train.jsonl', 'davidson_train.jsonl'];

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
