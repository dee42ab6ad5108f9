import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Assessment } from '../engine/verdict';

/**
 * Coral Talk's "external moderation phase" (coralproject/talk,
 * server/src/core/server/services/comments/pipeline/phases/external.ts): Coral POSTs the
 * comment as JSON and merges our answer into its pipeline.
 */

/**
 * What Coral sends (its ExternalModerationRequest). Unknown fields are kept, not refused: a
 * newer Coral adding one must not turn every comment into an error on our side.
 */
export const CoralRequestSchema = z.looseObject({
  action: z.enum(['NEW', 'EDIT']),
  comment: z.looseObject({ body: z.string().max(100_000), parentID: z.string().nullable().optional() }),
  author: z.looseObject({ id: z.string(), role: z.string().optional() }),
  story: z.looseObject({ id: z.string(), url: z.string().optional() }),
  site: z.looseObject({ id: z.string() }).optional(),
  tenantID: z.string(),
  tenantDomain: z.string().optional(),
});
export type CoralRequest = z.infer<typeof CoralRequestSchema>;

/** The subset of Coral's GQLCOMMENT_STATUS and flag reasons its response schema accepts that we use. */
export const CoralResponseSchema = z.object({
  status: z.enum(['REJECTED', 'SYSTEM_WITHHELD']).optional(),
  actions: z.array(z.object({ actionType: z.literal('FLAG'), reason: z.enum(['COMMENT_DETECTED_TOXIC', 'COMMENT_DETECTED_SPAM']) })),
  // No `tags`, ever: Coral's schema declares its items required, and in Joi that makes an empty
  // array invalid, which would make Coral discard the whole answer.
});
export type CoralResponse = z.infer<typeof CoralResponseSchema>;

/**
 * Coral's signature header (generateSignatures in models/settings/signingSecret/helpers.ts):
 * "sha256=<hex HMAC-SHA256 of the raw body, keyed with the whole secret string>", one per active
 * secret, comma-separated (two while Coral rotates its secret). No timestamp is signed, so a
 * captured request can be replayed; all a replay gets is a verdict, stored nowhere.
 */
export function verifyCoralSignature(secret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return header.split(',').some((part) => {
    const m = /^\s*sha256=([0-9a-fA-F]{64})\s*$/.exec(part);
    return m !== null && timingSafeEqual(Buffer.from(m[1], 'hex'), expected);
  });
}

/** How Coral signs (for tests and for anyone checking their setup): its generateSignatures. */
export function coralSignature(secrets: string[], body: string): string {
  return secrets.map((s) => `sha256=${createHmac('sha256', s).update(body).digest('hex')}`).join(',');
}

/**
 * A tag ends at the first ">" and cannot hold a "<": with [^>]* instead, each of 100,000 "<"
 * (what Coral may send) would scan to the end of the text, a quadratic minute of CPU, and a
 * lone "<" in prose ("x < y and <b>z</b>") would swallow the words up to the next tag.
 * Proven linear with the engine's patterns (tests/unit/engine/pattern-safety.test.ts).
 */
export const LINE_BREAK_TAG = /<\s*(br|\/p|\/div|\/li)\b[^<>]*>/gi;
export const TAG = /<[^<>]*>/g;
export const ENTITY = /&(#x[0-9a-f]+|#\d+|[a-z]+);/gi;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * Coral sends the comment as HTML unless the phase is set to "Plain Text". The engine reads
 * text: tags go (line breaks and ends of paragraphs become newlines) and entities become their
 * characters, so "<b>id</b>iot" is still one word and "&lt;" is not a tag.
 */
export function htmlToText(html: string): string {
  return html
    .replace(LINE_BREAK_TAG, '\n')
    .replace(TAG, '')
    .replace(ENTITY, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    });
}

/**
 * Our decision in Coral's terms. An approval sets no status, so Coral's later phases
 * (pre-moderation of a story or a new commenter) still apply; a hold becomes SYSTEM_WITHHELD
 * (Coral's pending queue) and a rejection REJECTED, each with a FLAG per kind of problem found,
 * which Coral shows to its moderators as the reason.
 */
export function toCoralResponse(assessment: Assessment): CoralResponse {
  if (assessment.decision === 'approved') return { actions: [] };
  const flagged = Object.entries(assessment.categories).filter(([, r]) => r.flagged);
  const reasons = new Set<CoralResponse['actions'][number]['reason']>();
  for (const [category] of flagged) reasons.add(category === 'spam' ? 'COMMENT_DETECTED_SPAM' : 'COMMENT_DETECTED_TOXIC');
  return {
    status: assessment.decision === 'rejected' ? 'REJECTED' : 'SYSTEM_WITHHELD',
    actions: [...reasons].map((reason) => ({ actionType: 'FLAG' as const, reason })),
  };
}
