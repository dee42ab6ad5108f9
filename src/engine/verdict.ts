import { z } from 'zod';
import { CATEGORIES, DECISIONS, SEVERITIES } from './categories';

/**
 * One piece of evidence: where in the submitted text, and which rule fired.
 * `start`/`end` are UTF-16 offsets into the text exactly as submitted, so a UI can
 * highlight `text.slice(start, end)` without re-normalising anything.
 */
export const EvidenceSchema = z.object({
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  text: z.string(),
  rule: z.string(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

/**
 * The one rounding rule for scores: 4 decimal places (half away from zero, as Math.round does for
 * these positive numbers), applied once, when the engine makes the verdict. Every surface (API
 * answers, stored verdicts, webhooks, the compatible APIs) shows that number; a policy's lines
 * compare the unrounded probability.
 */
export const SCORE_DECIMALS = 4;
export const roundScore = (x: number): number => Math.round(x * 10 ** SCORE_DECIMALS) / 10 ** SCORE_DECIMALS;

export const CategoryResultSchema = z.object({
  score: z.number().min(0).max(1),
  flagged: z.boolean(),
  severity: z.enum(SEVERITIES).nullable(),
  evidence: z.array(EvidenceSchema),
});
export type CategoryResult = z.infer<typeof CategoryResultSchema>;

export const CategoriesSchema = z.object(
  Object.fromEntries(CATEGORIES.map((c) => [c, CategoryResultSchema])) as {
    [K in (typeof CATEGORIES)[number]]: typeof CategoryResultSchema;
  },
);
export type Categories = z.infer<typeof CategoriesSchema>;

/** A detector that threw or ran over its budget, and what the policy did about it. */
export const DetectorFailureSchema = z.object({
  detector: z.string(),
  reason: z.enum(['error', 'timeout']),
  action: z.enum(['hold', 'continue']),
  message: z.string(),
});
export type DetectorFailure = z.infer<typeof DetectorFailureSchema>;

/** Where a comment longer than the policy scores (its `maxChars`) was cut. */
export const CutSchema = z.object({
  /** UTF-16 offset of the first unit not read: text.slice(0, at) was scored. */
  at: z.number().int().nonnegative(),
  /** The whole text's length in UTF-16 units. */
  length: z.number().int().nonnegative(),
});
export type Cut = z.infer<typeof CutSchema>;

/** What the pure engine returns: no clock, no identity. */
export const AssessmentSchema = z.object({
  decision: z.enum(DECISIONS),
  categories: CategoriesSchema,
  policyVersion: z.string(),
  failures: z.array(DetectorFailureSchema),
  /** Present only when the text was longer than the policy scores. */
  cut: CutSchema.optional(),
});
export type Assessment = z.infer<typeof AssessmentSchema>;

/** The verdict every surface shows: an assessment plus who decided and when. */
export const VerdictSchema = AssessmentSchema.extend({
  decidedBy: z.string(), // "auto" or a moderator id
  decidedAt: z.string(), // ISO 8601
  reason: z.string().optional(), // a moderator's note
});
export type Verdict = z.infer<typeof VerdictSchema>;
