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
  /**
   * Two-word contexts ("first second") whose marked share differs from that of their words: a
   * bigram entry overrides the unigram entry of the word it names in `word` (0 first, 1 second).
   */
  bigrams: z.record(z.string(), LearnedWordSchema.extend({ word: z.union([z.literal(0), z.literal(1)]) })).default({}),
});
export type SpanLexicon = z.infer<typeof SpanLexiconSchema>;
