import { Router } from 'express';
import { z } from 'zod';
import { hashPassword } from '../../auth/passwords';
import { EmailTakenError, ModeratorSchema, RoleSchema } from '../../store/moderators';
import { requireScope } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpProblem, parse } from '../problem';

export const MIN_PASSWORD = 12;

export const CreateModeratorSchema = z
  .object({
    email: z.email().max(254),
    password: z.string().min(MIN_PASSWORD, `password must be at least ${MIN_PASSWORD} characters`).max(1024),
    role: RoleSchema.default('moderator'),
  })
  .strict();

export const ModeratorListSchema = z.object({ moderators: z.array(ModeratorSchema) });

/** Accounts: admins only. The personal API key is in the 201 answer and nowhere else, ever. */
export function moderatorsRouter({ moderators }: ApiDeps): Router {
  const router = Router();
  router.use(requireScope('admin'));
  router.post('/', async (req, res) => {
    const input = parse(CreateModeratorSchema, req.body, 'body');
    try {
      const created = await moderators.create({ email: input.email, role: input.role, passwordHash: await hashPassword(input.password) });
      res.status(201).location(`${req.baseUrl}/${created.moderator.id}`).json(created);
    } catch (err) {
      if (err instanceof EmailTakenError) throw new HttpProblem(409, 'Conflict', err.message);
      throw err;
    }
  });
  router.get('/', async (_req, res) => {
    res.json({ moderators: await moderators.list() } satisfies z.infer<typeof ModeratorListSchema>);
  });
  return router;
}
