import { CATEGORIES, compilePolicy, moderate } from '../../../src/engine';
import { AssessmentSchema } from '../../../src/engine/verdict';
import { defaultPolicy } from '../../helpers/policy';

const policy = defaultPolicy();

describe('moderate', () => {
  it('always returns all seven categories and the policy version, in the verdict schema', () => {
    const v = moderate('A calm, reasonable comment about the summit.', policy);
    expect(Object.keys(v.categories).sort()).toEqual([...CATEGORIES].sort());
    expect(v.policyVersion).toBe(policy.doc.version);
    expect(v.decision).toBe('approved');
    expect(() => AssessmentSchema.parse(v)).not.toThrow();
  });

  it('applies the decision table, strictest action winning', () => {
    expect(moderate('damn, that was a long meeting', policy).decision).toBe('approved'); // profanity low
    expect(moderate('this is bullshit', policy).decision).toBe('held'); // profanity medium
    expect(moderate('fuck this summit', policy).decision).toBe('rejected'); // profanity high
    // all_caps high (rejected) beats profanity low (approved)
    expect(moderate('DAMN THIS SUMMIT WAS A DISASTER FOR ALL OF US', policy).decision).toBe('rejected');
  });

  it('follows a site policy that changes an action', () => {
    const lexicons = policy.doc.lexicons.map(() => ({ lang: 'en' }));
    const strict = compilePolicy(
      { ...policy.doc, actions: { ...policy.doc.actions, profanity: { high: 'rejected', medium: 'held', low: 'held' } } },
      [{ lang: 'en', terms: [{ root: 'damn', category: 'profanity', severity: 'low' }] }, ...lexicons.slice(1)],
    );
    expect(moderate('damn', strict).decision).toBe('held');
  });

  it('is deterministic', () => {
    const text = 'You are a moron and I will find you.';
    expect(moderate(text, policy)).toEqual(moderate(text, policy));
  });

  describe('when a detector fails', () => {
    it('holds the comment for a fail-closed detector and records why', () => {
      const v = moderate('a perfectly fine comment', policy, {
        rules: { violence: { category: 'violence', run: () => { throw new Error('boom'); } } },
      });
      expect(v.decision).toBe('held');
      expect(v.failures).toEqual([{ detector: 'violence', reason: 'error', action: 'hold', message: 'boom' }]);
    });

    it('goes on for a fail-open detector', () => {
      const v = moderate('a perfectly fine comment', policy, {
        rules: { spam: { category: 'spam', run: () => { throw new Error('down'); } } },
      });
      expect(v.decision).toBe('approved');
      expect(v.failures).toEqual([{ detector: 'spam', reason: 'error', action: 'continue', message: 'down' }]);
    });

    it('charges an overrun to the detector that ran long, and keeps or drops its findings by its failure rule', () => {
      // A clock that moves only while the chosen rule runs: every other detector takes no time.
      let now = 0;
      const clock = () => now;
      const slow = (category: 'spam' | 'violence') => ({
        category,
        run: () => {
          now += 1000;
          return [{ category, severity: 'high' as const, start: 0, end: 4, rule: `test/${category}` }];
        },
      });
      // spam fails open: the late result stands, and the failure is recorded.
      const open = moderate('a perfectly fine comment', policy, { clock, rules: { spam: slow('spam') } });
      expect(open.failures).toEqual([{ detector: 'spam', reason: 'timeout', action: 'continue', message: 'took 1000.0 ms, budget 100 ms' }]);
      expect(open.categories.spam.flagged).toBe(true);
      expect(open.categories.spam.evidence.map((e) => e.rule)).toEqual(['test/spam']);
      // violence fails closed: the late result is dropped and the comment is held.
      const closed = moderate('a perfectly fine comment', policy, { clock, rules: { violence: slow('violence') } });
      expect(closed.failures).toEqual([{ detector: 'violence', reason: 'timeout', action: 'hold', message: 'took 1000.0 ms, budget 100 ms' }]);
      expect(closed.categories.violence.flagged).toBe(false);
      expect(closed.decision).toBe('held');
    });

    it('runs an overrunning detector once more, and takes a second run within budget as a hiccup of the machine', () => {
      let now = 0;
      let runs = 0;
      const clock = () => now;
      // Slow the first time only, as when the process is descheduled mid-detector.
      const hiccup = {
        category: 'violence' as const,
        run: () => {
          if (runs++ === 0) now += 1000;
          return [{ category: 'violence' as const, severity: 'high' as const, start: 0, end: 4, rule: 'test/violence' }];
        },
      };
      const v = moderate('a perfectly fine comment', policy, { clock, rules: { violence: hiccup } });
      expect(runs).toBe(2);
      expect(v.failures).toEqual([]);
      expect(v.categories.violence.flagged).toBe(true);
    });

    it('treats a detector over its time budget as failed', () => {
      let now = 0;
      const clock = () => (now += 1000); // every reading a second later: everything overruns
      const v = moderate('a perfectly fine comment', policy, { clock });
      expect(v.decision).toBe('held');
      expect(v.failures.map((f) => f.reason)).toEqual(['timeout']);
      expect(v.failures[0].detector).toBe('analysis');
    });
  });
});
