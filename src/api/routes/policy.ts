import { Router } from 'express';
import { z } from 'zod';
import { CATEGORIES, type Category } from '../../engine';
import { requireScope } from '../auth';
import type { ApiDeps } from '../deps';

/** The policy in force, as a moderator reads a verdict by it (src/engine/describe.ts). */
export const PolicyGuideSchema = z.object({
  name: z.string(),
  version: z.string(),
  scores: z.object(Object.fromEntries(CATEGORIES.map((c) => [c, z.string().nullable()])) as Record<Category, z.ZodNullable<z.ZodString>>),
  rules: z.record(z.string(), z.string()),
});

export function policyRouter({ policy }: ApiDeps): Router {
  const router = Router();
  // Whoever reads verdicts may read what their rule ids mean; the lexicon behind them stays
  // behind a key, so it is no spammer's checklist.
  router.get('/', requireScope('comments:read'), (_req, res) => {
    res.json(policy.guide);
  });
  return router;
}
