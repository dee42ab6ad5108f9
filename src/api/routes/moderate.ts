import { Router } from 'express';
import { z } from 'zod';
import { CommentTextSchema } from '../../domain/comment';
import { moderate } from '../../engine';
import type { Verdict } from '../../engine/verdict';
import { requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { parse } from '../problem';

export const ModerateRequestSchema = z
  .object({ text: CommentTextSchema, lang: z.string().max(35).optional() })
  .strict();

/** A verdict on the spot, stored nowhere: for a comment box that warns before posting. */
export function moderateRouter({ policy }: ApiDeps): Router {
  const router = Router();
  // A verdict on the spot is for the CMS or comment box that submits: the comments:write scope.
  router.post('/', requireScope('comments:write'), (req, res) => {
    const { text } = parse(ModerateRequestSchema, req.body, 'body');
    const verdict: Verdict = { ...moderate(text, policy), decidedBy: 'auto', decidedAt: new Date().toISOString() };
    res.json(verdict);
  });
  return router;
}
