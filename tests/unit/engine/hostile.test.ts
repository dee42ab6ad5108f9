import { corpus } from '../../../bench/corpus';
import { hostileGenerators } from '../../../bench/hostile-texts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compilePolicy, moderate } from '../../../src/engine';
import { unmask } from '../../../src/engine/lexicon';
import { defaultPolicy } from '../../helpers/policy';
import { meter } from '../../helpers/work-meter';

const policy = defaultPolicy();
// The default policy's lexicons as files, for a second compiled copy with a memo of its own.
const rawLexicons: unknown[] = policy.doc.lexicons.map((rel) => JSON.parse(readFileSync(path.resolve('policies', rel), 'utf8')));

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
          category: 'spam',
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

describe('the cut', () => {
  const max = policy.doc.maxChars;

  it('scores no more than the policy says, and records where it cut', () => {
    const tail = ' you idiot';
    const text = 'calm words '.repeat(Math.ceil(max / 11)) + tail;
    const a = moderate(text, policy);
    expect(a.cut).toEqual({ at: expect.any(Number), length: text.length });
    expect(a.cut!.at).toBeLessThanOrEqual(max);
    // The insult past the cut was not read.
    expect(a.categories.discourtesy.flagged).toBe(false);
    expect(moderate(text.slice(text.length - tail.length - 100), policy).categories.discourtesy.flagged).toBe(true);
  });

  it('cuts at a space near the limit, and its evidence points into the original text', () => {
    const text = 'fuck ' + 'x'.repeat(max - 10) + ' assassin ' + 'y'.repeat(100);
    const a = moderate(text, policy);
    expect(text[a.cut!.at]).toBe(' ');
    expect(a.categories.profanity.evidence[0]).toMatchObject({ start: 0, end: 4, text: 'fuck' });
    // "assassin" is past the cut whole, not read as "ass".
    expect(a.categories.vulgarity.flagged).toBe(false);
  });

  it('never splits a surrogate pair', () => {
    const text = '😀'.repeat(max);
    const a = moderate(text, policy);
    expect(a.cut!.at % 2).toBe(0);
  });

  it('is absent from the verdict of a text within the limit', () => {
    expect(moderate('calm words', policy)).not.toHaveProperty('cut');
  });

  it('makes the worst text at the largest length any endpoint accepts cost what the limit costs', () => {
    const gens = hostileGenerators(policy);
    for (const g of gens) {
      const atLimit = work(g.make(max));
      const atLargest = work(g.make(100_000));
      // Five times the text; uncut, five times the work. Cut, the same work and the copy of
      // what is scored (max characters).
      expect(atLargest - max).toBeLessThan(atLimit * 1.2);
    }
  });
});

describe('the word memo', () => {
  it('stays within its byte bound however long and many the words', () => {
    const lex = compilePolicy(policy.doc, rawLexicons).lexicon;
    lex.memoMaxBytes = 64 * 1024;
    for (let c = 0; c < 50; c++) {
      const words = Array.from({ length: 100 }, (_, i) => `w${c}x${i}${'q'.repeat(30 + (i % 40))}`);
      moderate(words.join(' '), { ...policy, lexicon: lex });
    }
    let bytes = 0;
    for (const key of lex.memo.keys()) bytes += 2 * key.length;
    expect(lex.memo.size).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(64 * 1024);
  });

  it('does not keep a word longer than it remembers', () => {
    policy.lexicon.memo.clear();
    const long = 'z'.repeat(10_000);
    moderate(long, policy);
    expect(policy.lexicon.memo.has(long)).toBe(false);
  });
});

describe('spelled-out words, read from one scan of each run', () => {
  const spaced = (text: string) => moderate(text, policy).categories.profanity.evidence.map((e) => [e.text, e.rule]);

  it('still finds a word whose separator differs from the letters before it', () => {
    expect(spaced('x y f.u.c.k')).toEqual([['f.u.c.k', 'lexicon/en/fuck#spaced']]);
    expect(spaced('x f u c k')).toEqual([['x f u c k', 'lexicon/en/fuck#spaced']]);
  });

  it('finds one at the end of a run longer than a word can be', () => {
    const text = `${'q '.repeat(100)}f u c k`;
    const evidence = moderate(text, policy).categories.profanity.evidence;
    expect(evidence).toHaveLength(1);
    expect(evidence[0].end).toBe(text.length);
    expect(evidence[0].rule).toBe('lexicon/en/fuck#spaced');
  });
});
