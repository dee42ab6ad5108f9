import { CreateModeratorSchema } from '../api/routes/moderators';
import { PasswordHasher } from '../auth/passwords';
import { keys } from '../store/keys';
import { EmailTakenError, ModeratorStore } from '../store/moderators';
import { type CliIo, withServiceRedis } from './operator';
import { readPassword } from './password-input';

export interface ModeratorAddOptions {
  email?: string;
  role?: string;
  site?: string;
  json: boolean;
}

/**
 * `decorum moderator add`: the first admin of a new install (no API call can bootstrap one
 * without a key), or any account for an operator with shell access. Exit 0 created, 1 the email
 * is taken or Redis is unreachable, 2 invalid input.
 */
export async function moderatorAdd(options: ModeratorAddOptions, io: CliIo): Promise<number> {
  // The same rules as POST /v1/moderators: checked before the password is asked for.
  const withoutPassword = CreateModeratorSchema.omit({ password: true }).safeParse({ email: options.email, role: options.role, site: options.site });
  if (!withoutPassword.success) return invalid(withoutPassword.error.issues[0], io);
  const parsed = CreateModeratorSchema.safeParse({ ...withoutPassword.data, password: await readPassword(io.in, io.err) });
  if (!parsed.success) return invalid(parsed.error.issues[0], io);
  const input = parsed.data;
  return withServiceRedis(io, 'moderator add', async (conn, config) => {
    const store = new ModeratorStore(conn, keys(config.prefix));
    try {
      const passwordHash = await new PasswordHasher(config.passwordScryptN).hash(input.password);
      const created = await store.create({ email: input.email, role: input.role, site: input.site, passwordHash });
      // --json prints what POST /v1/moderators answers: the account plus its key as `secret`.
      if (options.json) io.out.write(`${JSON.stringify(created, null, 2)}\n`);
      else {
        io.out.write(`created ${created.role} ${created.email} (${created.id})\n`);
        io.out.write(`API key (shown once; keep it somewhere safe): ${created.secret}\n`);
        io.out.write('sign in at /dashboard with the email and password\n');
      }
      return 0;
    } catch (err) {
      if (!(err instanceof EmailTakenError)) throw err;
      io.err.write(`decorum moderator add: ${err.message}\n`);
      return 1;
    }
  });
}

function invalid(issue: { path: PropertyKey[]; message: string }, io: CliIo): number {
  io.err.write(`decorum moderator add: ${issue.path.map(String).join('.') || 'input'}: ${issue.message}\n`);
  return 2;
}
