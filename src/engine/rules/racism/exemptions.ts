import { anyWithin, endingAt, type Hit, type Marked, sentenceRange } from './marks';
import { isQuoted } from './quotes';

/**
 * The claims the racism rule reports but does not make: a condemnation ("calling Syrians rats
 * is racist"), quoted speech ("comments like 'Russians are animals'"), a negation ("not all
 * Russians are thieves", "Russians are not thieves").
 */

/** A condemnation word in sentence s that no "not racist" or "call me racist" overlaps. */
export function condemnedIn(m: Marked, s: number): boolean {
  for (const h of m.hits) {
    if (h.mark !== 'condemnation' || m.sentence[h.from] !== s) continue;
    if (!m.hits.some((o) => o.mark === 'notCondemnation' && o.from <= h.from && o.to >= h.to)) return true;
  }
  return false;
}

/** "calling Syrians rats", "refer to them as": a report frame in the sentence before `before`. */
export function reportedBefore(m: Marked, s: number, before: number): boolean {
  const [first] = sentenceRange(m, s);
  return anyWithin(m, 'report', first, before) !== undefined;
}

/** Whether tokens [from, to) are inside quotation marks within their sentence. */
export function quotedTokens(m: Marked, from: number, to: number): boolean {
  const [first, end] = sentenceRange(m, m.sentence[from]);
  const lo = first > 0 ? m.tokens[first - 1].end : 0;
  const hi = end < m.tokens.length ? m.tokens[end].start : m.text.length;
  return isQuoted(m.text, lo, hi, m.tokens[from].start, m.tokens[to - 1].end);
}

/** A negation between tokens `from` and `to` that is not part of a predicate ("don't belong"). */
export function negatedBetween(m: Marked, from: number, to: number, predicates: readonly Hit[]): boolean {
  for (const h of m.hits) {
    if (h.mark !== 'negation' || h.from < from || h.to > to) continue;
    if (!predicates.some((p) => p.from <= h.from && p.to >= h.to)) return true;
  }
  return false;
}

/** "not all Russians", "not every Chechen": a negation right before the group or its quantifier. */
export function negatedGroup(m: Marked, from: number): boolean {
  if (endingAt(m, 'negation', from)) return true;
  const q = endingAt(m, 'quantifier', from);
  return q !== undefined && endingAt(m, 'negation', q.from) !== undefined;
}

/**
 * Whether a claim in sentence s, its subject starting at token `subjectFrom` and its predicate
 * at tokens [from, to), is reported or condemned rather than made.
 */
export function reportedOrCondemned(m: Marked, s: number, subjectFrom: number, from: number, to: number): boolean {
  return condemnedIn(m, s) || reportedBefore(m, s, Math.min(subjectFrom, from)) || quotedTokens(m, from, to);
}
