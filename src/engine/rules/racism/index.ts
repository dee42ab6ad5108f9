import type { Analysis, Finding } from '../../analyze';
import { phraseFindings, termFindings } from '../../analyze';
import type { Rule } from '../rule';
import { negatedGroup, reportedOrCondemned } from './exemptions';
import { type Marked, markComment } from './marks';
import { isMention } from './mention';
import { readIdentityAttacks } from './reader';
import type { CompiledIdentity } from './vocabulary';

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
    const triggered = mayClaim(analysis, vocabulary);
    if (!triggered && slurs.length === 0 && phrases.length === 0) return slurs;
    const m = markComment(analysis.text, analysis.tokens, vocabulary);
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

/** Whether some word of the comment begins a predicate, a vice or a stereotype marker. */
function mayClaim(a: Analysis, vocabulary: CompiledIdentity): boolean {
  for (const t of a.tokens) if (t.kind === 'word' && vocabulary.triggers.starts(t.text)) return true;
  return false;
}

/** A phrase match that is quoted, condemned, or negated ("not all Russians are thieves"). */
function phraseExempt(a: Analysis, m: Marked, f: Finding): boolean {
  const from = tokenStartingAt(a, f.start);
  const to = tokenStartingAt(a, f.end - 1, true) + 1;
  if (from < 0 || to <= from) return false;
  return negatedGroup(m, from) || negatedGroup(m, from + 1) || reportedOrCondemned(m, m.sentence[from], from, from, to);
}
