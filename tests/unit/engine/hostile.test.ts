import { corpus } from '../../../bench/corpus';
import { hostileGenerators } from '../../../bench/hostile-texts';
import { moderate } from '../../../src/engine';
import { unmask } from '../../../src/engine/lexicon';
import { defaultPolicy } from '../../helpers/policy';
import { meter } from '../../helpers/work-meter';

const policy = defaultPolicy();

/** The engine's work on a text, from an empty word memo so that n and 4n start alike. */
function work(text: string): number {
  policy.lexicon.memo.clear();
  return meter(() => moderate(text, policy, { clock: () => 0 })).work;
}

const N = 2000;
// Ordinary comments of the same length, for what one character normally costs.
const ordinary = Math.max(...corpus(N, 5).map(work)) / N;

describe('hostile text costs the engine work linear in its length', () => {
  it.each(hostileGenerators(policy).map((g) => [g.name, g] as const))('%s', (_, g) => {
    const small = work(g.make(N));
    const large = work(g.make(4 * N));
    // Four times the text, at most about four times the work (a quadratic path gives sixteen).
    expect(large / small).toBeLessThan(6);
    // And within a small factor of what an ordinary comment costs per character.
    expect(large / (4 * N)).toBeLessThan(8 * ordinary);
  });

  it('counts a quadratic loop as quadratic (the meter can fail)', () => {
    const rescan = (s: string) => {
      let n = 0;
      for (let i = 0; i < s.length; i++) n += s.slice(i).indexOf('x');
      return n;
    };
    const small = meter(() => rescan('a'.repeat(N))).work;
    const large = meter(() => rescan('a'.repeat(4 * N))).work;
    expect(large / small).toBeGreaterThan(12);
  });
});

describe('unmask', () => {
  it('rules out a mask longer than every candidate without building a pattern from it', () => {
    const mask = 'f' + '*'.repeat(9999);
    const { result, work: w } = meter(() => unmask(policy.lexicon, mask));
    expect(result).toBeNull();
    expect(w).toBeLessThan(policy.lexicon.maskFormMax * 10);
  });

  it('still reads masks with one hidden letter per star, and dashes for any number', () => {
    expect(unmask(policy.lexicon, 'f**k')?.form).toBe('fuck');
    expect(unmask(policy.lexicon, "f**kin'")?.form).toBe('fuckin');
    expect(unmask(policy.lexicon, 'b~h')?.form).toMatch(/^b\p{L}+h$/u);
    expect(unmask(policy.lexicon, 'f***')?.term.category).toBe('profanity');
    expect(unmask(policy.lexicon, 'x***')).toBeNull();
  });
});

describe('failures', () => {
  it('keep their message short whatever a detector threw', () => {
    const long = new Error('x'.repeat(60_000));
    const a = moderate('a comment', policy, {
      rules: {
        spam: {
          run: () => {
            throw long;
          },
        },
      },
    });
    expect(a.failures).toHaveLength(1);
    expect(a.failures[0].message.length).toBeLessThanOrEqual(200);
  });
});
