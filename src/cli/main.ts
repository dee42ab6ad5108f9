import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { loadSafePolicy, PolicyLoadError } from '../policies';
import { formatSummary, moderateFile, moderateText } from './moderate';
import { checkPolicy } from './policy-check';
import { remoderate } from './remoderate';

const USAGE = `usage: decorum <command>

  moderate "text"                    the verdict on one text (JSON)
  moderate --file comments.jsonl     JSONL verdicts on stdout, one per line ({"text": …} or a JSON
                                     string per line; "-" reads stdin); progress and a summary on stderr
  policy check FILE                  validate a policy (and its lexicons and model) as the service would
  remoderate [--dry-run]             re-run stored comments under the current policy (REDIS_URL, REDIS_PREFIX)

  --policy FILE                      the policy to use (default: POLICY, else policies/default.json)`;

/** Exit codes: 0 done, 1 the input or the policy is invalid, 2 wrong usage. */
export async function main(argv: string[], io = { out: process.stdout, err: process.stderr }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        file: { type: 'string', short: 'f' },
        policy: { type: 'string', short: 'p' },
        'dry-run': { type: 'boolean' },
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
