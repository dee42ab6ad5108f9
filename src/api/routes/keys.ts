import { Router } from 'express';
import { z } from 'zod';
import { ApiKeySchema, ScopeSchema, SiteSchema } from '../../store/api-keys';
import { actorId, principalOf, requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { byCreation, Pager, pageOf, pageParams, pageScope } from '../page';
import { HttpProblem, parse } from '../problem';
import { ownsSite } from '../site-binding';

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

export const ApiKeyListSchema = pageOf(ApiKeySchema);
export const ApiKeyListQuery = z.object(pageParams({ default: 100, max: 500 })).strict();
export const ApiKeyParams = z.object({ id: z.string().regex(/^key_[A-Za-z0-9_-]{12}$/, 'not an API key id') });

/**
 * Scoped API keys: admins only, and an admin bound to a site only for keys of that site (another
 * site's are answered as if they did not exist). The key is in the 201 answer and nowhere else,
 * ever; Redis holds its SHA-256.
 */
export function keysRouter({ apiKeys, audit, adminApiKey }: ApiDeps): Router {
  const router = Router();
  const pager = new Pager(adminApiKey, 'keys');
  router.use(requireScope('admin'));
  router.post('/', async (req, res) => {
    const input = parse(CreateApiKeySchema, req.body, 'body');
    const p = principalOf(res);
    if (!ownsSite(p, input.site)) throw new HttpProblem(403, 'Forbidden', `this key or account is bound to site ${p.site}; it cannot create a key for site ${input.site}`);
    const created = await apiKeys.create(input);
    await audit.record({ action: 'key.created', actor: actorId(p), subject: created.id, to: created.scopes.join(' '), reason: created.site });
    res.status(201).location(`${req.baseUrl}/${created.id}`).set('Cache-Control', 'no-store').json(created);
  });
  router.get('/', async (req, res) => {
    const { limit, cursor } = parse(ApiKeyListQuery, req.query, 'query');
    const p = principalOf(res);
    const scope = pageScope(p.site);
    const after = pager.open(cursor, scope);
    const keys = (await apiKeys.list()).filter((k) => ownsSite(p, k.site));
    res.set('Cache-Control', 'no-store').json(pager.page(keys, byCreation, 'asc', limit, after, scope) satisfies z.infer<typeof ApiKeyListSchema>);
  });
  router.delete('/:id', async (req, res) => {
    const { id } = parse(ApiKeyParams, req.params, 'path');
    const p = principalOf(res);
    const key = await apiKeys.get(id);
    if (!key || !ownsSite(p, key.site) || !(await apiKeys.revoke(id))) throw new HttpProblem(404, 'Not found', `no API key with id ${id}`);
    await audit.record({ action: 'key.revoked', actor: actorId(p), subject: id, from: key.scopes.join(' '), reason: key.site });
    res.status(204).end();
  });
  return router;
}
