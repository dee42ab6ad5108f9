import type { Analysis, Finding } from '../../analyze';
import { phraseFindings, termFindings } from '../../analyze';
import type { Rule } from '../rule';
import { negatedGroup, reportedOrCondemned } from './exemptions';
import { type Marked, markComment, wordsOf } from './marks';
import { isMention } from './mention';
import { readIdentityAttacks } from './reader';
import { type CompiledIdentity, markBit, restMatches } from './vocabulary';
import { CLAIM_MARKS, identityWordAt, PEOPLE_MARKS } from './word-facts';

/**
 * Slurs (any spelling the normaliser can read), the lexicons' phrase patterns for
 * dehumanisation and expulsion, and identity attacks without slurs (reader.ts). A group's name
 * alone is never evidence: "Ukrainian refugees need help" mentions, it doesn't attack. A slur
 * that is talked about rather than used ("the word 'X' is a slur") is held at most, and a
 * phrase inside a condemnation or a quotation is not the writer's claim.
 */
export const racism: Rule = {
  category: 'racism',
  run({ analysis, policy }) {
    const slurs = termFindings(analysis, 'racism');
    const phrases = phraseFindings(analysis, policy.lexicon, 'racism');
    const vocabulary = policy.identity;
    if (vocabulary === null) return [...slurs, ...phrases];
    const words = mayClaim(analysis, vocabulary);
    const triggered = words !== null;
    if (!triggered && slurs.length === 0 && phrases.length === 0) return slurs;
    // Without a claim to read, only what judges a slur or a phrase is marked.
    const m = triggered ? markComment(analysis, vocabulary, words) : markComment(analysis, vocabulary, undefined, JUDGING_MARKS);
    const out: Finding[] = [];
    if (slurs.length > 0) {
      const hits = analysis.hits.filter((h) => h.term.category === 'racism');
      slurs.forEach((f, k) => {
        const i = tokenStartingAt(analysis, hits[k].token.start);
        // Downgraded, never dropped: a mention still goes to a moderator.
        out.push(i >= 0 && isMention(m, i, vocabulary) ? { ...f, severity: 'low', rule: `${f.rule}/mention` } : f);
      });
    }
    for (const f of phrases) if (!phraseExempt(analysis, m, f)) out.push(f);
    if (triggered) out.push(...readIdentityAttacks(m, vocabulary));
    return out;
  },
};

/**
 * The marks that isMention (mention.ts) and phraseExempt look at: reports and condemnations of
 * the sentence, and a negated group ("not all", "not every").
 */
const JUDGING_MARKS = markBit('report') | markBit('condemnation') | markBit('notCondemnation') | markBit('negation') | markBit('quantifier');

/**
 * The index of the token starting at offset `at` (tokens are in order), or with `within`, of
 * the last token starting at or before it; -1 if none.
 */
function tokenStartingAt(a: Analysis, at: number, within = false): number {
  const { tokens } = a;
  let lo = 0;
  let hi = tokens.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].start <= at) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 && (within || tokens[found].start === at) ? found : -1;
}

/**
 * Whether the comment holds what an identity attack needs: a word that begins a trigger phrase,
 * and vocabulary hits that name a people (a group, a member, an adjective: every subject the
 * reader pins a claim on starts with one) and make a claim (a predicate, a vice, a stereotype
 * marker). Most comments lack one of them, and then nothing is read. Decided from each word's
 * memoised facts; only words that can begin such a hit have their entries tried. Returns the
 * comment's words (Marked.words) when it may hold an attack, else null.
 */
function mayClaim(a: Analysis, vocabulary: CompiledIdentity): string[] | null {
  const n = a.tokens.length;
  let marks = 0;
  let trigger = false;
  for (let i = 0; i < n; i++) {
    const w = identityWordAt(a, i, vocabulary);
    marks |= w.marks;
    if (w.trigger) trigger = true;
  }
  if (!trigger || (marks & PEOPLE_MARKS) === 0 || (marks & CLAIM_MARKS) === 0) return null;
  // Made only when an entry of several words is tried: most are one word, matched already.
  let words: string[] | null = null;
  // The kinds of hit still missing: a people, a claim.
  let missing = PEOPLE_MARKS | CLAIM_MARKS;
  for (let i = 0; i < n; i++) {
    const w = identityWordAt(a, i, vocabulary);
    if ((w.marks & missing) === 0) continue;
    for (const e of w.entries) {
      if ((e.bit & missing) === 0) continue;
      if (e.rest.length > 0 && !restMatches(e, (words ??= wordsOf(a.tokens)), i + 1)) continue;
      missing &= (e.bit & PEOPLE_MARKS) !== 0 ? ~PEOPLE_MARKS : ~CLAIM_MARKS;
    }
    if (missing === 0) return words ?? wordsOf(a.tokens);
  }
  return null;
}

/** A phrase match that is quoted, condemned, or negated ("not all Russians are thieves"). */
function phraseExempt(a: Analysis, m: Marked, f: Finding): boolean {
  const from = tokenStartingAt(a, f.start);
  const to = tokenStartingAt(a, f.end - 1, true) + 1;
  if (from < 0 || to <= from) return false;
  return negatedGroup(m, from) || negatedGroup(m, from + 1) || reportedOrCondemned(m, m.sentence[from], from, from, to);
}
