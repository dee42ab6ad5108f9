import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compilePolicy, moderate } from '../../../src/engine';
import { SPECIAL_PATTERNS } from '../../../src/engine/normalize/specials';
import { ENTITY, LINE_BREAK_TAG, TAG } from '../../../src/integrations/coral';
import { loadPolicy, loadSafePolicy, PolicyLoadError, shippedPolicies } from '../../../src/policies';
import { describeUnsafe, patternHash, type PolicyPattern, policyPatterns, readProofs, unsafePatterns } from '../../../src/pattern-safety';

/**
 * One comment that makes a pattern backtrack exponentially freezes the process that moderates
 * it (a 26-word "what a stupid stupid … x" took two seconds, each extra word doubling it), so
 * every pattern a shipped policy compiles must be proven linear.
 */
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
  it('the proof manifest lists exactly the shipped policies\' patterns, each proven again now', async () => {
    const shipped = new Map<string, PolicyPattern>();
    for (const file of shippedPolicies()) for (const p of policyPatterns(loadPolicy(file))) shipped.set(patternHash(p.re), p);
    // Stale (a phrase edited, added or removed without `npm run policy:prove`) fails here.
    expect([...readProofs()].sort()).toEqual([...shipped.keys()].sort());
    const unsafe = await unsafePatterns([...shipped.values()]);
    expect(unsafe.map(describeUnsafe)).toEqual([]);
  }, 240_000);

  it("proves the code's own patterns that read whole comments: links and addresses, Coral's HTML", async () => {
    const own = { LINE_BREAK_TAG, TAG, ENTITY, ...Object.fromEntries(SPECIAL_PATTERNS.map((re, i) => [`special/${i}`, re])) };
    const unsafe = await unsafePatterns(Object.entries(own).map(([name, re]) => ({ name, re })));
    expect(unsafe.map(describeUnsafe)).toEqual([]);
  }, 60_000);

  it('finds a repeated group whose alternatives overlap', async () => {
    const policy = compilePolicy(docWith(), [
      lexicon([{ id: 'overlap', pattern: 'what a (?:(?:stupid|dumb|stupid) )*idiot' }]),
    ]);
    const unsafe = await unsafePatterns(policyPatterns(policy));
    expect(unsafe.map((u) => [u.name, u.complexity])).toEqual([['phrase/overlap', 'exponential']]);
  }, 60_000);

  it('finds a quadratic one too, once V8 confirms it on the longest text the engine scores', async () => {
    const policy = compilePolicy(docWith(), [lexicon([{ id: 'quadratic', pattern: 'a+ ?a+ ?b' }])]);
    const unsafe = await unsafePatterns(policyPatterns(policy));
    expect(unsafe.map((u) => [u.name, u.complexity])).toEqual([['phrase/quadratic', 'polynomial']]);
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

  it('still reads a chain of insulting adjectives, and a 40-word one (which used to take hours) in no time', () => {
    // Up to six adjectives are read as the phrase; a longer chain is still an insult by its noun.
    expect(rules(`what a ${'stupid '.repeat(6)}idiot`)).toContain('phrase/discourtesy/what-a');
    expect(rules(`what a ${'stupid '.repeat(40)}idiot`)).toContain('lexicon/en/idiot');
    expect(rules('what a total fucking moron')).toContain('phrase/discourtesy/what-a');
    expect(rules(`you ${'fat '.repeat(40)}idiot`)).toContain('phrase/discourtesy/you-insult');
  });
});

describe('loading a policy to run it', () => {
  /** A site policy: the default policy's lexicons plus one of the site's own. */
  const sitePolicy = (phrases: { id: string; pattern: string }[]) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'decorum-policy-'));
    const base = loadPolicy().doc;
    const shippedLexicons = base.lexicons.map((rel) => path.resolve(path.dirname(shippedPolicies().find((f) => f.endsWith('default.json'))!), rel));
    const { classifier: _, spans: _spans, ...doc } = base;
    writeFileSync(path.join(dir, 'own.json'), JSON.stringify(lexicon(phrases)));
    writeFileSync(path.join(dir, 'policy.json'), JSON.stringify({ ...doc, lexicons: [...shippedLexicons, 'own.json'] }));
    return path.join(dir, 'policy.json');
  };

  it('proves nothing again for the shipped policy: its patterns are in the manifest', async () => {
    const { proved } = await loadSafePolicy();
    expect(proved).toBe(0);
  });

  it("proves a site's own pattern, and only that one", async () => {
    const { policy, proved } = await loadSafePolicy(sitePolicy([{ id: 'own', pattern: 'you (?:absolute )?muppet' }]));
    expect(proved).toBe(1);
    expect(moderate('you absolute muppet', policy).categories.discourtesy.evidence.map((e) => e.rule)).toContain('phrase/own');
  }, 60_000);

  it("refuses a site's own pattern that can backtrack super-linearly", async () => {
    const file = sitePolicy([{ id: 'overlap', pattern: 'what a (?:(?:stupid|dumb|stupid) )*idiot' }]);
    await expect(loadSafePolicy(file)).rejects.toThrow(PolicyLoadError);
    await expect(loadSafePolicy(file)).rejects.toThrow(/phrase\/overlap: exponential backtracking/);
  }, 60_000);

  it('trusts no proof when the manifest is missing or was made by another checker', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'decorum-proofs-'));
    const current = readProofs();
    expect(current.size).toBeGreaterThan(0);
    expect(readProofs(path.join(dir, 'missing.json')).size).toBe(0);
    const other = path.join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ checker: 'recheck 0.0.1', patterns: [...current] }));
    expect(readProofs(other).size).toBe(0);
  });
});
