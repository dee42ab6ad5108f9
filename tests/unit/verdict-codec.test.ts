import { CATEGORIES, moderate } from '../../src/engine';
import type { Verdict } from '../../src/engine/verdict';
import { packVerdict, unpackVerdict } from '../../src/store/verdict-codec';
import { defaultPolicy } from '../helpers/policy';

const texts = [
  'Thanks for the careful reporting.',
  'What a load of bullsh*t, you moron. I will kill you.',
  'ВЫ ВСЕ ИДИОТЫ!!! Бл@дь.',
  'Buy cheap watches at http://spam.example.com now!!! http://spam.example.com',
  '',
];

describe('stored verdicts', () => {
  it.each(texts.filter(Boolean))('come back exactly as the engine gave them: %s', (text) => {
    const v: Verdict = { ...moderate(text, defaultPolicy()), decidedBy: 'auto', decidedAt: '2026-11-23T10:00:00.000Z' };
    // Scores are kept to 4 decimals; everything else round-trips exactly.
    const rounded = { ...v, categories: Object.fromEntries(CATEGORIES.map((c) => [c, { ...v.categories[c], score: Math.round(v.categories[c].score * 1e4) / 1e4 }])) };
    expect(unpackVerdict(packVerdict(v), text)).toEqual(rounded);
  });

  it('keep a moderator reason and detector failures, and take at most 60% of the full JSON', () => {
    const text = 'What a load of bullsh*t, you moron.';
    const v: Verdict = {
      ...moderate(text, defaultPolicy()),
      failures: [{ detector: 'violence', reason: 'timeout', action: 'hold', message: 'took 120 ms, budget 100 ms' }],
      decidedBy: 'mod_1',
      decidedAt: '2026-11-23T10:00:00.000Z',
      reason: 'sarcasm',
    };
    const packed = packVerdict(v);
    expect(unpackVerdict(packed, text)).toMatchObject({ reason: 'sarcasm', failures: v.failures, decidedBy: 'mod_1' });
    expect(packed.length).toBeLessThan(JSON.stringify(v).length * 0.6);
    // The DECIDE script's re-moderation check reads these two by name.
    expect(JSON.parse(packed)).toMatchObject({ decidedBy: 'mod_1', decidedAt: '2026-11-23T10:00:00.000Z' });
  });
});
