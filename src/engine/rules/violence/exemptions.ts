import { matchAt } from './pattern';
import type { Words } from './words';

/** Whether a negation ("not", "nobody", "stop") stands in [from, to) of the sentence. */
export function negated(w: Words, from: number, to: number): boolean {
  for (let j = Math.max(w.lo, from); j < to; j++) if (w.t.negations.has(w.forms[j])) return true;
  return false;
}

function isReporting(w: Words, c: number): boolean {
  return w.t.reporting.has(w.forms[c]) && !(c > w.lo && w.t.speakers.has(w.forms[c - 1]));
}

function clauseBreakBetween(w: Words, from: number, to: number): boolean {
  for (let j = from + 1; j <= to; j++) if (w.layout.clauseStart[j]) return true;
  return false;
}

/**
 * Someone else's words: a verb of saying earlier in the same clause ("Medvedev posted that
 * ..."), or after the threat as its attribution (", he said"); a quotation with a verb of
 * saying near it.
 */
export function reported(w: Words, start: number): boolean {
  for (let c = w.lo; c < w.hi; c++) {
    if (!isReporting(w, c)) continue;
    if (c < start ? !clauseBreakBetween(w, c, start) : clauseBreakBetween(w, start, c)) return true;
  }
  if (w.layout.quoted[start]) {
    const last = Math.min(w.tokens.length, w.hi + 4);
    for (let c = Math.max(0, w.lo - 4); c < last; c++) if (w.t.reporting.has(w.forms[c])) return true;
  }
  return false;
}

/** Marks the words of the sentence's idioms ("chokes on his own lies"): none of them is a harm. */
export function maskIdioms(w: Words, masked: Uint8Array): void {
  for (let i = w.lo; i < w.hi; i++) {
    const list = w.t.idioms.get(w.forms[i]);
    if (!list) continue;
    for (const p of list) {
      const end = matchAt(p, w, i);
      if (end > i) masked.fill(1, i, end);
    }
  }
}
