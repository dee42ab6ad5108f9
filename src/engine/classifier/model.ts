import { z } from 'zod';

/**
 * The heads every model carries. There is no `violence` head: no training set in
 * ../shared/datasets labels threats (OLID's level C says who an insult targets, not whether it
 * threatens), so the rules decide that category alone.
 */
export const HEADS = ['offensive', 'racism', 'discourtesy', 'vulgarity'] as const;
export type Head = (typeof HEADS)[number];

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const FeatureConfigSchema = z.object({
  bits: z.number().int().min(8).max(30),
  bigrams: z.boolean(),
  charMin: z.number().int().min(1).max(8),
  charMax: z.number().int().min(0).max(8),
  variants: z.boolean(),
  /** Trained with lexicon hits: pass the analysis' hits to `score`, or the scores run low. */
  lexicon: z.boolean(),
  /** Register features of the whole comment (features.ts metaFeatures); absent: off. */
  meta: z.boolean().optional(),
  /** Per feature group (word, char, lexicon, meta), a multiplier of its features' values; absent: 1. */
  groupScale: z.array(z.number().positive()).length(4).optional(),
  /** Word trigrams (features.ts wordFeatures); absent: off. */
  trigrams: z.boolean().optional(),
});

export const HeadSchema = z.object({
  name: z.enum(HEADS),
  /** Logit of an empty text, before calibration. */
  bias: z.number(),
  /** Quantised weight q stands for q * scale. */
  scale: z.number().positive(),
  /** Platt scaling fitted on held-out training rows: p = 1 / (1 + exp(-(a * logit + b))). */
  calibration: z.object({ a: z.number(), b: z.number() }),
  /** Share of positives in the calibration slice: the base rate that 0.5 is relative to. */
  baseRate: z.number().min(0).max(1),
  /** What the head was taught, in words, so the file explains itself. */
  labels: z.string(),
});
export type ClassifierHead = z.infer<typeof HeadSchema>;

/** models/classifier.json. Written by scripts/train.ts, read by whoever builds the engine. */
export const ClassifierModelSchema = z
  .object({
    format: z.literal('decorum-classifier'),
    version: z.literal(1),
    features: FeatureConfigSchema,
    heads: z.array(HeadSchema).min(1),
    /** Kept feature buckets, ascending, as little-endian uint32, base64. */
    keys: z.string().regex(BASE64),
    /** Int8 weights, feature-major: weights[k * heads.length + h], base64. */
    weights: z.string().regex(BASE64),
    /** Hashes of the words read as proper names (features.ts NameSet), little-endian uint32, base64. */
    names: z.string().regex(BASE64),
    /** How the model was made; informational, never read by the scorer. */
    training: z.object({
      seed: z.number().int(),
      epochs: z.number().int().positive(),
      l2: z.number().nonnegative(),
      learningRate: z.number().positive(),
      rows: z.record(z.string(), z.number().int().nonnegative()),
      featuresKept: z.number().int().nonnegative(),
      holdout: z.record(z.string(), z.record(z.string(), z.number())),
    }),
  })
  .refine((m) => m.features.charMax === 0 || m.features.charMin <= m.features.charMax, {
    message: 'charMin must not exceed charMax',
  })
  .refine((m) => m.heads.length === HEADS.length && HEADS.every((h) => m.heads.some((x) => x.name === h)), {
    message: `heads must be exactly ${HEADS.join(', ')}`,
  });
export type ClassifierModel = z.infer<typeof ClassifierModelSchema>;
