import { CATEGORIES, type Category, type CompiledPolicy, moderate, type Verdict } from '../engine';
import { loadConfig } from '../config';
import { loadSafePolicy } from '../policies';
import { closeRedis, connectRedis, FAIL_FAST } from '../redis';
import { CommentStore } from '../store/comments';
import { keys } from '../store/keys';

export interface Change {
  id: string;
  from: Verdict['decision'];
  to: Verdict['decision'];
  added: Category[];
  removed: Category[];
}

export interface RemoderationReport {
  scanned: number;
  unchanged: number;
  changed: Change[];
  /** Applied (0 in a dry run); fewer than changed when a moderator decided one in between. */
  applied: number;
  /** Left alone: a moderator's decision stands; a queued comment is the worker's. */
  moderatorDecided: number;
  queued: number;
}

const flaggedOf = (v: Pick<Verdict, 'categories'>) => new Set(CATEGORIES.filter((c) => v.categories[c].flagged));

/**
 * Re-runs every stored comment whose verdict is automatic under `policy`, and (unless a dry run)
 * records the new verdict where the decision or the flagged categories changed. The old verdict
 * goes to the comment's history and the change fires the usual event, so webhooks tell the CMS.
 */
export async function remoderateAll(
  store: CommentStore,
  policy: CompiledPolicy,
  options: { dryRun: boolean; now?: () => Date; onChange?: (c: Change, applied: boolean) => void },
): Promise<RemoderationReport> {
  const report: RemoderationReport = { scanned: 0, unchanged: 0, changed: [], applied: 0, moderatorDecided: 0, queued: 0 };
  const now = options.now ?? (() => new Date());
  for await (const ids of store.allIds()) {
    for (const id of ids) {
      const c = await store.get(id);
      if (!c) continue;
      report.scanned++;
      if (c.status === 'queued' || !c.verdict) {
        report.queued++;
        continue;
      }
      if (c.verdict.decidedBy !== 'auto') {
        report.moderatorDecided++;
        continue;
      }
      // Reposting was a fact when the comment came in; the day-long counter may be gone now.
      const reposted = c.verdict.categories.spam.evidence.some((e) => e.rule === 'spam/reposted');
      const assessment = moderate(c.text, policy, { context: { repeats: reposted ? policy.doc.spam.repeatThreshold : 0 } });
      const before = flaggedOf(c.verdict);
      const after = flaggedOf(assessment);
      const added = [...after].filter((x) => !before.has(x));
      const removed = [...before].filter((x) => !after.has(x));
      if (assessment.decision === c.verdict.decision && added.length === 0 && removed.length === 0) {
        report.unchanged++;
        continue;
      }
      const change: Change = { id, from: c.verdict.decision, to: assessment.decision, added, removed };
      report.changed.push(change);
      let applied = false;
      if (!options.dryRun) {
        const verdict: Verdict = { ...assessment, decidedBy: 'auto', decidedAt: now().toISOString() };
        applied = (await store.decide(id, verdict, { mode: 'policy', replaces: c.verdict.decidedAt, submittedAt: c.submittedAt })).outcome === 'applied';
        if (applied) report.applied++;
      }
      options.onChange?.(change, applied);
    }
  }
  return report;
}

function describe(c: Change): string {
  const cats = [...c.added.map((x) => `+${x}`), ...c.removed.map((x) => `-${x}`)].join(' ');
  return `${c.id}  ${c.from} → ${c.to}${cats ? `  (${cats})` : ''}`;
}

/** `decorum remoderate [--dry-run]`: against the Redis of REDIS_URL and REDIS_PREFIX. */
export async function remoderate(
  opts: { dryRun: boolean; policyFile: string },
  io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream },
): Promise<number> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const { policy } = await loadSafePolicy(opts.policyFile);
  const redis = await connectRedis(config.redis, FAIL_FAST);
  try {
    const store = new CommentStore(redis, keys(config.prefix));
    io.err.write(`${opts.dryRun ? 'dry run: ' : ''}re-moderating under policy ${policy.doc.name} ${policy.doc.version} (prefix ${config.prefix})\n`);
    const report = await remoderateAll(store, policy, {
      dryRun: opts.dryRun,
      onChange: (c, applied) => io.out.write(`${describe(c)}${opts.dryRun ? '' : applied ? '' : '  (skipped: decided again meanwhile)'}\n`),
    });
    io.err.write(
      `${report.scanned} scanned: ${report.unchanged} unchanged, ${report.changed.length} ${opts.dryRun ? 'would change' : `changed (${report.applied} applied)`}, ` +
        `${report.moderatorDecided} decided by a moderator (left alone), ${report.queued} still queued\n`,
    );
    return 0;
  } finally {
    await closeRedis(redis);
  }
}
