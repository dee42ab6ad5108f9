import { CATEGORIES, moderate } from '../../src/engine';
import type { Verdict } from '../../src/engine/verdict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LUA_DIR } from '../../src/store/lua';
import { LAYOUT, packVerdict, parseLayout, type StoredVerdict, unpackVerdict, V1_LAYOUT } from '../../src/store/verdict-codec';
import { defaultPolicy } from '../helpers/policy';

const texts = [
  'Thanks for the careful reporting.',
  'What a load of bullsh*t, you moron. I will kill you.',
  'ВЫ ВСЕ ИДИОТЫ!!! Бл@дь.',
  'Buy cheap watches at http://spam.example.com now!!! http://spam.example.com',
  // Longer than the policy scores: the cut is kept.
  `You moron. ${'calm words about the summit '.repeat(900)}`,
];

/** What the decide scripts do to a packed verdict: number its rules in a shared dictionary. */
function store(v: Verdict, dictionary: string[]): StoredVerdict {
  const packed = packVerdict(v);
  const r = packed.names.map((name) => (dictionary.includes(name) ? dictionary.indexOf(name) : dictionary.push(name) - 1));
  return { ...(JSON.parse(packed.json) as Omit<StoredVerdict, 'r'>), r };
}

const DECIDED_AT = '2026-11-23T10:00:00.000Z';

describe('stored verdicts', () => {
  it.each(texts)('come back exactly as the engine gave them: %s', (text) => {
    const dictionary = ['a rule numbered before this comment'];
    const v: Verdict = { ...moderate(text, defaultPolicy()), decidedBy: 'auto', decidedAt: DECIDED_AT };
    // Scores are kept to 4 decimals; everything else round-trips exactly.
    const rounded = { ...v, categories: Object.fromEntries(CATEGORIES.map((c) => [c, { ...v.categories[c], score: Math.round(v.categories[c].score * 1e4) / 1e4 }])) };
    expect(unpackVerdict(store(v, dictionary), text, Date.parse(DECIDED_AT), (n) => dictionary[n])).toEqual(rounded);
  });

  it('name each rule once, however much evidence cites it', () => {
    const text = 'idiot idiot idiot idiot';
    const v: Verdict = { ...moderate(text, defaultPolicy()), decidedBy: 'auto', decidedAt: DECIDED_AT };
    const cited = CATEGORIES.flatMap((c) => v.categories[c].evidence.map((e) => e.rule));
    expect(cited.length).toBeGreaterThan(new Set(cited).size);
    expect(packVerdict(v).names).toEqual([v.policyVersion, LAYOUT, ...new Set(cited)]);
  });

  it('keep a moderator, a reason and detector failures, and take at most a third of the full JSON', () => {
    const text = 'What a load of bullsh*t, you moron.';
    const v: Verdict = {
      ...moderate(text, defaultPolicy()),
      failures: [{ detector: 'violence', reason: 'timeout', action: 'hold', message: 'took 120 ms, budget 100 ms' }],
      decidedBy: 'mod_1',
      decidedAt: DECIDED_AT,
      reason: 'sarcasm',
    };
    const dictionary: string[] = [];
    const stored = store(v, dictionary);
    expect(unpackVerdict(stored, text, Date.parse(DECIDED_AT), (n) => dictionary[n])).toMatchObject({ reason: 'sarcasm', failures: v.failures, decidedBy: 'mod_1', decidedAt: DECIDED_AT });
    expect(JSON.stringify(stored).length).toBeLessThan(JSON.stringify(v).length / 3);
  });

  it('take the time a history entry carries over the one given', () => {
    const v: Verdict = { ...moderate('What a moron.', defaultPolicy()), decidedBy: 'auto', decidedAt: DECIDED_AT };
    const dictionary: string[] = [];
    const entry = { ...store(v, dictionary), at: Date.parse('2026-01-02T03:04:05.006Z') };
    expect(unpackVerdict(entry, 'What a moron.', undefined, (n) => dictionary[n]).decidedAt).toBe('2026-01-02T03:04:05.006Z');
  });

  it('name their layout, so they read the same after categories are reordered or added', () => {
    const text = 'You moron, I will kill you.';
    const v: Verdict = { ...moderate(text, defaultPolicy()), decidedBy: 'auto', decidedAt: DECIDED_AT };
    const dictionary: string[] = [];
    const stored = store(v, dictionary);
    expect(stored.v).toBe(2);
    expect(dictionary[stored.r[1]]).toBe(LAYOUT);
    expect(parseLayout(LAYOUT).categories).toEqual([...CATEGORIES]);
    // A later version's layout: the categories in another order, with one this version lacks.
    const later = ['future_category', ...[...CATEGORIES].reverse()];
    const at = (name: string) => later.indexOf(name);
    const relaid: StoredVerdict = {
      ...stored,
      s: later.map((name) => (name === 'future_category' ? 0.99 : stored.s[CATEGORIES.indexOf(name as (typeof CATEGORIES)[number])])),
      c: [[at('future_category'), 1, 3, 0, 3, 2], ...(stored.c ?? []).map(([i, ...rest]) => [at(CATEGORIES[i]), ...rest])],
      r: stored.r.map((n, i) => (i === 1 ? dictionary.push(`${later.join(',')}|low,medium,high|approved,held,rejected`) - 1 : n)),
    };
    const name = (n: number) => dictionary[n];
    expect(unpackVerdict(relaid, text, Date.parse(DECIDED_AT), name)).toEqual(unpackVerdict(stored, text, Date.parse(DECIDED_AT), name));
  });
});

describe('verdicts stored in format 1', () => {
  // Written by the codec before format 2 (categories, decisions and severities by index in the
  // lists of the time): a moderator's rejection of 'You moron, I will kill you.'.
  const text = 'You moron, I will kill you.';
  const v1: StoredVerdict = JSON.parse(
    '{"d":2,"s":[0.95,0.5428,0,0.5789,0,0.95,0],"c":[[0,1,3,11,26,1],[5,1,3,4,9,2,4,9,3,4,9,4]],"by":"mod_3","why":"threat","r":[0,1,2,3,4]}',
  );
  const dictionary = ['2026-12-06.1', 'threat/intent-harm', 'lexicon/en/moron', 'phrase/discourtesy/you-insult#spans', 'phrase/discourtesy/you-insult-mid#spans'];

  it('are still read', () => {
    const v = unpackVerdict(v1, text, Date.parse(DECIDED_AT), (n) => dictionary[n]);
    expect(v).toMatchObject({ decision: 'rejected', decidedBy: 'mod_3', reason: 'threat', policyVersion: '2026-12-06.1', decidedAt: DECIDED_AT });
    expect(v.categories.violence).toEqual({ score: 0.95, flagged: true, severity: 'high', evidence: [{ start: 11, end: 26, text: 'I will kill you', rule: 'threat/intent-harm' }] });
    expect(v.categories.discourtesy.evidence.map((e) => [e.text, e.rule])).toEqual([
      ['moron', 'lexicon/en/moron'],
      ['moron', 'phrase/discourtesy/you-insult#spans'],
      ['moron', 'phrase/discourtesy/you-insult-mid#spans'],
    ]);
    expect(v.categories.racism).toEqual({ score: 0.5428, flagged: false, severity: null, evidence: [] });
    expect(v.categories.vulgarity.score).toBe(0.5789);
  });

  it('mean by their numbers what the Lua that reads them means', () => {
    // The re-moderation script counts the flags of the verdict it replaces, in either format.
    const include = readFileSync(path.join(LUA_DIR, 'includes', 'flaggedIn.lua'), 'utf8');
    const list = /local V1_CATEGORIES = \{([^}]*)\}/.exec(include)?.[1] ?? '';
    expect(list.split(',').map((c) => c.trim().replace(/'/g, ''))).toEqual([...V1_LAYOUT.categories]);
  });
});
