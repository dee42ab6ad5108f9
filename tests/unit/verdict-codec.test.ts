import { CATEGORIES, moderate } from '../../src/engine';
import type { Verdict } from '../../src/engine/verdict';
import { packVerdict, type StoredVerdict, unpackVerdict } from '../../src/store/verdict-codec';
import { defaultPolicy } from '../helpers/policy';

const texts = [
  'Thanks for the careful reporting.',
  'What a load of bullsh*t, you moron. I will kill you.',
  'ВЫ ВСЕ ИДИОТЫ!!! Бл@дь.',
  'Buy cheap watches at http://spam.example.com now!!! http://spam.example.com',
  // Longer than the policy scores: the cut is kept.
  `You moron. ${'calm words about the summit '.repeat(900)}`,
];

/** What the DECIDE script does to a packed verdict: number its rules in a shared dictionary. */
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
    expect(packVerdict(v).names).toEqual([v.policyVersion, ...new Set(cited)]);
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
});
