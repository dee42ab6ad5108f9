import { Router } from 'express';
import { z } from 'zod';
import { CommentStatusSchema } from '../../domain/comment';
import { CATEGORIES } from '../../engine/categories';
import { decodeCursor, encodeCursor, REVIEW_ORDERS, type ReviewQuery } from '../../store/review';
import { requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpProblem, parse } from '../problem';

// Empty query values (`?category=`) mean "no filter", as a form with a blank field sends them.
const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);
const Optional = <T extends z.ZodType>(t: T) => z.preprocess(blankToUndefined, t.optional());

export const ReviewQuerySchema = z
  .object({
    status: Optional(z.union([CommentStatusSchema, z.literal('all')])).transform((s) => s ?? 'held'),
    category: Optional(z.enum(CATEGORIES)),
    articleId: Optional(z.string().max(128)),
    authorId: Optional(z.string().max(128)),
    q: Optional(z.string().max(200)),
    order: Optional(z.enum(REVIEW_ORDERS)).transform((o) => o ?? 'oldest'),
    limit: Optional(z.coerce.number().int().min(1).max(100)).transform((l) => l ?? 25),
    cursor: Optional(z.string().max(600)),
  })
  .strict();

const StatsQuery = z.object({ days: Optional(z.coerce.number().int().min(1).max(90)).transform((d) => d ?? 14) }).strict();

/** The review queue and the other listings, queue counts, per-day stats, and live updates. */
export function reviewRouter(deps: ApiDeps, query: ReviewQuery): Router {
  const router = Router();
  router.use(requireRole('moderator'));

  router.get('/', async (req, res) => {
    const { cursor, limit, ...filter } = parse(ReviewQuerySchema, req.query, 'query');
    const after = cursor === undefined ? null : decodeCursor(cursor);
    if (cursor !== undefined && !after) {
      throw new HttpProblem(422, 'Invalid request', 'query cursor: not a cursor this API returned', { errors: [{ path: 'cursor', message: 'not a cursor this API returned' }] });
    }
    const { items, next } = await query.page(filter, limit, after);
    res.set('Cache-Control', 'no-store').json({ items, nextCursor: next ? encodeCursor(next) : null });
  });

  router.get('/counts', async (_req, res) => {
    res.set('Cache-Control', 'no-store').json(await query.counts());
  });

  router.get('/stats', async (req, res) => {
    const { days } = parse(StatsQuery, req.query, 'query');
    res.set('Cache-Control', 'no-store').json(await query.perDay(days));
  });

  // Server-sent events: one `decision` event per entry of the events stream, as it happens.
  router.get('/stream', (_req, res) => {
    deps.reviewStream.attach(res);
  });
  return router;
}
