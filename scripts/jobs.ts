// Failed moderation jobs, for an operator: `npm run jobs:list` shows them with their errors,
// `npm run jobs:retry` retries them all, `npm run jobs:retry -- <id> ...` only those (comment ids
// or job ids as listed). Uses the service's own settings: REDIS_URL, REDIS_PREFIX.
import { type Config, ConfigError, loadConfig } from '../src/config';
import { type FailedJob, listFailed, retryFailed } from '../src/queue/failed';
import { createModerationQueue } from '../src/queue/moderation';
import { closeRedis, connectRedis, FAIL_FAST, RedisUnavailableError } from '../src/redis';
import { keys } from '../src/store/keys';

const USAGE = 'usage: tsx scripts/jobs.ts list [--json] | retry [--json] [<comment or job id> ...]';

function line(j: FailedJob): string {
  const head = `${j.jobId}  comment ${j.commentId}  ${j.attemptsMade} attempt${j.attemptsMade === 1 ? '' : 's'}  failed ${j.failedAt ?? '(time unknown)'}`;
  return `${head}\n    ${j.failedReason || '(no error recorded)'}${j.where ? `\n    ${j.where}` : ''}`;
}

async function run(command: string, args: string[], json: boolean, config: Config): Promise<number> {
  const conn = await connectRedis(config.redis, FAIL_FAST);
  const queue = createModerationQueue(conn, keys(config.prefix).bull);
  queue.on('error', () => {}); // a failed command rejects; the 'error' events would only repeat it
  try {
    if (command === 'list') {
      const failed = await listFailed(queue);
      if (json) console.log(JSON.stringify(failed, null, 2));
      else if (failed.length === 0) console.log('no failed moderation jobs');
      else {
        console.log(`${failed.length} failed moderation job${failed.length === 1 ? '' : 's'} (kept 7 days; retry with npm run jobs:retry):`);
        for (const j of failed) console.log(line(j));
      }
      return 0;
    }
    const report = await retryFailed(queue, args);
    if (json) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(`retried ${report.retried.length} failed job${report.retried.length === 1 ? '' : 's'}`);
      for (const j of report.retried) console.log(`  ${j.jobId} (comment ${j.commentId}; was: ${j.failedReason})`);
      if (report.notFailed.length > 0) console.log(`not failed (unknown, or already waiting, running or done): ${report.notFailed.join(' ')}`);
    }
    // Asked for a job that isn't failed: say so in the exit code too, for scripts.
    return report.notFailed.length > 0 && args.length > 0 ? 1 : 0;
  } finally {
    await queue.close();
    await closeRedis(conn);
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const json = argv.includes('--json');
  const [command, ...args] = argv.filter((a) => a !== '--json');
  if ((command !== 'list' && command !== 'retry') || (command === 'list' && args.length > 0)) {
    console.error(USAGE);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`jobs: ${err.message}`);
      return 2;
    }
    throw err;
  }
  try {
    return await run(command, args, json, config);
  } catch (err) {
    if (err instanceof RedisUnavailableError) {
      console.error(`jobs: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`jobs: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
