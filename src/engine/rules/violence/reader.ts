import type { Analysis, Finding } from '../../analyze';
import type { Severity } from '../../categories';
import { type CompiledThreats, type HarmPattern, newScratch, type ThreatScratch, threatWord, type ThreatWord } from './compile';
import { imperative, type Intent, intentFor, intents } from './cues';
import { maskIdioms, negated, reported } from './exemptions';
import { matchAt } from './pattern';
import { layout } from './sentences';
import { formOf, Words } from './words';

/** How far before an intent a negation still cancels it ("nobody should", "no one ever should"). */
const NEGATION_REACH = 2;

/** The most tokens the kept scratch arrays hold: far beyond any ordinary comment's. */
const SCRATCH_KEPT = 4096;

/**
 * The clause reader: a threat is an intent (or an order), a harm, and a human target within one
 * sentence, a few words apart; reporting, negation, quotes of others and idioms are exempt.
 * Evidence runs from the intent to the harm and its target, in original-text offsets.
 */
export function readThreats(a: Analysis, t: CompiledThreats): Finding[] {
  const { tokens } = a;
  const n = tokens.length;
  const scratch = scratchFor(t, n);
  const { present } = t;
  // Stamps grow by one a check; start again long before they could overflow.
  if (present[0] > 0x3fffffff) present.fill(0);
  // Most comments lack some word every harm pattern needs: one field read per word, then done.
  const { words: fills, forms, masked } = scratch;
  const stamp = ++present[0];
  if (!readWords(a, t, fills, forms, stamp) || !complete(fills, 0, n, t, stamp)) return [];
  masked.fill(0, 0, n);
  const w = new Words(tokens, layout(a.text, tokens, scratch.layout), t, forms);
  const findings: Finding[] = [];
  for (let lo = 0; lo < n; ) {
    let hi = lo + 1;
    while (hi < n && w.layout.sentenceOf[hi] === lo) hi++;
    // A sentence no harm pattern can match in has nothing to read.
    if (harmPossible(fills, lo, hi, t, present)) {
      w.lo = lo;
      w.hi = hi;
      readSentence(w, masked, findings);
    }
    lo = hi;
  }
  return findings;
}

/**
 * The policy's scratch arrays, grown to n tokens; a comment longer than any worth keeping them
 * for gets its own, so one huge comment cannot leave megabytes behind.
 */
function scratchFor(t: CompiledThreats, n: number): ThreatScratch {
  const have = t.scratch.masked.length;
  if (n <= have) return t.scratch;
  if (n > SCRATCH_KEPT) return newScratch(n);
  t.scratch = newScratch(Math.min(SCRATCH_KEPT, Math.max(n, 2 * have)));
  return t.scratch;
}

/**
 * Writes each word's form and ThreatWord (null for none) into forms and fills, and stamps the
 * items the comment's words fill; whether any word fills one. A word with a memo record (its
 * text is its form) keeps its ThreatWord there, looked up once.
 */
function readWords(a: Analysis, t: CompiledThreats, fills: (ThreatWord | null)[], forms: string[], stamp: number): boolean {
  const { tokens, words } = a;
  const { present } = t;
  let any = false;
  for (let i = 0; i < tokens.length; i++) {
    const memo = words[i];
    let fact: ThreatWord | null;
    if (memo === undefined) {
      const form = formOf(tokens[i]);
      forms[i] = form;
      fact = threatWord(t, form);
    } else {
      forms[i] = tokens[i].text;
      if (memo.threatsOf !== t) {
        memo.threats = threatWord(t, tokens[i].text);
        memo.threatsOf = t;
      }
      fact = memo.threats;
    }
    fills[i] = fact;
    if (fact === null) continue;
    any = true;
    for (const id of fact.items) present[id + 1] = stamp;
  }
  return any;
}

/** Whether some harm pattern has every one of its required items filled by words in [lo, hi). */
function harmPossible(
  fills: readonly (ThreatWord | null)[],
  lo: number,
  hi: number,
  t: CompiledThreats,
  present: Int32Array,
): boolean {
  const stamp = ++present[0];
  for (let i = lo; i < hi; i++) {
    const f = fills[i];
    if (f !== null) for (const id of f.items) present[id + 1] = stamp;
  }
  return complete(fills, lo, hi, t, stamp);
}

/** Whether a pattern starting at a word in [lo, hi) has all its items stamped `stamp`. */
function complete(fills: readonly (ThreatWord | null)[], lo: number, hi: number, t: CompiledThreats, stamp: number): boolean {
  const { present } = t;
  // Only patterns whose first word is here can match; each needs all its items here.
  for (let i = lo; i < hi; i++) {
    const f = fills[i];
    if (f === null) continue;
    next: for (const k of f.starts) {
      for (const need of t.required[k]) if (present[need + 1] !== stamp) continue next;
      return true;
    }
  }
  return false;
}

function readSentence(w: Words, masked: Uint8Array, findings: Finding[]): void {
  const { lo, hi, t } = w;
  let any = false;
  for (let i = lo; i < hi && !any; i++) if (t.harms.has(w.forms[i])) any = true;
  if (!any) return;
  maskIdioms(w, masked);
  const cues = intents(w);
  const found = { slot: false };
  let covered = lo;
  for (let h = lo; h < hi; h++) {
    if (h < covered || masked[h]) continue;
    const list = t.harms.get(w.forms[h]);
    if (!list) continue;
    for (const p of list) {
      found.slot = false;
      const end = matchAt(p.pattern, w, h, found);
      if (end <= h) continue;
      const f = judge(w, p, h, end, found.slot, cues);
      if (f) {
        findings.push(f);
        covered = end;
        break;
      }
    }
  }
}

/** A finding for the harm [h, end) read by pattern p, or null when it is not a threat. */
function judge(w: Words, p: HarmPattern, h: number, end: number, slot: boolean, cues: Intent[]): Finding | null {
  const { t, layout } = w;
  let start = h;
  let last = end - 1;
  // Where the threat's own words begin (the intent, else the harm): a report is judged from there.
  let cue = h;
  let rule = 'threat/euphemism';
  let severity: Severity = p.severity;
  let floor: number;
  if (p.kind === 'standalone') {
    if (negated(w, h - NEGATION_REACH, h)) return null;
    floor = h - t.window.subject;
  } else {
    const intent = intentFor(w, cues, h);
    // A quotation mark between the intent and the harm: the harm is in someone else's words
    // ("the headline should say, 'Muslims kill 24 Christians'").
    if (intent && layout.quoted[intent.start] !== layout.quoted[h]) return null;
    if (intent) {
      if (negated(w, intent.start - NEGATION_REACH, intent.start) || negated(w, intent.end, h)) return null;
      start = cue = intent.start;
      floor = intent.start - t.window.subject;
      if (p.kind === 'harm') {
        rule = intent.wish ? 'threat/wish' : 'threat/intent-harm';
        severity = intent.wish ? 'medium' : 'high';
      }
    } else if (p.target !== 'subject' && imperative(w, h, p)) {
      floor = h;
      if (p.kind === 'harm') rule = 'threat/imperative';
    } else return null;
  }
  if (!slot) {
    if (p.target === 'object' || p.target === 'slot') {
      const j = w.objectAfter(end);
      if (j < 0) return null;
      last = Math.max(last, j);
    } else if (p.target === 'subject') {
      // Between the intent and the harm first ("I hope Putin dies"), then before the intent.
      const possessive = p.kind !== 'harm';
      let j = w.subjectBefore(h, start, possessive);
      if (j < 0) j = w.subjectBefore(start, floor, possessive);
      if (j < 0) return null;
      start = Math.min(start, j);
    }
  }
  if (reported(w, cue)) return null;
  return { category: 'violence', severity, start: w.tokens[start].start, end: w.tokens[last].end, rule };
}
