import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { loadSafePolicy, PolicyLoadError } from '../policies';
import { formatSummary, moderateFile, moderateText } from './moderate';
import type { CliIo } from './operator';
import { checkPolicy } from './policy-check';
import { remoderate } from './remoderate';

const USAGE = `usage: decorum <command>

  moderate "text"                    the verdict on one text (JSON)
  moderate --file comments.jsonl     JSONL verdicts on stdout, one per line ({"text": …} or a JSON
                                     string per line; "-" reads stdin); progress and a summary on stderr
  policy check FILE                  validate a policy (and its lexicons and model) as the service would
  remoderate [--dry-run]             re-run stored comments under the current policy (REDIS_URL, REDIS_PREFIX)
  moderator add --email E [--role moderator|admin] [--site S] [--json]
                                     create an account (REDIS_URL, REDIS_PREFIX); the password is
                                     typed at a prompt, or the first line of stdin
  jobs list [--json]                 failed moderation jobs with their errors
  jobs retry [--json] [ID ...]       retry them all, or these (comment or job ids)

  --policy FILE                      the policy to use (default: POLICY, else policies/default.json)`;

/** Exit codes: 0 done, 1 the input or the policy is invalid, 2 wrong usage. */
export async function main(argv: string[], io: CliIo = { out: process.stdout, err: process.stderr, in: process.stdin }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        file: { type: 'string', short: 'f' },
        policy: { type: 'string', short: 'p' },
        'dry-run': { type: 'boolean' },
        email: { type: 'string' },
        role: { type: 'string' },
        site: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    io.err.write(`decorum: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    (command === undefined && !values.help ? io.err : io.out).write(`${USAGE}\n`);
    return command === undefined && !values.help ? 2 : 0;
  }
  const policyFile = () => (values.policy ? path.resolve(values.policy) : loadConfig({ ...process.env, LOG_LEVEL: 'silent' }).policyFile);

  switch (command) {
    case 'moderate': {
      if ((values.file === undefined) === (rest.length === 0)) {
        io.err.write(`decorum: moderate takes either one text or --file\n${USAGE}\n`);
        return 2;
      }
      const { policy } = await loadSafePolicy(policyFile());
      if (values.file !== undefined) {
        const summary = await moderateFile(values.file, policy, io.out, io.err);
        io.err.write(`${formatSummary(summary)}\n`);
        return summary.invalid > 0 ? 1 : 0;
      }
      try {
        moderateText(rest.join(' '), policy, io.out);
        return 0;
      } catch (err) {
        io.err.write(`decorum: ${(err as Error).message}\n`);
        return 1;
      }
    }
    case 'policy': {
      if (rest[0] !== 'check' || rest.length !== 2) {
        io.err.write(`decorum: usage: decorum policy check FILE\n`);
        return 2;
      }
      const { ok, report } = await checkPolicy(path.resolve(rest[1]));
      (ok ? io.out : io.err).write(`${report}\n`);
      return ok ? 0 : 1;
    }
    case 'remoderate': {
      return remoderate({ dryRun: values['dry-run'] === true, policyFile: policyFile() }, io);
    }
    case 'moderator': {
      if (rest[0] !== 'add' || rest.length !== 1) {
        io.err.write(`decorum: usage: decorum moderator add --email E [--role moderator|admin] [--site S] [--json]\n`);
        return 2;
      }
      // Loaded when asked for: the account and queue modules (Express, BullMQ) would otherwise
      // slow the start of every `decorum moderate`.
      const { moderatorAdd } = require('./moderator-add') as typeof import('./moderator-add');
      return moderatorAdd({ email: values.email, role: values.role, site: values.site, json: values.json === true }, io);
    }
    case 'jobs': {
      const [sub, ...ids] = rest;
      if ((sub !== 'list' && sub !== 'retry') || (sub === 'list' && ids.length > 0)) {
        io.err.write(`decorum: usage: decorum jobs list [--json] | decorum jobs retry [--json] [ID ...]\n`);
        return 2;
      }
      const { jobs } = require('./jobs') as typeof import('./jobs');
      return jobs(sub, ids, values.json === true, io);
    }
    default:
      io.err.write(`decorum: unknown command "${command}"\n${USAGE}\n`);
      return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`decorum: ${err instanceof PolicyLoadError ? `invalid policy: ${err.message}` : err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
