import { readdirSync } from 'node:fs';
import path from 'node:path';
import { compilePolicy, moderate } from '../../../src/engine';
import { loadPolicy } from '../../../src/policies';
import { describeUnsafe, policyPatterns, unsafePatterns } from '../../../src/pattern-safety';

/**
 * One comment that makes a pattern backtrack exponentially freezes the process that moderates
 * it (a 26-word "what a stupid stupid … x" took two seconds, each extra word doubling it), so
 * every pattern a shipped policy compiles must be proven linear.
 */
const POLICIES = path.resolve(__dirname, '..', '..', '..', 'policies');

/** The default policy's document with one lexicon of its own, and no classifier. */
const docWith = () => {
  const { classifier: _, ...doc } = loadPolicy().doc;
  return { ...doc, lexicons: ['own.json'] };
};

const lexicon = (phrases: { id: string; pattern: string }[], macros: Record<string, string[]> = {}) => ({
  lang: 'en',
  macros,
  phrases: phrases.map((p) => ({ ...p, category: 'discourtesy', severity: 'medium' })),
});

describe('pattern safety', () => {
  it.each(readdirSync(POLICIES).filter((f) => f.endsWith('.json')))(
    'policies/%s compiles no pattern that can backtrack super-linearly',
    async (file) => {
      const policy = loadPolicy(path.join(POLICIES, file));
      const unsafe = await unsafePatterns(policyPatterns(policy));
      expect(unsafe.map(describeUnsafe)).toEqual([]);
    },
    180_000,
  );

  it('finds a repeated group whose alternatives overlap', async () => {
    const policy = compilePolicy(docWith(), [
      lexicon([{ id: 'overlap', pattern: 'what a (?:(?:stupid|dumb|stupid) )*idiot' }]),
    ]);
    const unsafe = await unsafePatterns(policyPatterns(policy));
    expect(unsafe.map((u) => [u.name, u.complexity])).toEqual([['phrase/overlap', 'exponential']]);
  }, 60_000);

  it('lists a macro word once however often the lexicons repeat it', async () => {
    const policy = compilePolicy(docWith(), [
      lexicon([{ id: 'chain', pattern: 'what a (?:@adj )*idiot' }], { adj: ['stupid', 'dumb', 'stupid'] }),
    ]);
    expect(await unsafePatterns(policyPatterns(policy))).toEqual([]);
  }, 60_000);
});

describe('the phrases the checker caught, rewritten', () => {
  const policy = loadPolicy();
  // A phrase's evidence may be narrowed to the words people mark: its rule id then ends in #spans.
  const rules = (text: string) => moderate(text, policy).categories.discourtesy.evidence.map((e) => e.rule.replace(/#spans$/, ''));

  it('still reads a long chain of insulting adjectives (which used to take seconds)', () => {
    expect(rules(`what a ${'stupid '.repeat(40)}idiot`)).toContain('phrase/discourtesy/what-a');
    expect(rules('what a total fucking moron')).toContain('phrase/discourtesy/what-a');
    expect(rules(`you ${'fat '.repeat(40)}idiot`)).toContain('phrase/discourtesy/you-insult');
  });
});
