import { z } from 'zod';

/** What an endpoint can subscribe to. `ping` is not among them: an admin sends it on demand. */
export const COMMENT_EVENT_TYPES = ['comment.approved', 'comment.held', 'comment.rejected'] as const;
export const CommentEventTypeSchema = z.enum(COMMENT_EVENT_TYPES);
export type CommentEventType = z.infer<typeof CommentEventTypeSchema>;

export const WebhookEventTypeSchema = z.enum([...COMMENT_EVENT_TYPES, 'ping']);
export type WebhookEventType = z.infer<typeof WebhookEventTypeSchema>;

/** The body of every delivery, per the Standard Webhooks payload shape. */
export const WebhookPayloadSchema = z.object({
  type: WebhookEventTypeSchema,
  /** When the event happened (ISO 8601), not when this attempt was made. */
  timestamp: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type WebhookPayload = z.infer<typeof WebhookPayloadSchema>;
