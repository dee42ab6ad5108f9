import type { RedisClient } from '../redis';
import { z } from 'zod';
import type { Keys } from './keys';

/** What an account or key action did (a decision, which the moderator's decide script records, is 'decision'). */
export const AUDIT_ACTIONS = [
  'decision',
  'moderator.created',
  'moderator.role',
  'moderator.disabled',
  'moderator.enabled',
  'moderator.password',
  'moderator.key-rotated',
  'moderator.deleted',
  'key.created',
  'key.revoked',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * One entry: a moderator decision, as the moderator's decide script appended it, or a change to an account
 * or key. moderatorId is who acted; subject what was acted on (a moderator or key id; '' for a
 * decision, whose subject is commentId).
 */
export const AuditEntrySchema = z.object({
  /** The stream entry id: unique, ordered, usable as a cursor. */
  id: z.string().regex(/^\d+-\d+$/),
  action: z.enum(AUDIT_ACTIONS),
  moderatorId: z.string(),
  at: z.string(),
  subject: z.string(),
  commentId: z.string(),
  from: z.string(),
  to: z.string(),
  reason: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

function entry(id: string, fields: string[]): AuditEntry {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]] = fields[i + 1];
  return {
    id,
    action: (AUDIT_ACTIONS as readonly string[]).includes(f.action) ? (f.action as AuditAction) : 'decision',
    moderatorId: f.moderatorId ?? '',
    at: new Date(Number(f.at)).toISOString(),
    subject: f.subject ?? '',
    commentId: f.commentId ?? '',
    from: f.from ?? '',
    to: f.to ?? '',
    reason: f.reason ?? '',
  };
}

/**
 * The audit log. Entries are only ever appended: decisions by the moderator's decide script, in the same
 * atomic step as the decision they record; account and key changes by record(), once the change
 * is made. Nothing in the service trims or edits them.
 */
export class AuditLog {
  constructor(
    private readonly redis: RedisClient,
    private readonly k: Keys,
  ) {}

  /** Appends an account or key change: who did it, to what, and from/to what where that applies. */
  async record(e: { action: Exclude<AuditAction, 'decision'>; actor: string; subject: string; from?: string; to?: string; reason?: string }, now = Date.now()): Promise<void> {
    await this.redis.xadd(this.k.audit, '*', 'action', e.action, 'moderatorId', e.actor, 'at', String(now), 'subject', e.subject, 'from', e.from ?? '', 'to', e.to ?? '', 'reason', e.reason ?? '');
  }

  /** Newest first; `before` is the id of the last entry of the previous page. */
  async page(limit: number, before?: string): Promise<{ entries: AuditEntry[]; next: string | null }> {
    const max = before ? `(${before}` : '+';
    const raw = await this.redis.xrevrange(this.k.audit, max, '-', 'COUNT', limit + 1);
    const entries = raw.slice(0, limit).map(([id, fields]) => entry(id, fields));
    return { entries, next: raw.length > limit ? entries[entries.length - 1].id : null };
  }

  /** Oldest first, in batches, for an export of any size without holding it all in memory. */
  async *all(batch = 500): AsyncGenerator<AuditEntry> {
    let min = '-';
    for (;;) {
      const raw = await this.redis.xrange(this.k.audit, min, '+', 'COUNT', batch);
      for (const [id, fields] of raw) yield entry(id, fields);
      if (raw.length < batch) return;
      min = `(${raw[raw.length - 1][0]}`;
    }
  }
}
