import { Router } from 'express';
import { z } from 'zod';
import { ApiKeySchema, ScopeSchema, SiteSchema } from '../../store/api-keys';
import { requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpProblem, parse } from '../problem';

export const CreateApiKeySchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    scopes: z
      .array(ScopeSchema)
      .min(1, 'give the key at least one scope')
      .refine((s) => new Set(s).size === s.length, 'scopes must not repeat'),
    site: SiteSchema,
  })
  .strict();

export const ApiKeyListSchema = z.object({ items: z.array(ApiKeySchema) });
export const ApiKeyParams = z.object({ id: z.string().regex(/^key_[A-Za-z0-9_-]{12}$/, 'not an API key id') });

/** Scoped API keys: admins only. The key is in the 201 answer and nowhere else, ever; Redis holds its SHA-256. */
export function keysRouter({ apiKeys }: ApiDeps): Router {
  const router = Router();
  router.use(requireScope('admin'));
  router.post('/', async (req, res) => {
    const input = parse(CreateApiKeySchema, req.body, 'body');
    const created = await apiKeys.create(input);
    res.status(201).location(`${req.baseUrl}/${created.id}`).set('Cache-Control', 'no-store').json(created);
  });
  router.get('/', async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ items: await apiKeys.list() } satisfies z.infer<typeof ApiKeyListSchema>);
  });
  router.delete('/:id', async (req, res) => {
    const { id } = parse(ApiKeyParams, req.params, 'path');
    if (!(await apiKeys.revoke(id))) throw new HttpProblem(404, 'Not found', `no API key with id ${id}`);
    res.status(204).end();
  });
  return router;
}
