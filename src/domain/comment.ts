import { z } from 'zod';
import { VerdictSchema } from '../engine/verdict';

// Ids end up in Redis keys and URLs: keep them to a safe, printable alphabet.
const Id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:@-]+$/, 'use letters, digits and . _ : @ - only');

export const MAX_TEXT_CHARS = 10_000;

/** Control characters other than tab, newline and carriage return are refused, never stored. */
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export const CommentTextSchema = z
  .string()
  .min(1, 'text must not be empty')
  .refine((t) => t.trim().length > 0, 'text must not be blank')
  .refine((t) => [...t].length <= MAX_TEXT_CHARS, `text must be at most ${MAX_TEXT_CHARS} characters`)
  .refine((t) => t.isWellFormed(), 'text contains an unpaired UTF-16 surrogate')
  .refine((t) => !FORBIDDEN_CONTROL.test(t), 'text contains a NUL or other control character');

/**
 * A display name is one line of plain text: no control characters at all (a NUL or ESC reaches
 * terminals, logs and CSV exports), and no bidirectional overrides or isolates, which can make a
 * name read backwards or disguise the text beside it wherever it is shown.
 */
const NAME_FORBIDDEN = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const AuthorName = z
  .string()
  .min(1)
  .max(200)
  .refine((n) => n.isWellFormed(), 'author.name contains an unpaired UTF-16 surrogate')
  .refine((n) => !NAME_FORBIDDEN.test(n), 'author.name contains a control character or a bidirectional formatting character');

const MetadataValue = z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]);

/**
 * A stored comment's text is NFC-normalised, and otherwise kept exactly as received: "é" typed as
 * e + a combining accent and "é" typed as one character are the same comment (one fingerprint,
 * one verdict), and the evidence offsets point into the text the API gives back. Refused, not
 * repaired: unpaired surrogates, NUL and other control characters (CommentTextSchema).
 */
const StoredText = CommentTextSchema.transform((t) => t.normalize('NFC')).refine(
  // NFC can lengthen a few scripts' letters (composition exclusions): the limit holds after it too.
  (t) => [...t].length <= MAX_TEXT_CHARS,
  `text must be at most ${MAX_TEXT_CHARS} characters after NFC normalisation`,
);

/** What a CMS or comment box posts: POST /v1/comments. */
export const CommentInputSchema = z
  .object({
    id: Id.optional(),
    /** The site the comment belongs to: a key bound to a site submits to it; otherwise 'default' unless named. */
    site: Id.optional(),
    articleId: Id,
    author: z.object({ id: Id, name: AuthorName.optional() }).strict(),
    text: StoredText,
    parentId: Id.optional(),
    lang: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 language tag such as en or uk')
      .optional(),
    metadata: z
      .record(z.string().min(1).max(64), MetadataValue)
      .refine((m) => Object.keys(m).length <= 32, 'metadata may have at most 32 keys')
      .optional(),
  })
  .strict();
export type CommentInput = z.infer<typeof CommentInputSchema>;

export const COMMENT_STATUSES = ['queued', 'approved', 'held', 'rejected'] as const;
export const CommentStatusSchema = z.enum(COMMENT_STATUSES);
export type CommentStatus = z.infer<typeof CommentStatusSchema>;

/** The site of a comment that names none, and of every comment in a deployment with one site. */
export const DEFAULT_SITE = 'default';

/** A comment as the API returns it. */
export const CommentSchema = z.object({
  id: Id,
  /** The site the comment belongs to; 'default' in a deployment with one. */
  site: Id,
  articleId: Id,
  author: z.object({ id: Id, name: z.string().optional() }),
  text: z.string(),
  parentId: Id.optional(),
  lang: z.string().optional(),
  metadata: z.record(z.string(), MetadataValue).optional(),
  status: CommentStatusSchema,
  submittedAt: z.string(),
  decidedAt: z.string().optional(),
  verdict: VerdictSchema.optional(),
  /** Earlier verdicts this comment had, oldest first (an automatic one a moderator overrode). */
  history: z.array(VerdictSchema).optional(),
});
export type Comment = z.infer<typeof CommentSchema>;
