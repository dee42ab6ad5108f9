import { Router } from 'express';
import { z } from 'zod';
import { type Comment, CommentInputSchema, CommentStatusSchema, DEFAULT_SITE } from '../../domain/comment';
import { newCommentId } from '../../domain/ids';
import { enqueueModeration } from '../../queue/moderation';
import { actorId, canSeeSite, type Principal, principalOf, requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpProblem, parse } from '../problem';
import { clientBucket, setRateLimitHeaders } from '../rate-limit';

const MAX_WAIT_MS = 10_000;

export const SubmitQuery = z.object({
  wait: z.coerce
    .number({ error: 'wait must be a number of milliseconds' })
    .int('wait must be a whole number of milliseconds')
    .min(0)
    .max(MAX_WAIT_MS, `wait must be at most ${MAX_WAIT_MS} ms`)
    .optional(),
});

const IdParam = z.object({ id: z.string().min(1).max(128) });

/** The answer to a submission that is not decided yet (or not waited for). */
export const SubmitAcceptedSchema = z.object({ id: z.string(), status: CommentStatusSchema });

/**
 * What a submission's answer may show. A principal that may read comments sees all of it; one
 * that may only submit (a CMS) sees its comment and the current decision, but not a moderator's
 * note nor the verdicts it replaced, which are for those who review.
 */
export function visibleToSubmitter(p: Principal, c: Comment): Comment {
  if (p.scopes.includes('admin') || p.scopes.includes('comments:read')) return c;
  const { history: _, ...rest } = c;
  if (!rest.verdict) return rest;
  const { reason: __, ...verdict } = rest.verdict;
  return { ...rest, verdict };
}

export function commentsRouter({ store, queue, waiter, rateLimiter, backpressure }: ApiDeps): Router {
  const router = Router();

  // Submitting is the CMS's job (comments:write); reading a comment is anyone's who reviews them (comments:read).
  router.post('/', requireScope('comments:write'), async (req, res) => {
    const { wait } = parse(SubmitQuery, req.query, 'query');
    const input = parse(CommentInputSchema, req.body, 'body');
    // The comment's site: a key bound to one site submits to it; a principal of every site names one, or 'default'.
    const principal = principalOf(res);
    if (principal.site !== undefined && input.site !== undefined && input.site !== principal.site) {
      throw new HttpProblem(403, 'Forbidden', `this key is bound to site ${principal.site}; it cannot submit to site ${input.site}`);
    }
    input.site = principal.site ?? input.site ?? DEFAULT_SITE;
    // Limits before anything is stored or queued, so a refused request leaves no trace. The
    // backlog first: a 503 then uses up none of the client's rate limits.
    await backpressure.check();
    const limit = await rateLimiter.consume({ key: actorId(principalOf(res)), author: input.author.id, ip: clientBucket(req.ip) }, input.site);
    setRateLimitHeaders(res, limit);
    const id = input.id ?? newCommentId();
    // Stored and queued in one round trip: the queue shares the store's connection, so Redis
    // runs the creation first (src/main.ts). Queued on a replay too: if the first attempt stored
    // the comment but never queued it, the client's retry repairs that, and a job already waiting
    // makes this a no-op. A job for a comment that turns out decided, or a 409, is skipped by the
    // worker, which only decides queued comments.
    const [created] = await Promise.all([store.create(id, input, Date.now()), enqueueModeration(queue, id)]);
    if (created.outcome === 'conflict') {
      throw new HttpProblem(409, 'Conflict', `comment ${id} already exists with different content; use a new id`, { id });
    }
    if (created.outcome === 'created') backpressure.accepted();
    if (created.outcome === 'exists') res.set('Idempotent-Replayed', 'true');
    res.location(`${req.baseUrl}/${encodeURIComponent(id)}`);

    if (wait !== undefined && wait > 0) {
      const decided = await waiter.wait(id, wait, async () => (await store.forModeration(id))?.status !== 'queued');
      if (decided) {
        const comment = await store.get(id);
        if (comment && canSeeSite(principal, comment.site)) return void res.status(200).json(visibleToSubmitter(principal, comment));
      }
    }
    res.status(202).json({ id, status: created.status });
  });

  router.get('/:id', requireScope('comments:read'), async (req, res) => {
    const { id } = parse(IdParam, req.params, 'path');
    const comment = await store.get(id);
    // Another site's comment is answered as if it did not exist.
    if (!comment || !canSeeSite(principalOf(res), comment.site)) throw new HttpProblem(404, 'Not found', `no comment with id ${id}`);
    res.json(comment);
  });

  return router;
}
