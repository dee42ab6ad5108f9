// The labelled training rows, as `npm run train` and the setting search read them.
import path from 'node:path';
import { type TrainingRow, TrainingRowSchema } from './classifier/train';
import { readJsonl } from './eval/data';

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

/** The Russian validation split: it calibrates the Cyrillic model (scripts/russian-head.ts). */
export const RU_VALIDATION_FILE = 'news/ru_toxic_val.jsonl';

const ADJECTIVE_STEMS = [
  'русск', 'украинск', 'российск', 'еврейск', 'американск', 'грузинск', 'армянск', 'чеченск', 'татарск', 'немецк',
  'польск', 'казахск', 'белорусск', 'таджикск', 'узбекск', 'кавказск', 'европейск', 'христианск', 'мусульманск',
  'исламск', 'цыганск',
];
const ADJECTIVE_ENDINGS = ['ий', 'ая', 'ое', 'ие', 'ого', 'ой', 'ому', 'им', 'ую', 'их', 'ими', 'ом'];
const NOUN_FORMS: Record<string, string[]> = {
  // -ец nouns lose the е: украинец, украинца, украинцы
  ец: ['ец', 'ца', 'цу', 'цем', 'це', 'цы', 'цев', 'цам', 'цами', 'цах'],
  // -анин nouns: россиянин, россияне, россиян
  анин: ['анин', 'анина', 'анину', 'анином', 'анине', 'ане', 'ан', 'анам', 'анами', 'анах'],
  '': ['', 'а', 'у', 'ом', 'е', 'ы', 'ов', 'ам', 'ами', 'ах'],
};
const NOUNS: [string, keyof typeof NOUN_FORMS][] = [
  ['украин', 'ец'], ['чечен', 'ец'], ['американ', 'ец'], ['нем', 'ец'], ['кавказ', 'ец'], ['бежен', 'ец'],
  ['росси', 'анин'], ['арм', 'анин'], ['мусульм', 'анин'], ['христи', 'анин'], ['грузин', ''], ['поляк', ''],
  ['казах', ''], ['белорус', ''], ['мигрант', ''], ['татар', ''], ['таджик', ''], ['узбек', ''],
];

/**
 * Neutral words for a nationality or faith, in their Russian inflections (and a few Ukrainian
 * ones), which the Cyrillic model reads as names (TrainOptions.names.always). In forum flame wars
 * "русский" and "украинцы" are mostly in toxic comments; read as words, they made "Как русский, я
 * считаю…" toxic. Slurs (хохол, москаль, жид) are not here: the lexicon flags them.
 */
export function russianIdentityWords(): string[] {
  const words = ADJECTIVE_STEMS.flatMap((s) => ADJECTIVE_ENDINGS.map((e) => s + e));
  for (const [stem, kind] of NOUNS) words.push(...NOUN_FORMS[kind].map((e) => stem + e));
  words.push('еврей', 'еврея', 'еврею', 'евреем', 'евреи', 'евреев', 'евреям', 'евреями', 'гей', 'геи', 'геев', 'геям');
  words.push('українець', 'українці', 'українців', 'українка', 'російський', 'росіяни', 'росіянин', 'росіян');
  return words;
}

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
  return readJsonl(path.join(DATASETS_DIR, file), TrainingRowSchema);
}
