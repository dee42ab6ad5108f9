import { endingAt, type Hit, type Marked } from './marks';

/**
 * The claims the racism rule reports but does not make: a condemnation ("calling Syrians rats
 * is racist"), quoted speech ("comments like 'Russians are animals'"), a negation ("not all
 * Russians are thieves", "Russians are not thieves").
 */

/** How far back a "not racist" may start and still cover a condemnation word after it. */
const NOT_CONDEMNATION_WORDS = 5;

/** A condemnation word in sentence s that no "not racist" or "call me racist" covers. */
export function condemnedIn(m: Marked, s: number): boolean {
  if (m.condemned[s] === 0) m.condemned[s] = findCondemnation(m, s) ? 2 : 1;
  return m.condemned[s] === 2;
}

function findCondemnation(m: Marked, s: number): boolean {
  for (let k = m.sentenceStart[s]; k < m.sentenceStart[s + 1]; k++) {
    const list = m.byFrom[k];
    if (!list) continue;
    for (const h of list) if (h.mark === 'condemnation' && !coveredBy(m, h, 'notCondemnation')) return true;
  }
  return false;
}

function coveredBy(m: Marked, h: Hit, mark: Hit['mark']): boolean {
  for (let k = Math.max(0, h.from - NOT_CONDEMNATION_WORDS); k <= h.from; k++) {
    const list = m.byFrom[k];
    if (list) for (const o of list) if (o.mark === mark && o.to >= h.to) return true;
  }
  return false;
}

/** "calling Syrians rats", "refer to them as": a report frame in sentence s ending by token `before`. */
export function reportedBefore(m: Marked, s: number, before: number): boolean {
  const end = m.firstReportEnd[s];
  return end >= 0 && end <= before;
}

/** Whether tokens [from, to) are inside quotation marks within their sentence. */
export function quotedTokens(m: Marked, from: number, to: number): boolean {
  return m.quotes.quoted(m.tokens[from].start, m.tokens[to - 1].end);
}

/**
 * A negation between tokens `from` and `to` that is not part of a predicate ("don't belong");
 * coverEnd[k] is the furthest end of a predicate covering token k.
 */
export function negatedBetween(m: Marked, from: number, to: number, coverEnd: number[]): boolean {
  for (let k = from; k < to; k++) {
    const list = m.byFrom[k];
    if (!list) continue;
    for (const h of list) if (h.mark === 'negation' && h.to <= to && coverEnd[h.from] < h.to) return true;
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
 * Whether a claim in sentence s, starting at token `claimFrom` (its group or pronoun) with its
 * predicate at tokens [from, to), is reported or condemned rather than made.
 */
export function reportedOrCondemned(m: Marked, s: number, claimFrom: number, from: number, to: number): boolean {
  return condemnedIn(m, s) || reportedBefore(m, s, Math.min(claimFrom, from)) || quotedTokens(m, from, to);
}

