// Creates a moderator or admin account, for the first admin of a new install (no API call needs a
// key to bootstrap) or for an operator with shell access:
//   npm run moderator:add -- --email ana@example.org --password '…' --role admin [--site gazette]
// The password may come from DECORUM_PASSWORD instead, to keep it out of the shell history.
// Prints the account and its personal API key (shown this once). Uses REDIS_URL and REDIS_PREFIX.
import { parseArgs } from 'node:util';
import { PasswordHasher } from '../src/auth/passwords';
import { type Config, ConfigError, loadConfig } from '../src/config';
import { closeRedis, connectRedis, FAIL_FAST, RedisUnavailableError } from '../src/redis';
import { keys } from '../src/store/keys';
import { EmailTakenError, ModeratorStore } from '../src/store/moderators';
import { CreateModeratorSchema } from '../src/api/routes/moderators';

const USAGE = 'usage: npm run moderator:add -- --email <email> --password <password> [--role moderator|admin] [--site <site>] [--json]';

async function main(): Promise<number> {
  let values: { email?: string; password?: string; role?: string; site?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { email: { type: 'string' }, password: { type: 'string' }, role: { type: 'string' }, site: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    console.error(`moderator:add: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  // The same rules as POST /v1/moderators: one schema for both ways in.
  const parsed = CreateModeratorSchema.safeParse({ email: values.email, password: values.password ?? process.env.DECORUM_PASSWORD, role: values.role, site: values.site });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    console.error(`moderator:add: ${issue.path.join('.') || 'input'}: ${issue.message}\n${USAGE}`);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`moderator:add: ${err.message}`);
      return 2;
    }
    throw err;
  }
  let conn;
  try {
    conn = await connectRedis(config.redis, FAIL_FAST);
  } catch (err) {
    if (err instanceof RedisUnavailableError) {
      console.error(`moderator:add: ${err.message}`);
      return 1;
    }
    throw err;
  }
  try {
    const store = new ModeratorStore(conn, keys(config.prefix));
    const created = await store.create({ email: parsed.data.email, role: parsed.data.role, site: parsed.data.site, passwordHash: await new PasswordHasher(config.passwordScryptN).hash(parsed.data.password) });
    // --json prints what POST /v1/moderators answers: the account plus its key as `secret`.
    if (values.json) console.log(JSON.stringify(created, null, 2));
    else {
      console.log(`created ${created.role} ${created.email} (${created.id})`);
      console.log(`API key (shown once; keep it somewhere safe): ${created.secret}`);
      console.log('sign in at /dashboard with the email and password');
    }
    return 0;
  } catch (err) {
    if (err instanceof EmailTakenError) {
      console.error(`moderator:add: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await closeRedis(conn);
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`moderator:add: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
