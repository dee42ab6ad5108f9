import { z } from 'zod';
import { CommentTextSchema } from '../domain/comment';
import { type Assessment, type Category, type CategoryResult, roundScore } from '../engine';
import { hasUkrainianLetter } from '../engine/classifier/script';
import { compatScore } from './score';

/**
 * Perspective's Comment Analyzer (`POST /v1alpha1/comments:analyze`), spoken by Decorum so that
 * tools built on Perspective (Coral Talk's toxicity setting among them) can point at it. Scores
 * come from Decorum's categories through the mapping below; spans are Decorum's evidence, in the
 * UTF-16 offsets Perspective uses.
 */

/** Perspective's attributes Decorum can answer, and the categories each one reads. */
export const PERSPECTIVE_MAPPING = {
  TOXICITY: ['violence', 'racism', 'profanity', 'vulgarity', 'discourtesy'],
  SEVERE_TOXICITY: ['violence', 'racism', 'profanity', 'vulgarity', 'discourtesy'],
  IDENTITY_ATTACK: ['racism'],
  INSULT: ['discourtesy'],
  PROFANITY: ['profanity', 'vulgarity'],
  THREAT: ['violence'],
  SEXUALLY_EXPLICIT: ['vulgarity'],
} as const satisfies Record<string, readonly Category[]>;
export type PerspectiveAttribute = keyof typeof PERSPECTIVE_MAPPING;
export const PERSPECTIVE_ATTRIBUTES = Object.keys(PERSPECTIVE_MAPPING) as PerspectiveAttribute[];

/** The languages Decorum's lexicons and rules cover. */
export const PERSPECTIVE_LANGUAGES = ['en', 'ru', 'uk'] as const;

const AttributeParameters = z
  .object({
    scoreType: z.literal('PROBABILITY', { message: 'only scoreType PROBABILITY is supported' }).optional(),
    scoreThreshold: z.number().min(0).max(1).optional(),
  })
  .strict();

export const AnalyzeRequestSchema = z
  .object({
    comment: z.object({ text: CommentTextSchema, type: z.literal('PLAIN_TEXT', { message: 'only PLAIN_TEXT comments are supported' }).optional() }).strict(),
    requestedAttributes: z
      .record(z.string(), AttributeParameters)
      .refine((r) => Object.keys(r).length > 0, 'request at least one attribute')
      .refine(
        (r) => Object.keys(r).every((name) => name in PERSPECTIVE_MAPPING),
        `supported attributes: ${PERSPECTIVE_ATTRIBUTES.join(', ')}`,
      ),
    languages: z.array(z.string().max(35)).max(10).optional(),
    spanAnnotations: z.boolean().optional(),
    doNotStore: z.boolean().optional(),
    clientToken: z.string().max(500).optional(),
    sessionId: z.string().max(500).optional(),
    communityId: z.string().max(500).optional(),
    context: z.unknown().optional(),
  })
  .strict();
export type AnalyzeRequest = z.infer<typeof AnalyzeRequestSchema>;

/**
 * Perspective's feedback call (Coral sends one per moderator action when "Allow Coral to send
 * moderation actions" is on). Decorum learns nothing from it: it is checked and acknowledged so
 * such a client logs no errors.
 */
export const SuggestScoreRequestSchema = z
  .object({
    comment: z.object({ text: z.string().max(100_000), type: z.string().optional() }).strict(),
    attributeScores: z.record(z.string(), z.unknown()),
    languages: z.array(z.string().max(35)).max(10).optional(),
    context: z.unknown().optional(),
    communityId: z.string().max(500).optional(),
    clientToken: z.string().max(500).optional(),
    sessionId: z.string().max(500).optional(),
  })
  .strict();

const ScoreSchema = z.object({ value: z.number().min(0).max(1), type: z.literal('PROBABILITY') });
const SpanScoreSchema = z.object({ begin: z.number().int().nonnegative(), end: z.number().int().nonnegative(), score: ScoreSchema });
export type SpanScore = z.infer<typeof SpanScoreSchema>;
const AttributeScoreSchema = z.object({ spanScores: z.array(SpanScoreSchema), summaryScore: ScoreSchema });
export type AttributeScore = z.infer<typeof AttributeScoreSchema>;

export const AnalyzeResponseSchema = z.object({
  attributeScores: z.object(
    Object.fromEntries(PERSPECTIVE_ATTRIBUTES.map((a) => [a, AttributeScoreSchema.optional()])) as Record<
      PerspectiveAttribute,
      z.ZodOptional<typeof AttributeScoreSchema>
    >,
  ),
  languages: z.array(z.string()),
  detectedLanguages: z.array(z.string()),
  clientToken: z.string().optional(),
});
export type AnalyzeResponse = z.infer<typeof AnalyzeResponseSchema>;

export const SuggestScoreResponseSchema = z.object({
  detectedLanguages: z.array(z.string()),
  requestedLanguages: z.array(z.string()),
  clientToken: z.string().optional(),
});

/** Primary subtag, lower case: "en-US" → "en". */
function primary(tag: string): string {
  return tag.toLowerCase().split('-')[0];
}

/** Languages asked for that Decorum doesn't cover; Perspective refuses those requests too. */
export function unsupportedLanguages(request: AnalyzeRequest): string[] {
  return (request.languages ?? []).filter((l) => !(PERSPECTIVE_LANGUAGES as readonly string[]).includes(primary(l)));
}

/** By script only: Cyrillic with і, ї, є or ґ is Ukrainian, other Cyrillic Russian, the rest English. */
export function detectLanguage(text: string): 'en' | 'ru' | 'uk' {
  if (!/[\u0400-\u04FF]/.test(text)) return 'en';
  return hasUkrainianLetter(text) ? 'uk' : 'ru';
}

/**
 * Scores follow compatScore (0.5 is where the policy flags). SEVERE_TOXICITY counts a category's full score only where its severity is high (slurs, the
 * strongest swear words, threats); a milder finding counts at half, so "damn" is toxic but not
 * severely so.
 */
function categoryValue(attribute: PerspectiveAttribute, r: CategoryResult): number {
  const value = compatScore(r);
  return attribute === 'SEVERE_TOXICITY' && r.severity !== 'high' ? roundScore(value / 2) : value;
}

function attributeScore(attribute: PerspectiveAttribute, a: Assessment, textLength: number, spans: boolean): AttributeScore {
  const results = PERSPECTIVE_MAPPING[attribute].map((c) => a.categories[c]);
  const summary = Math.max(0, ...results.map((r) => categoryValue(attribute, r)));
  const whole: SpanScore = { begin: 0, end: textLength, score: { value: summary, type: 'PROBABILITY' } };
  if (!spans) return { spanScores: [whole], summaryScore: { value: summary, type: 'PROBABILITY' } };
  // One span per piece of evidence, scored by its category; the same span from two categories once, at the higher score.
  const bySpan = new Map<string, SpanScore>();
  for (const r of results) {
    if (!r.flagged) continue;
    const value = categoryValue(attribute, r);
    for (const e of r.evidence) {
      const key = `${e.start}:${e.end}`;
      const seen = bySpan.get(key);
      if (!seen || seen.score.value < value) bySpan.set(key, { begin: e.start, end: e.end, score: { value, type: 'PROBABILITY' } });
    }
  }
  const spanScores = [...bySpan.values()].sort((x, y) => x.begin - y.begin || x.end - y.end);
  return { spanScores: spanScores.length > 0 ? spanScores : [whole], summaryScore: { value: summary, type: 'PROBABILITY' } };
}

export function toAnalyzeResponse(request: AnalyzeRequest, a: Assessment): AnalyzeResponse {
  const text = request.comment.text;
  const detected = detectLanguage(text);
  const attributeScores: Partial<Record<PerspectiveAttribute, AttributeScore>> = {};
  for (const [name, params] of Object.entries(request.requestedAttributes)) {
    const attribute = name as PerspectiveAttribute;
    const score = attributeScore(attribute, a, text.length, request.spanAnnotations === true);
    // Perspective leaves out an attribute scored under the caller's threshold.
    if (params.scoreThreshold !== undefined && score.summaryScore.value < params.scoreThreshold) continue;
    attributeScores[attribute] = score;
  }
  return {
    attributeScores,
    languages: request.languages && request.languages.length > 0 ? request.languages : [detected],
    detectedLanguages: [detected],
    ...(request.clientToken !== undefined && { clientToken: request.clientToken }),
  };
}
