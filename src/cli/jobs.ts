import { type FailedJob, listFailed, retryFailed } from '../queue/failed';
import { createModerationQueue } from '../queue/moderation';
import { keys } from '../store/keys';
import { type CliIo, withServiceRedis } from './operator';

function line(j: FailedJob): string {
  const head = `${j.jobId}  comment ${j.commentId}  ${j.attemptsMade} attempt${j.attemptsMade === 1 ? '' : 's'}  failed ${j.failedAt ?? '(time unknown)'}`;
  return `${head}\n    ${j.failedReason || '(no error recorded)'}${j.where ? `\n    ${j.where}` : ''}`;
}

/**
 * `decorum jobs list|retry`: failed moderation jobs, for an operator. `retry` with no ids retries
 * them all; ids are comment ids or job ids as listed. Exit 1 when a named job isn't failed.
 */
export async function jobs(command: 'list' | 'retry', ids: string[], json: boolean, io: CliIo): Promise<number> {
  return withServiceRedis(io, `jobs ${command}`, async (conn, config) => {
    const queue = createModerationQueue(conn, keys(config.prefix).bull);
    queue.on('error', () => {}); // a failed command rejects; the 'error' events would only repeat it
    try {
      if (command === 'list') {
        const failed = await listFailed(queue);
        if (json) io.out.write(`${JSON.stringify(failed, null, 2)}\n`);
        else if (failed.length === 0) io.out.write('no failed moderation jobs\n');
        else {
          io.out.write(`${failed.length} failed moderation job${failed.length === 1 ? '' : 's'} (kept 7 days; retry with decorum jobs retry):\n`);
          for (const j of failed) io.out.write(`${line(j)}\n`);
        }
        return 0;
      }
      const report = await retryFailed(queue, ids);
      if (json) io.out.write(`${JSON.stringify(report, null, 2)}\n`);
      else {
        io.out.write(`retried ${report.retried.length} failed job${report.retried.length === 1 ? '' : 's'}\n`);
        for (const j of report.retried) io.out.write(`  ${j.jobId} (comment ${j.commentId}; was: ${j.failedReason})\n`);
        if (report.notFailed.length > 0) io.out.write(`not failed (unknown, or already waiting, running or done): ${report.notFailed.join(' ')}\n`);
      }
      return report.notFailed.length > 0 && ids.length > 0 ? 1 : 0;
    } finally {
      await queue.close();
    }
  });
}
