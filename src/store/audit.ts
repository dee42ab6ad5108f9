import type { RedisClient } from '../redis';
import { z } from 'zod';
import type { Keys } from './keys';

/** One moderator decision, as the DECIDE script appended it. */
export const AuditEntrySchema = z.object({
  /** The stream entry id: unique, ordered, usable as a cursor. */
  id: z.string().regex(/^\d+-\d+$/),
  moderatorId: z.string(),
  at: z.string(),
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
    moderatorId: f.moderatorId ?? '',
    at: new Date(Number(f.at)).toISOString(),
    commentId: f.commentId ?? '',
    from: f.from ?? '',
    to: f.to ?? '',
    reason: f.reason ?? '',
  };
}

/**
 * The audit log: read-only here. Entries are only ever appended, by the DECIDE script, in the
 * same atomic step as the decision they record; nothing in the service trims or edits them.
 */
export class AuditLog {
  constructor(
    private readonly redis: RedisClient,
    private readonly k: Keys,
  ) {}

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
