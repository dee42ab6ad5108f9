import { z } from 'zod';
import { CommentTextSchema } from '../domain/comment';
import { type Assessment, AssessmentSchema, CATEGORIES, type Category } from '../engine';
import { compatScore } from './score';

/**
 * OpenAI's moderation API (`POST /v1/moderations`), spoken by Decorum so that code written for
 * OpenAI's client works when pointed at Decorum. Only the shape is OpenAI's: the judgement is
 * Decorum's policy, and each result also carries Decorum's own categories with their evidence.
 */

/** One text, or a batch: OpenAI accepts both. Image inputs are refused: Decorum reads text only. */
export const OpenAIModerationRequestSchema = z
  .object({
    input: z.union([
      CommentTextSchema,
      z.array(CommentTextSchema).min(1, 'input must hold at least one text').max(32, 'at most 32 texts per request'),
      z
        .array(z.object({ type: z.literal('text'), text: CommentTextSchema }).strict())
        .min(1)
        .max(32),
    ]),
    model: z.string().max(100).optional(),
  })
  .strict();
export type OpenAIModerationRequest = z.infer<typeof OpenAIModerationRequestSchema>;

/** OpenAI's category names, in the order its documentation lists them. */
export const OPENAI_CATEGORIES = [
  'harassment',
  'harassment/threatening',
  'hate',
  'hate/threatening',
  'illicit',
  'illicit/violent',
  'self-harm',
  'self-harm/intent',
  'self-harm/instructions',
  'sexual',
  'sexual/minors',
  'violence',
  'violence/graphic',
] as const;
export type OpenAICategory = (typeof OPENAI_CATEGORIES)[number];

/**
 * Where each OpenAI category's answer comes from: one Decorum category, or two that must both be
 * flagged (a threat that is also hate). Categories Decorum has no detector for answer false and 0,
 * never a guess.
 */
export const OPENAI_MAPPING: Record<OpenAICategory, readonly Category[]> = {
  harassment: ['discourtesy'],
  'harassment/threatening': ['violence'],
  hate: ['racism'],
  'hate/threatening': ['racism', 'violence'],
  illicit: [],
  'illicit/violent': [],
  'self-harm': [],
  'self-harm/intent': [],
  'self-harm/instructions': [],
  sexual: ['vulgarity'],
  'sexual/minors': [],
  violence: ['violence'],
  'violence/graphic': [],
};

/**
 * Decorum's categories that no OpenAI category reads (profanity, all_caps, spam): they answer
 * under their own names, next to OpenAI's, in `categories`, `category_scores` and
 * `category_applied_input_types`. So `flagged` is true exactly when some category is true, and a
 * client sees which: "What a f*ck up in Syria." is flagged with `profanity: true`.
 */
export const DECORUM_ONLY_CATEGORIES = CATEGORIES.filter((c) => !Object.values(OPENAI_MAPPING).some((from) => from.includes(c)));
type DecorumOnlyCategory = (typeof DECORUM_ONLY_CATEGORIES)[number];
export const RESULT_CATEGORIES: readonly (OpenAICategory | DecorumOnlyCategory)[] = [...OPENAI_CATEGORIES, ...DECORUM_ONLY_CATEGORIES];

const perCategory = <T extends z.ZodType>(value: T) =>
  z.object(Object.fromEntries(RESULT_CATEGORIES.map((c) => [c, value])) as Record<OpenAICategory | DecorumOnlyCategory, T>);

export const OpenAIModerationResultSchema = z.object({
  flagged: z.boolean(),
  categories: perCategory(z.boolean()),
  category_scores: perCategory(z.number().min(0).max(1)),
  category_applied_input_types: perCategory(z.array(z.enum(['text', 'image']))),
  /** Decorum's own reading: every category, its evidence spans and the rule that fired each. */
  decorum: AssessmentSchema.pick({ decision: true, categories: true, policyVersion: true }),
});
export type OpenAIModerationResult = z.infer<typeof OpenAIModerationResultSchema>;

export const OpenAIModerationResponseSchema = z.object({
  id: z.string(),
  model: z.string(),
  results: z.array(OpenAIModerationResultSchema),
});

export function texts(request: OpenAIModerationRequest): string[] {
  const { input } = request;
  if (typeof input === 'string') return [input];
  return input.map((item) => (typeof item === 'string' ? item : item.text));
}

/**
 * `flagged` is Decorum's: true when any of its categories is flagged, including the ones OpenAI
 * has no name for (a swear word), so a client that only reads `flagged` enforces the whole policy;
 * those answer under their own names (DECORUM_ONLY_CATEGORIES), so some category is always true
 * when `flagged` is.
 */
export function toOpenAIResult(a: Assessment): OpenAIModerationResult {
  type Name = (typeof RESULT_CATEGORIES)[number];
  const categories = {} as Record<Name, boolean>;
  const scores = {} as Record<Name, number>;
  const applied = {} as Record<Name, ('text' | 'image')[]>;
  for (const name of RESULT_CATEGORIES) {
    const from = (name in OPENAI_MAPPING ? OPENAI_MAPPING[name as OpenAICategory] : [name as Category]).map((c) => a.categories[c]);
    categories[name] = from.length > 0 && from.every((r) => r.flagged);
    scores[name] = from.length > 0 ? Math.min(...from.map(compatScore)) : 0;
    applied[name] = from.length > 0 ? ['text'] : [];
  }
  const flagged = Object.values(a.categories).some((r) => r.flagged);
  return {
    flagged,
    categories,
    category_scores: scores,
    category_applied_input_types: applied,
    decorum: { decision: a.decision, categories: a.categories, policyVersion: a.policyVersion },
  };
}
