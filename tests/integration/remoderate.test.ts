import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { remoderateAll } from '../../src/cli/remoderate';
import { loadPolicy } from '../../src/policies';
import { CommentStore } from '../../src/store/comments';
import { keys } from '../../src/store/keys';
import { call, startService, TEST_REDIS_URL, type TestService } from '../helpers/service';

const ROOT = path.join(__dirname, '..', '..');

/** The default policy, except that low-severity swearing is held instead of let through. */
function stricterPolicy(): string {
  const file = path.join(ROOT, 'policies', 'default.json');
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  doc.version = 'test-stricter';
  doc.actions.profanity.low = 'held';
  doc.lexicons = doc.lexicons.map((l: string) => path.resolve(path.dirname(file), l));
  doc.classifier.model = path.resolve(path.dirname(file), doc.classifier.model);
  if (doc.classifier.cyrillic) doc.classifier.cyrillic.model = path.resolve(path.dirname(file), doc.classifier.cyrillic.model);
  doc.spans.lexicon = path.resolve(path.dirname(file), doc.spans.lexicon);
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'decorum-policy-')), 'stricter.json');
  writeFileSync(out, JSON.stringify(doc));
  return out;
}

describe('re-moderating stored comments under a new policy', () => {
  let svc: TestService;
  let store: CommentStore;
  const policyFile = stricterPolicy();

  beforeAll(async () => {
    svc = await startService('remoderate');
    store = new CommentStore(svc.redis, keys(svc.prefix));
    for (const [id, text] of [
      ['r-damn', 'Damn, that summit went badly.'],
      ['r-clean', 'A clear account of the talks, thank you.'],
      ['r-mod', 'Damn, what a waste of a summit.'],
    ]) {
      const r = await call(svc.url, '/v1/comments?wait=5000', { body: { id, articleId: 'a-1', author: { id: 'u-1' }, text } });
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('approved');
    }
    // A moderator looked at this one: their decision must stand whatever the new policy says.
    const mod = await store.get('r-mod');
    expect((await store.decide('r-mod', { ...mod!.verdict!, decision: 'approved', decidedBy: 'mod_1', decidedAt: new Date().toISOString() }, { mode: 'moderator' })).outcome).toBe('applied');
  });
  afterAll(async () => {
    await svc.stop();
  });

  it('lists what would change in a dry run, and changes nothing', async () => {
    const report = await remoderateAll(store, loadPolicy(policyFile), { dryRun: true });
    expect(report).toMatchObject({ scanned: 3, unchanged: 1, applied: 0, moderatorDecided: 1, queued: 0 });
    expect(report.changed).toEqual([{ id: 'r-damn', from: 'approved', to: 'held', added: [], removed: [] }]);
    expect((await store.get('r-damn'))!.status).toBe('approved');
  });

  it('the CLI prints the same dry run', async () => {
    const r = await new Promise<{ stdout: string; stderr: string; code: number }>((resolve) =>
      execFile(
        process.execPath,
        [path.join(ROOT, 'bin', 'decorum.js'), 'remoderate', '--dry-run', '--policy', policyFile],
        { env: { ...process.env, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: svc.prefix }, timeout: 60_000 },
        (err, stdout, stderr) => resolve({ stdout, stderr, code: err ? 1 : 0 }),
      ),
    );
    expect([r.code, r.stderr]).toEqual([0, expect.stringMatching(/^dry run: re-moderating/)]);
    expect(r.stdout.trim()).toBe('r-damn  approved → held');
    expect(r.stderr).toMatch(/3 scanned: 1 unchanged, 1 would change, 1 decided by a moderator \(left alone\), 0 still queued/);
  });

  it('applies the change: new verdict, the old one in history, one event; the moderator decision stands', async () => {
    const eventsBefore = await svc.redis.xlen(keys(svc.prefix).events);
    // The activity chart's counters: both swearing comments were flagged when they came in.
    const day = Math.floor(Date.parse((await store.get('r-damn'))!.submittedAt) / 86_400_000);
    const profanityCount = async () => Number(await svc.redis.hget(keys(svc.prefix).flagsPerDay(day), 'profanity'));
    expect(await profanityCount()).toBe(2);
    const report = await remoderateAll(store, loadPolicy(policyFile), { dryRun: false });
    expect(report.applied).toBe(1);
    const c = (await store.get('r-damn'))!;
    expect(c.status).toBe('held');
    expect(c.verdict!.policyVersion).toBe('test-stricter');
    expect(c.verdict!.decidedBy).toBe('auto');
    expect(c.history!.map((v) => [v.decision, v.policyVersion])).toEqual([['approved', expect.not.stringMatching('test-stricter')]]);
    expect(await svc.redis.zscore(keys(svc.prefix).byStatus('held'), 'r-damn')).not.toBeNull();
    expect(await svc.redis.zscore(keys(svc.prefix).byStatus('approved'), 'r-damn')).toBeNull();
    const events = await svc.redis.xrange(keys(svc.prefix).events, '-', '+');
    expect(events.length).toBe(eventsBefore + 1);
    const last = events[events.length - 1][1];
    expect(last.slice(0, 6)).toEqual(['type', 'comment.held', 'commentId', 'r-damn', 'decidedBy', 'auto']);
    expect((await store.get('r-mod'))!.verdict!.decidedBy).toBe('mod_1');
    // Still flagged for swearing: re-deciding it counts no second flag.
    expect(await profanityCount()).toBe(2);
    // Run again: nothing left to change.
    const again = await remoderateAll(store, loadPolicy(policyFile), { dryRun: false });
    expect(again.changed).toEqual([]);
  });

  it('does not overwrite a verdict that changed after it was read', async () => {
    const c = (await store.get('r-clean'))!;
    const stale = '2000-01-01T00:00:00.000Z';
    const r = await store.decide('r-clean', { ...c.verdict!, decision: 'held', decidedAt: new Date().toISOString() }, { mode: 'policy', replaces: stale, submittedAt: c.submittedAt });
    expect(r.outcome).toBe('already-decided');
    expect((await store.get('r-clean'))!.status).toBe('approved');
  });

  it('takes a flag a new verdict no longer has off the activity counters', async () => {
    const c = (await store.get('r-damn'))!;
    const day = Math.floor(Date.parse(c.submittedAt) / 86_400_000);
    const counter = keys(svc.prefix).flagsPerDay(day);
    const before = Number(await svc.redis.hget(counter, 'profanity'));
    const clean = { ...c.verdict!, decision: 'approved' as const, decidedAt: new Date().toISOString() };
    clean.categories = { ...clean.categories, profanity: { score: 0, flagged: false, severity: null, evidence: [] } };
    expect((await store.decide('r-damn', clean, { mode: 'policy', replaces: c.verdict!.decidedAt, submittedAt: c.submittedAt })).outcome).toBe('applied');
    expect(Number(await svc.redis.hget(counter, 'profanity'))).toBe(before - 1);
  });
});
