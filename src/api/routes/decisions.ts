import { Router } from 'express';
import { z } from 'zod';
import type { Verdict } from '../../engine/verdict';
import { actorId, canSeeSite, principalOf, requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpProblem, parse } from '../problem';

export const DecisionSchema = z
  .object({
    decision: z.enum(['approved', 'rejected']),
    reason: z.string().trim().max(500, 'reason must be at most 500 characters').optional(),
  })
  .strict();

export const CommentIdParams = z.object({ id: z.string().min(1).max(128) });

/**
 * POST /v1/comments/:id/decision: a moderator's decision replaces the verdict (same categories and
 * evidence, so the record still says why it was flagged); the decide script keeps the one it
 * replaces in the history, writes the audit entry and emits the same event an automatic decision
 * does. A comment still queued has no verdict to review yet: 409, try again once it is decided.
 */
export function decisionsRouter({ store }: ApiDeps): Router {
  const router = Router();
  router.post('/:id/decision', requireScope('moderate'), async (req, res) => {
    const { id } = parse(CommentIdParams, req.params, 'path');
    const { decision, reason } = parse(DecisionSchema, req.body, 'body');
    const current = await store.get(id);
    // Another site's comment is answered as if it did not exist: its existence is not ours to tell.
    if (!current || !canSeeSite(principalOf(res), current.site)) throw new HttpProblem(404, 'Not found', `no comment with id ${id}`);
    if (current.status === 'queued' || !current.verdict) {
      throw new HttpProblem(409, 'Not decided yet', `comment ${id} is still queued for automatic moderation; decide it once it has a verdict`, { commentStatus: current.status });
    }
    const verdict: Verdict = {
      ...current.verdict,
      decision,
      decidedBy: actorId(principalOf(res)),
      decidedAt: new Date().toISOString(),
      ...(reason ? { reason } : {}),
    };
    if (!reason) delete verdict.reason;
    const result = await store.decide(id, verdict, { mode: 'moderator' });
    if (result.outcome === 'missing') throw new HttpProblem(404, 'Not found', `no comment with id ${id}`);
    res.json(await store.get(id));
  });
  return router;
}
