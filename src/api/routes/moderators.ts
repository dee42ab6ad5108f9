import { Router } from 'express';
import { z } from 'zod';
import { SiteSchema } from '../../store/api-keys';
import { type CreatedModerator, EmailTakenError, ModeratorSchema, publicModerator, RoleSchema, type StoredModerator } from '../../store/moderators';
import { actorId, principalOf, requireScope, type Principal } from '../auth';
import { jsonBody } from '../body';
import type { ApiDeps } from '../deps';
import { byCreation, Pager, pageOf, pageParams, pageScope } from '../page';
import { HttpProblem, parse } from '../problem';
import { siteFor } from '../site-binding';

export const MIN_PASSWORD = 12;

const Password = z.string().min(MIN_PASSWORD, `password must be at least ${MIN_PASSWORD} characters`).max(1024);

export const CreateModeratorSchema = z
  .object({
    email: z.email().max(254),
    password: Password,
    role: RoleSchema.default('moderator'),
    /** The one site the account acts in; a key or account bound to a site creates accounts of its site only. Omitted by an unbound admin: every site. */
    site: SiteSchema.optional(),
  })
  .strict();

/** What an admin may change about an account; each change applies from the next request on. */
export const PatchModeratorSchema = z
  .object({ role: RoleSchema.optional(), disabled: z.boolean().optional(), password: Password.optional() })
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'send at least one of role, disabled, password');

export const ModeratorParams = z.object({ id: z.string().regex(/^mod_[A-Za-z0-9_-]{12}$/, 'not a moderator id') });
export const ModeratorListSchema = pageOf(ModeratorSchema);
export const ModeratorListQuery = z.object(pageParams({ default: 100, max: 500 })).strict();

/**
 * Accounts: admins only, and an admin bound to a site only for that site's accounts (another
 * site's are answered as if they did not exist). The personal API key is in the 201 answer (and
 * a rotation's) and nowhere else, ever. Every change is recorded in the audit log.
 */
export function moderatorsRouter({ moderators, audit, bodyLimitBytes, passwords, adminApiKey }: ApiDeps): Router {
  const router = Router();
  const pager = new Pager(adminApiKey, 'moderators');
  // A body, when there is one, must be JSON (rotate-key and delete take none).
  router.use(requireScope('admin'), ...jsonBody(bodyLimitBytes, { optional: true }));

  const load = async (p: Principal, id: string): Promise<StoredModerator> => {
    const m = await moderators.get(id);
    if (!m || (p.site !== undefined && m.site !== p.site)) throw new HttpProblem(404, 'Not found', `no moderator with id ${id}`);
    return m;
  };

  /** Locking oneself out is refused: another admin (or the admin key) has to do it. */
  const notSelf = (p: Principal, id: string, what: string) => {
    if (p.moderatorId === id) throw new HttpProblem(409, 'Conflict', `an account cannot ${what} itself; ask another admin`);
  };

  router.post('/', async (req, res) => {
    const input = parse(CreateModeratorSchema, req.body, 'body');
    const p = principalOf(res);
    const site = siteFor(p, input.site, 'create an account');
    try {
      const created = await moderators.create({ email: input.email, role: input.role, site, passwordHash: await passwords.hash(input.password) });
      await audit.record({ action: 'moderator.created', actor: actorId(p), subject: created.id, to: input.role, reason: created.email });
      res.status(201).location(`${req.baseUrl}/${created.id}`).set('Cache-Control', 'no-store').json(created);
    } catch (err) {
      if (err instanceof EmailTakenError) throw new HttpProblem(409, 'Conflict', err.message);
      throw err;
    }
  });

  router.get('/', async (req, res) => {
    const { limit, cursor } = parse(ModeratorListQuery, req.query, 'query');
    const { site } = principalOf(res);
    const scope = pageScope(site);
    const after = pager.open(cursor, scope);
    res.json(pager.page(await moderators.list(site), byCreation, 'asc', limit, after, scope) satisfies z.infer<typeof ModeratorListSchema>);
  });

  router.patch('/:id', async (req, res) => {
    const { id } = parse(ModeratorParams, req.params, 'path');
    const change = parse(PatchModeratorSchema, req.body, 'body');
    const p = principalOf(res);
    const before = await load(p, id);
    if (change.disabled === true) notSelf(p, id, 'disable');
    if (change.role !== undefined && change.role !== before.role) notSelf(p, id, 'change the role of');
    const passwordHash = change.password === undefined ? undefined : await passwords.hash(change.password);
    if (!(await moderators.update(id, { role: change.role, disabled: change.disabled, passwordHash }))) throw new HttpProblem(404, 'Not found', `no moderator with id ${id}`);
    const actor = actorId(p);
    if (change.role !== undefined && change.role !== before.role) await audit.record({ action: 'moderator.role', actor, subject: id, from: before.role, to: change.role });
    if (change.disabled !== undefined && change.disabled !== before.disabled) await audit.record({ action: change.disabled ? 'moderator.disabled' : 'moderator.enabled', actor, subject: id });
    if (passwordHash !== undefined) await audit.record({ action: 'moderator.password', actor, subject: id });
    const after = await moderators.get(id);
    if (!after) throw new HttpProblem(404, 'Not found', `no moderator with id ${id}`);
    res.json(publicModerator(after));
  });

  router.post('/:id/rotate-key', async (req, res) => {
    const { id } = parse(ModeratorParams, req.params, 'path');
    const p = principalOf(res);
    const m = await load(p, id);
    const secret = await moderators.rotateKey(id);
    if (!secret) throw new HttpProblem(404, 'Not found', `no moderator with id ${id}`);
    await audit.record({ action: 'moderator.key-rotated', actor: actorId(p), subject: id });
    res.set('Cache-Control', 'no-store').json({ ...publicModerator(m), secret } satisfies CreatedModerator);
  });

  router.delete('/:id', async (req, res) => {
    const { id } = parse(ModeratorParams, req.params, 'path');
    const p = principalOf(res);
    const m = await load(p, id);
    notSelf(p, id, 'delete');
    if (!(await moderators.delete(id))) throw new HttpProblem(404, 'Not found', `no moderator with id ${id}`);
    await audit.record({ action: 'moderator.deleted', actor: actorId(p), subject: id, from: m.role, reason: m.email });
    res.status(204).end();
  });
  return router;
}
