import { Router } from 'express';
import { z } from 'zod';
import { COMMENT_STATUSES, CommentSchema, type CommentStatus, CommentStatusSchema } from '../../domain/comment';
import { CATEGORIES, type Category } from '../../engine/categories';
import { decodeCursor, encodeCursor, REVIEW_ORDERS, type ReviewQuery } from '../../store/review';
import { principalOf, requireAllSites, requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { invalidCursor, OptionalQuery, Pager, pageOf, pageParams, pageScope } from '../page';
import { parse } from '../problem';

// Empty query values (`?category=`) mean "no filter", as a form with a blank field sends them.
const Optional = OptionalQuery;

export const ReviewQuerySchema = z
  .object({
    status: Optional(z.union([CommentStatusSchema, z.literal('all')])).transform((s) => s ?? 'held'),
    category: Optional(z.enum(CATEGORIES)),
    articleId: Optional(z.string().max(128)),
    authorId: Optional(z.string().max(128)),
    q: Optional(z.string().max(200)),
    order: Optional(z.enum(REVIEW_ORDERS)).transform((o) => o ?? 'oldest'),
    ...pageParams({ default: 25, max: 100 }),
  })
  .strict();

export const ReviewStatsQuerySchema = z.object({ days: Optional(z.coerce.number().int().min(1).max(90)).transform((d) => d ?? 14) }).strict();

export const ReviewPageSchema = pageOf(CommentSchema);
/** Account id to email, for every account that may decide what the caller reads. */
export const ReviewDecidersSchema = z.record(z.string(), z.string());
/** Comments per status, now. */
export const ReviewCountsSchema = z.object(Object.fromEntries(COMMENT_STATUSES.map((s) => [s, z.number().int().min(0)])) as Record<CommentStatus, z.ZodNumber>);
/** Per UTC day, oldest first: one number per day in each series. */
export const ReviewStatsSchema = z.object({
  days: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)),
  byDecision: z.object({ approved: z.array(z.number().int()), held: z.array(z.number().int()), rejected: z.array(z.number().int()) }),
  byCategory: z.object(Object.fromEntries(CATEGORIES.map((c) => [c, z.array(z.number().int())])) as Record<Category, z.ZodArray<z.ZodNumber>>),
});

/** The review queue and the other listings, queue counts, per-day stats, and live updates. */
export function reviewRouter(deps: ApiDeps, query: ReviewQuery): Router {
  const router = Router();
  router.use(requireScope('comments:read'));
  const pager = new Pager(deps.adminApiKey, 'review');

  router.get('/', async (req, res) => {
    const { cursor, limit, ...filter } = parse(ReviewQuerySchema, req.query, 'query');
    // A key bound to a site lists that site's comments only, and pages only with cursors issued to that site.
    const site = principalOf(res).site;
    const scope = pageScope(site);
    const opened = pager.open(cursor, scope);
    const after = opened === null ? null : decodeCursor(opened);
    if (opened !== null && !after) throw invalidCursor();
    const { items, next } = await query.page({ ...filter, site }, limit, after);
    res.set('Cache-Control', 'no-store').json({ items, nextCursor: pager.cursor(next ? encodeCursor(next) : null, scope) } satisfies z.infer<typeof ReviewPageSchema>);
  });

  // Counts, stats and the stream cover every site: not for a key bound to one.
  router.get('/counts', requireAllSites, async (_req, res) => {
    res.set('Cache-Control', 'no-store').json((await query.counts()) satisfies z.infer<typeof ReviewCountsSchema>);
  });

  router.get('/stats', requireAllSites, async (req, res) => {
    const { days } = parse(ReviewStatsQuerySchema, req.query, 'query');
    res.set('Cache-Control', 'no-store').json(await query.perDay(days));
  });

  // Server-sent events: one `decision` event per entry of the events stream, as it happens.
  router.get('/stream', requireAllSites, (_req, res) => {
    deps.reviewStream.attach(res);
  });

  // A verdict names its moderator by account id; a reader of the queue sees who that is, as the
  // audit log shows it. A key bound to a site sees its site's accounts.
  router.get('/deciders', async (_req, res) => {
    const accounts = await deps.moderators.list(principalOf(res).site);
    res.set('Cache-Control', 'no-store').json(Object.fromEntries(accounts.map((m) => [m.id, m.email])) satisfies z.infer<typeof ReviewDecidersSchema>);
  });
  return router;
}
