import { Router } from 'express';
import { z } from 'zod';
import { type AuditEntry, AuditEntrySchema } from '../../store/audit';
import { requireAllSites, requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { parse } from '../problem';

export const AuditPageQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    before: z.string().regex(/^\d+-\d+$/, 'an audit entry id').optional(),
  })
  .strict();

/** An audit entry with the deciding moderator's email ("(admin key)" for the admin key, "(API key)" for a scoped key, whose id is moderatorId; "" for a deleted account). */
export const AuditEntryWithEmailSchema = AuditEntrySchema.extend({ moderatorEmail: z.string() });
/** Newest first; `next` is the `before` for the next page, null on the last. */
export const AuditPageSchema = z.object({ entries: z.array(AuditEntryWithEmailSchema), next: z.string().nullable() });

// action and subject last: spreadsheets and scripts made for the decisions-only columns keep working.
const COLUMNS = ['id', 'at', 'moderatorId', 'moderatorEmail', 'commentId', 'from', 'to', 'reason', 'action', 'subject'] as const;

/**
 * One CSV field. Quoted when needed; a leading = + - @ (or tab, CR) gets a ' so a spreadsheet
 * shows a reason typed as "=HYPERLINK(...)" as text instead of running it.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The audit log of moderator decisions: a page of it as JSON (newest first), or all of it as CSV (oldest first). */
export function auditRouter({ audit, moderators, log }: ApiDeps): Router {
  const router = Router();
  // Who decided what, on every site: for those who decide (moderate), and not for a key bound to one site.
  router.use(requireScope('moderate'), requireAllSites);

  const emails = async () => new Map((await moderators.list()).map((m) => [m.id, m.email]));
  const withEmail = (e: AuditEntry, byId: Map<string, string>): z.infer<typeof AuditEntryWithEmailSchema> => ({ ...e, moderatorEmail: byId.get(e.moderatorId) ?? (e.moderatorId === 'admin' ? '(admin key)' : e.moderatorId.startsWith('key_') ? '(API key)' : '') });

  router.get('/', async (req, res) => {
    const { limit, before } = parse(AuditPageQuerySchema, req.query, 'query');
    const [page, byId] = await Promise.all([audit.page(limit, before), emails()]);
    res.set('Cache-Control', 'no-store').json({ entries: page.entries.map((e) => withEmail(e, byId)), next: page.next } satisfies z.infer<typeof AuditPageSchema>);
  });

  router.get('/export.csv', async (_req, res) => {
    const byId = await emails();
    res.status(200).set({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="decorum-audit-${new Date().toISOString().slice(0, 10)}.csv"`,
      'Cache-Control': 'no-store',
    });
    res.write(`${COLUMNS.join(',')}\r\n`);
    try {
      for await (const e of audit.all()) {
        const row = withEmail(e, byId);
        res.write(`${COLUMNS.map((c) => csvField(String(row[c]))).join(',')}\r\n`);
      }
      res.end();
    } catch (err) {
      // The status line is sent: the only honest way left to say "incomplete" is to cut the
      // connection, so a download fails instead of ending in a file that looks whole.
      log.warn({ err: String(err) }, 'audit export cut short');
      res.destroy();
    }
  });
  return router;
}
