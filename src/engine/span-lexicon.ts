import { z } from 'zod';

/**
 * The kinds of toxicity people typed when they marked spans of news comments, named by the
 * category each maps to (Insult → discourtesy, Identity based Attack → racism, Profane/Obscene →
 * vulgarity, Threat → violence). The data does not tell profanity from vulgarity.
 */
export const SPAN_TYPES = ['violence', 'racism', 'vulgarity', 'discourtesy'] as const;
export type SpanType = (typeof SPAN_TYPES)[number];

/**
 * What the training data says about one word (its folded form, as the tokenizer writes it).
 * Derived by `scripts/train-spans.ts`; every share is smoothed towards the corpus rate, so a
 * word seen twice cannot reach the extremes.
 */
export const LearnedWordSchema = z.object({
  /** Occurrences in toxic training comments. */
  n: z.number().int().positive(),
  /** Share of those occurrences that people marked as toxic. */
  marked: z.number().min(0).max(1),
  /** Share of the comments containing the word that were judged toxic (clean ones included). */
  toxic: z.number().min(0).max(1),
  /** Of the marks with a type, the share of each type; absent types are 0. */
  types: z.partialRecord(z.enum(SPAN_TYPES), z.number().min(0).max(1)),
});
export type LearnedWord = z.infer<typeof LearnedWordSchema>;

/** A learned span lexicon (models/spans.json): which words people mark, per kind of toxicity. */
export const SpanLexiconSchema = z.object({
  description: z.string(),
  /** How the file was made: data sets, row counts, smoothing; for a reader, never for the engine. */
  trainedOn: z.record(z.string(), z.union([z.string(), z.number()])),
  words: z.record(z.string(), LearnedWordSchema),
});
export type SpanLexicon = z.infer<typeof SpanLexiconSchema>;

/** Characters the tokenizer keeps in a word as possible leetspeak ("hypocrites!!!") that end it as punctuation. */
const TRAILING = new Set(['!', '|', '+']);

/**
 * The key a word is learned and looked up under: its folded text without trailing punctuation
 * the tokenizer kept as possible leetspeak, and without a possessive 's.
 */
export function spanKey(text: string): string {
  let end = text.length;
  while (end > 1 && TRAILING.has(text[end - 1])) end--;
  if (end > 2 && text[end - 2] === "'" && text[end - 1] === 's') end -= 2;
  return end === text.length ? text : text.slice(0, end);
}
