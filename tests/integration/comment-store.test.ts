import { Redis } from 'ioredis';
import { CATEGORIES, moderate } from '../../src/engine';
import type { Verdict } from '../../src/engine/verdict';
import { CommentStore } from '../../src/store/comments';
import { keys } from '../../src/store/keys';
import { ReviewQuery } from '../../src/store/review';
import { LAYOUT } from '../../src/store/verdict-codec';
import { defaultPolicy } from '../helpers/policy';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/service';

// The store's layout in a real Redis: the verdict packed after the body, its rule names numbered
// in a dictionary by the decide scripts, and the status indexes standing in for a list of all.

const redis = new Redis(TEST_REDIS_URL);
const prefix = uniquePrefix('store');
const k = keys(prefix);
const store = new CommentStore(redis, k);

afterAll(async () => {
  await deletePrefix(redis, prefix);
  await redis.quit();
});

const rounded = (v: Verdict): Verdict => ({
  ...v,
  categories: Object.fromEntries(CATEGORIES.map((c) => [c, { ...v.categories[c], score: Math.round(v.categories[c].score * 1e4) / 1e4 }])) as Verdict['categories'],
});

function verdictOf(text: string, decidedAt: string, decidedBy = 'auto', reason?: string): Verdict {
  return { ...moderate(text, defaultPolicy()), decidedBy, decidedAt, ...(reason !== undefined && { reason }) };
}

const input = (text: string, articleId = 'art-1') => ({ articleId, author: { id: 'reader-1', name: 'Ann' }, text, metadata: { thread: 't-9' } });

describe('the comment store', () => {
  const texts = ['ВЫ ВСЕ ИДИОТЫ!!! Бл@дь, хохлы.', 'What a load of bullsh*t, you moron. I will kill you.', 'Idiot. Idiot. IDIOT!'];

  it('reads back each verdict exactly as decided, rule names included', async () => {
    for (const [i, text] of texts.entries()) {
      const id = `exact-${i}`;
      const submittedAt = Date.parse('2026-12-06T10:00:00.000Z') + i;
      await store.create(id, input(text), submittedAt);
      const v = verdictOf(text, `2026-12-06T10:00:0${i}.123Z`);
      expect(CATEGORIES.flatMap((c) => v.categories[c].evidence).length).toBeGreaterThan(1);
      expect(await store.decide(id, v, { mode: 'auto', submittedAt })).toEqual({ outcome: 'applied', previous: 'queued' });
      const c = await store.get(id);
      expect(c).toMatchObject({ id, text, author: { id: 'reader-1', name: 'Ann' }, metadata: { thread: 't-9' }, status: v.decision, decidedAt: v.decidedAt });
      expect(c?.verdict).toEqual(rounded(v));
    }
  });

  it('numbers each rule, and the policy version, once across comments', async () => {
    const names = new Set<string>([defaultPolicy().doc.version, LAYOUT]);
    for (const text of texts) for (const c of CATEGORIES) for (const e of verdictOf(text, new Date().toISOString()).categories[c].evidence) names.add(e.rule);
    expect(await redis.hlen(k.ruleNumbers)).toBe(names.size);
    expect(await redis.hlen(k.ruleNames)).toBe(names.size);
    expect(new Set(await redis.hvals(k.ruleNumbers))).toEqual(new Set(Array.from({ length: names.size }, (_, i) => String(i))));
  });

  it('moves a replaced verdict to the history with its own time and rules', async () => {
    const text = 'You are an idiot and a liar.';
    const submittedAt = Date.now();
    await store.create('hist-1', input(text), submittedAt);
    const auto = verdictOf(text, '2026-12-06T11:00:00.000Z');
    await store.decide('hist-1', auto, { mode: 'auto', submittedAt });
    const mod: Verdict = { ...auto, decision: 'approved', decidedBy: 'mod_7', decidedAt: '2026-12-06T11:05:00.000Z', reason: 'quoting someone' };
    expect(await store.decide('hist-1', mod, { mode: 'moderator' })).toEqual({ outcome: 'applied', previous: auto.decision });
    const c = await store.get('hist-1');
    expect(c?.verdict).toEqual(rounded(mod));
    expect(c?.history).toEqual([rounded(auto)]);
    expect(c?.decidedAt).toBe('2026-12-06T11:05:00.000Z');
  });

  it('lets a re-moderation replace only the automatic verdict it was computed from', async () => {
    const text = 'What a moron.';
    const submittedAt = Date.now();
    await store.create('policy-1', input(text), submittedAt);
    const auto = verdictOf(text, '2026-12-06T12:00:00.000Z');
    await store.decide('policy-1', auto, { mode: 'auto', submittedAt });
    const redo: Verdict = { ...auto, decision: 'approved', decidedAt: '2026-12-06T12:30:00.000Z' };
    expect((await store.decide('policy-1', redo, { mode: 'policy', replaces: '2026-12-06T12:00:00.001Z', submittedAt })).outcome).toBe('already-decided');
    expect((await store.decide('policy-1', redo, { mode: 'policy', replaces: auto.decidedAt, submittedAt })).outcome).toBe('applied');
    const mod: Verdict = { ...redo, decision: 'held', decidedBy: 'mod_1', decidedAt: '2026-12-06T13:00:00.000Z' };
    await store.decide('policy-1', mod, { mode: 'moderator' });
    expect((await store.decide('policy-1', { ...redo, decidedAt: '2026-12-06T14:00:00.000Z' }, { mode: 'policy', replaces: mod.decidedAt, submittedAt })).outcome).toBe('already-decided');
    const c = await store.get('policy-1');
    expect(c?.history?.map((v) => [v.decidedBy, v.decidedAt])).toEqual([
      ['auto', auto.decidedAt],
      ['auto', redo.decidedAt],
    ]);
  });

  it('counts a re-moderation only by the categories it changed', async () => {
    const text = 'You are an idiot.';
    const submitted = Date.parse('2026-03-04T05:06:07.000Z');
    const day = k.flagsPerDay(Math.floor(submitted / 86_400_000));
    await store.create('count-1', input(text), submitted);
    const auto = verdictOf(text, '2026-12-06T15:00:00.000Z');
    expect(auto.categories.discourtesy.flagged).toBe(true);
    await store.decide('count-1', auto, { mode: 'auto', submittedAt: submitted });
    expect(await redis.hget(day, 'discourtesy')).toBe('1');
    const cleared: Verdict = { ...auto, decision: 'approved', decidedAt: '2026-12-06T15:01:00.000Z', categories: { ...auto.categories, discourtesy: { score: 0, flagged: false, severity: null, evidence: [] } } };
    await store.decide('count-1', cleared, { mode: 'policy', replaces: auto.decidedAt, submittedAt: submitted });
    expect(await redis.hget(day, 'discourtesy')).toBe('0');
  });

  it('re-moderates a verdict stored in format 1, taking its flags off the counters by their old numbers', async () => {
    const text = 'You are an idiot.';
    const submittedAt = Date.parse('2026-03-05T05:06:07.000Z');
    const day = k.flagsPerDay(Math.floor(submittedAt / 86_400_000));
    await store.create('v1-1', input(text), submittedAt);
    // What the format-1 codec stored for a held comment flagged as discourtesy (index 5 then).
    const decidedAt = Date.parse('2026-03-05T05:06:08.000Z');
    await redis.hincrby(day, 'discourtesy', 1);
    await redis.hset(k.comment('v1-1'), 'status', 'held', 'decidedAt', decidedAt);
    await redis.zrem(k.byStatus('queued'), 'v1-1');
    await redis.zadd(k.byStatus('held'), submittedAt, 'v1-1');
    const body = await redis.get(k.commentBody('v1-1'));
    await redis.set(k.commentBody('v1-1'), `${body}\n{"d":1,"s":[0,0,0,0,0,0.9,0],"c":[[5,1,2,11,16,1]],"r":[0,0]}`);
    expect((await store.get('v1-1'))?.verdict?.categories.discourtesy).toMatchObject({ flagged: true, severity: 'medium', evidence: [{ text: 'idiot' }] });
    const cleared: Verdict = {
      ...verdictOf(text, '2026-03-05T06:00:00.000Z'),
      decision: 'approved',
      categories: { ...verdictOf(text, '').categories, discourtesy: { score: 0, flagged: false, severity: null, evidence: [] } },
    };
    expect((await store.decide('v1-1', cleared, { mode: 'policy', replaces: new Date(decidedAt).toISOString(), submittedAt })).outcome).toBe('applied');
    expect(await redis.hget(day, 'discourtesy')).toBe('0');
    expect((await store.get('v1-1'))?.history?.[0].categories.discourtesy.flagged).toBe(true);
  });

  it('lists every comment once, in every status, by re-moderation and in the "all" listing', async () => {
    const listing = keys(`${prefix}-list`);
    const s = new CommentStore(redis, listing);
    const statuses = ['approved', 'held', 'rejected', 'queued'] as const;
    const created: string[] = [];
    try {
      for (let i = 0; i < 230; i++) {
        const id = `list-${String(i).padStart(3, '0')}`;
        // Ties in time across statuses, so the merge must order by id as Redis does.
        const submittedAt = 1_000_000 + Math.floor(i / 3);
        await s.create(id, input(`comment ${i}`, `art-${i % 3}`), submittedAt);
        const status = statuses[i % 4];
        if (status !== 'queued') await s.decide(id, { ...verdictOf(`comment ${i}`, new Date().toISOString()), decision: status }, { mode: 'auto', submittedAt });
        created.push(id);
      }
      const scanned: string[] = [];
      for await (const page of s.allIds()) scanned.push(...page);
      expect(scanned.sort()).toEqual([...created].sort());

      const review = new ReviewQuery(redis, listing, s);
      for (const order of ['oldest', 'newest'] as const) {
        const seen: string[] = [];
        let after = null;
        do {
          const page: Awaited<ReturnType<ReviewQuery['page']>> = await review.page({ status: 'all', order }, 40, after);
          seen.push(...page.items.map((c) => c.id));
          after = page.next;
        } while (after);
        const expected = order === 'oldest' ? created : [...created].reverse();
        expect(seen).toEqual(expected);
      }
    } finally {
      await deletePrefix(redis, `${prefix}-list`);
    }
  });
});
