import type { HarmPattern, IntentKind } from './compile';
import { negated } from './exemptions';
import { matchAt } from './pattern';
import type { Words } from './words';

/** An intent cue found in a sentence: tokens [start, end). */
export interface Intent {
  start: number;
  end: number;
  kind: IntentKind;
}

/** Intents chained within this many words of each other read as one ("I hope someone ..."). */
const CHAIN = 3;
/** Up to this many lead words before an order's verb ("so just kill them"). */
const LEADS = 2;

/** The sentence's intent cues, the longest reading at each word, in order. */
export function intents(w: Words): Intent[] {
  const out: Intent[] = [];
  for (let i = w.lo; i < w.hi; i++) {
    const list = w.t.intents.get(w.forms[i]);
    if (!list) continue;
    let best: Intent | null = null;
    for (const { pattern, kind } of list) {
      const end = matchAt(pattern, w, i);
      if (end > i && (best === null || end > best.end)) best = { start: i, end, kind };
    }
    if (best) out.push(best);
  }
  return out;
}

/** The intents leading to a harm at h: the nearest one within reach, and those chained before it. */
export function intentFor(w: Words, list: Intent[], h: number): { start: number; end: number; wish: boolean } | null {
  let k = list.length - 1;
  while (k >= 0 && list[k].end > h) k--;
  if (k < 0 || h - list[k].end > w.t.window.intentToHarm) return null;
  let start = list[k].start;
  const end = list[k].end;
  let wish = list[k].kind === 'wish';
  for (let j = k - 1; j >= 0 && start - list[j].end <= CHAIN; j--) {
    start = list[j].start;
    wish ||= list[j].kind === 'wish';
  }
  return { start, end, wish };
}

/** Whether the harm at h opens its clause in its base form, after at most a couple of lead words: an order. */
export function imperative(w: Words, h: number, p: HarmPattern): boolean {
  const head = p.pattern.items[0];
  if (head.kind !== 'word' || w.forms[h] !== head.base) return false;
  let j = h;
  for (let n = 0; n < LEADS && j > w.lo && !w.layout.clauseStart[j] && w.t.imperativeLead.has(w.forms[j - 1]); n++) j--;
  if (w.layout.clauseStart[j] === 1) return !negated(w, j - 1, h);
  // The second of two orders: "Go to the hotel and shoot them" opens its clause with a verb too.
  // ("and" may have been read as a lead word, or stand just before them).
  const and = w.forms[j] === 'and' ? j : j - 1;
  if (and <= w.lo || w.forms[and] !== 'and') return false;
  let c = and;
  while (c > w.lo && !w.layout.clauseStart[c]) c--;
  return w.t.orderOpeners.has(w.forms[c]) && !negated(w, c, h);
}
