import { CATEGORIES, type Category } from './categories';
import type { Lexicon, PolicyDocument } from './policy';

/**
 * What a moderator needs to read a verdict under one policy: each rule id's description and what
 * an unflagged category's score means. Served to the dashboard as it is (GET /v1/policy).
 */
export interface PolicyGuide {
  name: string;
  version: string;
  /**
   * Per category, what its score means when the category was not flagged (a classifier's
   * probability, under the policy's own lines), or null when an unflagged category scores 0.
   */
  scores: Record<Category, string | null>;
  /**
   * Rule id (without `#reading`) to description; `<prefix>/*` describes every id under the
   * prefix, and `#<reading>` how a word was disguised. describeRule reads it.
   */
  rules: Record<string, string>;
}

/** What the classifier's heads say a comment is, in a moderator's words. */
const HEAD_MEANS: Partial<Record<Category, string>> = {
  racism: 'hateful towards a people',
  discourtesy: 'insulting',
  vulgarity: 'vulgar',
};

const MENTION = '/mention';

export function policyGuide(doc: PolicyDocument, lexicons: readonly Lexicon[]): PolicyGuide {
  const rules: Record<string, string> = {};
  const add = (id: string, description: string | undefined) => {
    // The first lexicon to define a word decides it, as when the lexicons are compiled.
    if (description !== undefined && !(id in rules)) rules[id] = description;
  };
  for (const lex of lexicons) {
    for (const t of lex.terms) {
      const id = `lexicon/${lex.lang}/${t.root}`;
      const description = t.description ?? lex.wordDescriptions[t.category];
      add(id, description);
      // The racism rule downgrades a slur that is talked about rather than used.
      const mention = doc.ruleDescriptions[MENTION];
      if (t.category === 'racism' && description !== undefined && mention !== undefined) add(id + MENTION, `${description}, ${mention}`);
    }
    for (const p of lex.phrases) add(`phrase/${p.id}`, p.description);
  }
  for (const [id, description] of Object.entries(doc.ruleDescriptions)) if (id !== MENTION) add(id, description);
  return { name: doc.name, version: doc.version, scores: scoreMeanings(doc), rules };
}

/** The description of a rule id as evidence carries it, or undefined when the policy has none. */
export function describeRule(guide: PolicyGuide, id: string): string | undefined {
  const hash = id.indexOf('#');
  const path = hash < 0 ? id : id.slice(0, hash);
  const base = guide.rules[path] ?? guide.rules[path.replace(/\/[^/]*$/, '/*')];
  if (base === undefined || hash < 0) return base;
  const reading = guide.rules[id.slice(hash)];
  return reading === undefined ? base : `${base}, ${reading}`;
}

function scoreMeanings(doc: PolicyDocument): Record<Category, string | null> {
  const c = doc.classifier;
  const out = Object.fromEntries(CATEGORIES.map((k) => [k, null])) as Record<Category, string | null>;
  if (!c) return out;
  const offensiveAt = `${c.flagAt.toFixed(2)}${c.cyrillic ? `; ${c.cyrillic.flagAt.toFixed(2)} in Cyrillic` : ''}`;
  for (const category of CATEGORIES) {
    const means = HEAD_MEANS[category];
    if (means === undefined) continue;
    const at = c.headFlagAt[category as keyof typeof c.headFlagAt];
    const what = `the classifier's probability that the comment is ${means}`;
    const name = category.replace(/_/g, ' ');
    out[category] =
      at !== undefined
        ? `${what}; it flags ${name} by itself from ${at.toFixed(2)}.`
        : `${what}; it never flags ${name} by itself, only names the category of a comment it finds offensive (from ${offensiveAt}) when no rule fired.`;
  }
  return out;
}
