import { Router } from 'express';
import { z } from 'zod';
import { type AuditEntry, AuditEntrySchema } from '../../store/audit';
import { requireAllSites, requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { Pager, pageOf, pageParams, pageScope } from '../page';
import { parse } from '../problem';

export const AuditPageQuerySchema = z.object(pageParams({ default: 100, max: 500 })).strict();

/** An audit entry with the deciding moderator's email ("(admin key)" for the admin key, "(API key)" for a scoped key, whose id is moderatorId; "" for a deleted account). */
export const AuditEntryWithEmailSchema = AuditEntrySchema.extend({ moderatorEmail: z.string() });
/** Newest first. */
export const AuditPageSchema = pageOf(AuditEntryWithEmailSchema);

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
export function auditRouter({ audit, moderators, log, adminApiKey }: ApiDeps): Router {
  const router = Router();
  // The log spans every site, and so do the callers allowed to read it: one scope for all.
  const pager = new Pager(adminApiKey, 'audit');
  const scope = pageScope(undefined);
  // Who decided what, on every site: for those who decide (moderate), and not for a key bound to one site.
  router.use(requireScope('moderate'), requireAllSites);

  const emails = async () => new Map((await moderators.list()).map((m) => [m.id, m.email]));
  const withEmail = (e: AuditEntry, byId: Map<string, string>): z.infer<typeof AuditEntryWithEmailSchema> => ({ ...e, moderatorEmail: byId.get(e.moderatorId) ?? (e.moderatorId === 'admin' ? '(admin key)' : e.moderatorId.startsWith('key_') ? '(API key)' : '') });

  router.get('/', async (req, res) => {
    const { limit, cursor } = parse(AuditPageQuerySchema, req.query, 'query');
    // The position is the id of the last entry shown: the next page starts before it.
    const before = pager.open(cursor, scope) ?? undefined;
    const [page, byId] = await Promise.all([audit.page(limit, before), emails()]);
    res
      .set('Cache-Control', 'no-store')
      .json({ items: page.entries.map((e) => withEmail(e, byId)), nextCursor: pager.cursor(page.next, scope) } satisfies z.infer<typeof AuditPageSchema>);
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
