import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadSuite } from '../../../scripts/eval/data';
import { CATEGORIES, describeRule, LexiconSchema, moderate, PolicyDocumentSchema, policyGuide } from '../../../src/engine';
import commentsJson from '../../../seeds/comments.json';
import { defaultPolicy } from '../../helpers/policy';

const policy = defaultPolicy();
const guide = policy.guide;
const FIXTURES = path.join(__dirname, '..', '..', 'fixtures');
const POLICIES = path.join(__dirname, '..', '..', '..', 'policies');

/** The default policy's files as written, before compiling. */
function readPolicyFiles() {
  const read = (file: string): unknown => JSON.parse(readFileSync(path.join(POLICIES, file), 'utf8'));
  const doc = PolicyDocumentSchema.parse(read('default.json'));
  return { doc, lexicons: doc.lexicons.map((f) => LexiconSchema.parse(read(f))) };
}

describe('every rule of the default policy has a description for moderators', () => {
  it('every lexicon word, phrase and slur mention', () => {
    const { lexicons } = readPolicyFiles();
    const undescribed: string[] = [];
    for (const lex of lexicons) {
      for (const t of lex.terms) {
        const id = `lexicon/${lex.lang}/${t.root}`;
        if (!describeRule(guide, id)) undescribed.push(id);
        if (t.category === 'racism' && !describeRule(guide, `${id}/mention`)) undescribed.push(`${id}/mention`);
      }
      for (const p of lex.phrases) if (!describeRule(guide, `phrase/${p.id}`)) undescribed.push(`phrase/${p.id}`);
    }
    expect(undescribed).toEqual([]);
  });

  it('every rule that fires on the labelled suites and the demo comments, readers and classifier included', () => {
    const texts = [
      ...['suite.jsonl', 'threats.jsonl', 'identity.jsonl'].flatMap((f) => loadSuite(path.join(FIXTURES, f)).map((c) => c.text)),
      ...commentsJson.map((c) => c.text),
    ];
    const fired = new Set<string>();
    for (const text of texts) {
      const v = moderate(text, policy);
      for (const c of CATEGORIES) for (const e of v.categories[c].evidence) fired.add(e.rule);
    }
    // The families the readers have, so a suite that stopped exercising one would show here.
    for (const family of ['lexicon/', 'phrase/', 'threat/', 'identity/', 'caps/', 'spam/', 'classifier/', 'spans/']) {
      expect([...fired].some((r) => r.startsWith(family))).toBe(true);
    }
    expect([...fired].filter((r) => !describeRule(guide, r)).sort()).toEqual([]);
  });

  it('shows a regular expression rule as words, and a disguised word with how it was disguised', () => {
    const v = moderate('Ну ты и пиздабол, нахуй иди', policy);
    const regexRule = Object.values(v.categories)
      .flatMap((c) => c.evidence)
      .find((e) => e.rule.includes('ху[йяеёию]'));
    expect(regexRule).toBeDefined();
    expect(describeRule(guide, regexRule!.rule)).toMatch(/^Russian мат: хуй/);
    expect(describeRule(guide, 'lexicon/en/fuck#masked')).toBe('An English swear word, written with masking characters (f***)');
    expect(describeRule(guide, 'spans/discourtesy/imbecile')).toMatch(/insult/);
    expect(describeRule(guide, 'lexicon/en/no-such-word')).toBeUndefined();
  });
});

describe('the guide to scores', () => {
  it('says, per category, what an unflagged score means under the policy', () => {
    expect(guide.scores.racism).toMatch(/flags racism by itself from 0\.80/);
    expect(guide.scores.vulgarity).toMatch(/never flags vulgarity by itself/);
    const c = defaultPolicy().doc.classifier!;
    expect(guide.scores.vulgarity).toContain(`(from ${c.flagAt.toFixed(2)}; ${c.cyrillic!.flagAt.toFixed(2)} in Cyrillic)`);
    expect(guide.scores.violence).toBeNull();
  });

  it('follows the policy it was made from', () => {
    const g = policyGuide({ ...readPolicyFiles().doc, classifier: undefined }, []);
    expect(Object.values(g.scores).every((s) => s === null)).toBe(true);
    expect(g.rules['threat/wish']).toBeDefined();
  });
});
