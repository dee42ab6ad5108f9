import type { Analysis, Finding } from '../../analyze';
import type { Severity } from '../../categories';
import type { Token } from '../../normalize/tokenize';
import type { CompiledThreats, HarmPattern, IntentKind } from './compile';
import { matchAt, type Sentence } from './pattern';
import { type Layout, layout } from './sentences';

/** An intent cue found in a sentence: tokens [start, end). */
interface Intent {
  start: number;
  end: number;
  kind: IntentKind;
}

/** How a comment's words look to the reader: leetspeak read (k1ll), everything else as folded. */
function formOf(t: Token): string {
  if (t.kind === 'mention') return '<user>';
  return t.variants.length > 0 && t.script === 'latin' ? t.variants[0] : t.text;
}

/** Intents chained within this many words of each other read as one ("I hope someone ..."). */
const CHAIN = 3;
/** How far before an intent a negation still cancels it ("nobody should", "no one ever should"). */
const NEGATION_REACH = 2;
/** Up to this many lead words before an order's verb ("so just kill them"). */
const LEADS = 2;

/**
 * The clause reader: a threat is an intent (or an order), a harm, and a human target within one
 * sentence, a few words apart; reporting, negation, quotes of others and idioms are exempt.
 * Evidence runs from the intent to the harm and its target, in original-text offsets.
 */
export function readThreats(a: Analysis, t: CompiledThreats): Finding[] {
  const { tokens } = a;
  // Most comments have no word a harm pattern starts with: one set lookup per word, then done.
  let candidate = false;
  for (let i = 0; i < tokens.length && !candidate; i++) if (t.harms.has(formOf(tokens[i]))) candidate = true;
  if (!candidate) return [];
  return new Reader(a, t).read();
}

class Reader implements Sentence {
  readonly forms: string[];
  lo = 0;
  hi = 0;
  private readonly tokens: Token[];
  private readonly layout: Layout;
  private readonly masked: Uint8Array;
  private readonly findings: Finding[] = [];

  constructor(
    a: Analysis,
    private readonly t: CompiledThreats,
  ) {
    this.tokens = a.tokens;
    this.forms = a.tokens.map(formOf);
    this.layout = layout(a.text, a.tokens);
    this.masked = new Uint8Array(a.tokens.length);
  }

  read(): Finding[] {
    const n = this.tokens.length;
    for (let lo = 0; lo < n; ) {
      let hi = lo + 1;
      while (hi < n && this.layout.sentenceOf[hi] === lo) hi++;
      this.lo = lo;
      this.hi = hi;
      this.readSentence();
      lo = hi;
    }
    return this.findings;
  }

  // ---- targets ----

  private nameLike(i: number, w: string): boolean {
    if (this.t.names.has(w)) return true;
    const tok = this.tokens[i];
    return (
      tok.capitalized && !tok.sentenceStart && w.length > 1 && !this.t.notNames.has(w) && !(i > 0 && this.forms[i - 1] === 'the')
    );
  }

  isTarget(i: number): boolean {
    const w = this.forms[i];
    if (this.tokens[i].kind === 'mention') return true;
    if (this.tokens[i].kind !== 'word' || w.endsWith("'s")) return false;
    if (this.t.withWho.has(w) && i + 1 < this.hi && this.forms[i + 1] === 'who') return true;
    return this.t.targetWords.has(w) || this.nameLike(i, w);
  }

  isPossessive(i: number): boolean {
    const w = this.forms[i];
    if (this.t.possessive.has(w)) return true;
    if (!w.endsWith("'s")) return false;
    const owner = w.slice(0, -2);
    return this.t.targetWords.has(owner) || this.nameLike(i, owner);
  }

  /** A person after the harm ("kill him", "slit Assad's throat"): the index found, or -1. */
  private objectAfter(end: number): number {
    const last = Math.min(this.hi, end + this.t.window.object);
    for (let j = end; j < last; j++) {
      if (this.isTarget(j) && !this.t.subjectOnly.has(this.forms[j])) return j;
      if (this.isPossessive(j) && j + 1 < this.hi && this.t.possessed.has(this.forms[j + 1])) return j + 1;
    }
    return -1;
  }

  /** A person before `from` but not before `floor` ("Putin should hang"), or -1. */
  private subjectBefore(from: number, floor: number, possessive: boolean): number {
    const first = Math.max(this.lo, floor);
    for (let j = from - 1; j >= first; j--) if (this.isTarget(j) || (possessive && this.isPossessive(j))) return j;
    return -1;
  }

  // ---- exemptions ----

  private negated(from: number, to: number): boolean {
    for (let j = Math.max(this.lo, from); j < to; j++) if (this.t.negations.has(this.forms[j])) return true;
    return false;
  }

  private isReporting(c: number): boolean {
    return this.t.reporting.has(this.forms[c]) && !(c > this.lo && this.t.speakers.has(this.forms[c - 1]));
  }

  private clauseBreakBetween(from: number, to: number): boolean {
    for (let j = from + 1; j <= to; j++) if (this.layout.clauseStart[j]) return true;
    return false;
  }

  /**
   * Someone else's words: a verb of saying earlier in the same clause ("Medvedev posted that
   * ..."), or after the threat as its attribution (", he said"); a quotation with a verb of
   * saying near it.
   */
  private reported(start: number): boolean {
    for (let c = this.lo; c < this.hi; c++) {
      if (!this.isReporting(c)) continue;
      if (c < start ? !this.clauseBreakBetween(c, start) : this.clauseBreakBetween(start, c)) return true;
    }
    if (this.layout.quoted[start]) {
      const last = Math.min(this.tokens.length, this.hi + 4);
      for (let c = Math.max(0, this.lo - 4); c < last; c++) if (this.t.reporting.has(this.forms[c])) return true;
    }
    return false;
  }

  // ---- cues ----

  private maskIdioms(): void {
    const found = { slot: false };
    for (let i = this.lo; i < this.hi; i++) {
      const list = this.t.idioms.get(this.forms[i]);
      if (!list) continue;
      for (const p of list) {
        const end = matchAt(p, this, i, found);
        if (end > i) this.masked.fill(1, i, end);
      }
    }
  }

  private intents(): Intent[] {
    const out: Intent[] = [];
    for (let i = this.lo; i < this.hi; i++) {
      const list = this.t.intents.get(this.forms[i]);
      if (!list) continue;
      let best: Intent | null = null;
      for (const { pattern, kind } of list) {
        const end = matchAt(pattern, this, i);
        if (end > i && (best === null || end > best.end)) best = { start: i, end, kind };
      }
      if (best) out.push(best);
    }
    return out;
  }

  /** The intents leading to a harm at h: the nearest one, and those chained before it. */
  private intentFor(intents: Intent[], h: number): { start: number; end: number; wish: boolean } | null {
    let k = intents.length - 1;
    while (k >= 0 && intents[k].end > h) k--;
    if (k < 0 || h - intents[k].end > this.t.window.intentToHarm) return null;
    let start = intents[k].start;
    const end = intents[k].end;
    let wish = intents[k].kind === 'wish';
    for (let j = k - 1; j >= 0 && start - intents[j].end <= CHAIN; j--) {
      start = intents[j].start;
      wish ||= intents[j].kind === 'wish';
    }
    return { start, end, wish };
  }

  /** Whether the harm at h opens its clause, after at most a couple of lead words: an order. */
  private imperative(h: number, p: HarmPattern): boolean {
    const head = p.pattern.items[0];
    if (head.kind !== 'word' || this.forms[h] !== head.base) return false;
    let j = h;
    for (let n = 0; n < LEADS && j > this.lo && !this.layout.clauseStart[j] && this.t.imperativeLead.has(this.forms[j - 1]); n++) j--;
    return this.layout.clauseStart[j] === 1 && !this.negated(j - 1, h);
  }

  private readSentence(): void {
    const { lo, hi } = this;
    let any = false;
    for (let i = lo; i < hi && !any; i++) if (this.t.harms.has(this.forms[i])) any = true;
    if (!any) return;
    this.maskIdioms();
    const intents = this.intents();
    const found = { slot: false };
    let covered = lo;
    for (let h = lo; h < hi; h++) {
      if (h < covered || this.masked[h]) continue;
      const list = this.t.harms.get(this.forms[h]);
      if (!list) continue;
      for (const p of list) {
        found.slot = false;
        const end = matchAt(p.pattern, this, h, found);
        if (end <= h) continue;
        const f = this.judge(p, h, end, found.slot, intents);
        if (f) {
          this.findings.push(f);
          covered = end;
          break;
        }
      }
    }
  }

  /** A finding for the harm [h, end) read by pattern p, or null when it is not a threat. */
  private judge(p: HarmPattern, h: number, end: number, slot: boolean, intents: Intent[]): Finding | null {
    let start = h;
    let last = end - 1;
    // Where the threat's own words begin (the intent, else the harm): a report is judged from there.
    let cue = h;
    let rule = 'threat/euphemism';
    let severity: Severity = p.severity;
    let floor: number;
    if (p.kind === 'standalone') {
      if (this.negated(h - NEGATION_REACH, h)) return null;
      floor = h - this.t.window.subject;
    } else {
      const intent = this.intentFor(intents, h);
      // A quotation mark between the intent and the harm: the harm is in someone else's words
      // ("the headline should say, 'Muslims kill 24 Christians'").
      if (intent && this.layout.quoted[intent.start] !== this.layout.quoted[h]) return null;
      if (intent) {
        if (this.negated(intent.start - NEGATION_REACH, intent.start) || this.negated(intent.end, h)) return null;
        start = cue = intent.start;
        floor = intent.start - this.t.window.subject;
        if (p.kind === 'harm') {
          rule = intent.wish ? 'threat/wish' : 'threat/intent-harm';
          severity = intent.wish ? 'medium' : 'high';
        }
      } else if (p.target !== 'subject' && this.imperative(h, p)) {
        floor = h;
        if (p.kind === 'harm') rule = 'threat/imperative';
      } else return null;
    }
    if (!slot) {
      if (p.target === 'object' || p.target === 'slot') {
        const j = this.objectAfter(end);
        if (j < 0) return null;
        last = Math.max(last, j);
      } else if (p.target === 'subject') {
        // Between the intent and the harm first ("I hope Putin dies"), then before the intent.
        const possessive = p.kind !== 'harm';
        let j = this.subjectBefore(h, start, possessive);
        if (j < 0) j = this.subjectBefore(start, floor, possessive);
        if (j < 0) return null;
        start = Math.min(start, j);
      }
    }
    if (this.reported(cue)) return null;
    return { category: 'violence', severity, start: this.tokens[start].start, end: this.tokens[last].end, rule };
  }
}
