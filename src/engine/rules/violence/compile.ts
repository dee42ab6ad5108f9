import type { Severity } from '../../categories';
import { foldTerm } from '../../lexicon';
import { hasSlot, parsePattern, type TokenPattern } from './pattern';
import type { ThreatLexicon } from './schema';
import type { Layout } from './sentences';

export type IntentKind = 'first_person' | 'obligation' | 'call' | 'wish';

export interface HarmPattern {
  pattern: TokenPattern;
  /** Where the one harmed must be: named by the pattern itself, after it, before it, or not needed. */
  target: 'slot' | 'object' | 'subject' | 'none';
  /** Veiled (euphemism, standalone) or a harm verb. */
  kind: 'harm' | 'euphemism' | 'standalone';
  severity: Severity;
}

/** The clause reader's lists, compiled: patterns indexed by their first word, words as sets. */
export interface CompiledThreats {
  window: { intentToHarm: number; subject: number; object: number };
  intents: Map<string, { pattern: TokenPattern; kind: IntentKind }[]>;
  /** Harm verbs, euphemisms and standalone threats, by first word. */
  harms: Map<string, HarmPattern[]>;
  idioms: Map<string, TokenPattern[]>;
  imperativeLead: Set<string>;
  orderOpeners: Set<string>;
  targetWords: Set<string>;
  names: Set<string>;
  possessive: Set<string>;
  possessed: Set<string>;
  notNames: Set<string>;
  withWho: Set<string>;
  subjectOnly: Set<string>;
  negations: Set<string>;
  reporting: Set<string>;
  speakers: Set<string>;
  /**
   * What a harm pattern needs before it can match: every required word of it somewhere in the
   * comment. `needs` maps a word to the required items (numbered) it fills; `required` lists
   * each pattern's items; a comment that fills no pattern's items has no harm to read.
   */
  needs: Map<string, number[]>;
  /** `needs` with each word's patterns to start from: what threatWord answers. */
  words: Map<string, ThreatWord>;
  required: Int32Array[];
  items: number;
  /** Per item, the patterns (indexes into `required`) whose first word it is. */
  heads: number[][];
  /**
   * The reader's scratch (reader.ts): [0] counts its checks, [id + 1] the check that last found
   * item id. Reused by every comment, so never allocated per comment.
   */
  present: Int32Array;
  /** The reader's per-comment arrays, reused by every comment and grown for a longer one (reader.ts). */
  scratch: ThreatScratch;
}

/**
 * What the harm patterns make of one word: a pure function of its form, worked out once per
 * distinct word and kept in its memo record (analyze.ts), so the reader's gate costs a field
 * read per word.
 */
export interface ThreatWord {
  /** The patterns' required items (numbered, CompiledThreats.required) the word fills. */
  items: readonly number[];
  /** The patterns (indexes into CompiledThreats.required) whose first required item the word fills. */
  starts: readonly number[];
}

export interface ThreatScratch {
  /** Per token, its ThreatWord or null. */
  words: (ThreatWord | null)[];
  layout: Layout;
  masked: Uint8Array;
  forms: string[];
}

/** The ThreatWord of a word form, or null when it fills no pattern's required item. */
export function threatWord(t: CompiledThreats, form: string): ThreatWord | null {
  return t.words.get(form) ?? null;
}

const DEFAULT_WINDOW = { intentToHarm: 5, subject: 4, object: 4 };
const INTENT_KINDS: IntentKind[] = ['first_person', 'obligation', 'call', 'wish'];

function index<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function indexFirst<T>(map: Map<string, T[]>, p: TokenPattern, value: T): void {
  for (const w of p.first) index(map, w, value);
}

/** Merges the `threats` sections of a policy's lexicons; null when none has one. */
export function compileThreats(sections: readonly ThreatLexicon[]): CompiledThreats | null {
  if (sections.length === 0) return null;
  const words = (lists: string[][]) => new Set(lists.flat().map(foldTerm));
  const parse = (s: string) => parsePattern(s, foldTerm);
  const out: CompiledThreats = {
    window: sections.find((s) => s.window)?.window ?? DEFAULT_WINDOW,
    intents: new Map(),
    harms: new Map(),
    idioms: new Map(),
    imperativeLead: words(sections.map((s) => s.imperativeLead)),
    orderOpeners: words(sections.map((s) => s.orderOpeners)),
    targetWords: words(sections.map((s) => s.targets.words)),
    names: words(sections.map((s) => s.targets.names)),
    possessive: words(sections.map((s) => s.targets.possessive)),
    possessed: words(sections.map((s) => s.targets.possessed)),
    notNames: words(sections.map((s) => s.targets.notNames)),
    withWho: words(sections.map((s) => s.targets.withWho)),
    subjectOnly: words(sections.map((s) => s.targets.subjectOnly)),
    negations: words(sections.map((s) => s.negations)),
    reporting: words(sections.map((s) => s.reporting)),
    speakers: words(sections.map((s) => s.speakers)),
    needs: new Map(),
    words: new Map(),
    required: [],
    items: 0,
    heads: [],
    present: new Int32Array(1),
    scratch: newScratch(0),
  };
  for (const s of sections) {
    for (const kind of INTENT_KINDS) for (const src of s.intents[kind]) {
      const pattern = parse(src);
      indexFirst(out.intents, pattern, { pattern, kind });
    }
    const harm = (src: string, target: 'object' | 'subject' | 'none', kind: HarmPattern['kind'], severity: Severity) => {
      const pattern = parse(src);
      indexFirst(out.harms, pattern, { pattern, target: hasSlot(pattern) ? 'slot' : target, kind, severity });
    };
    for (const src of s.harm.object) harm(src, 'object', 'harm', 'high');
    for (const src of s.harm.subject) harm(src, 'subject', 'harm', 'high');
    for (const e of s.euphemisms) harm(e.pattern, e.target, 'euphemism', e.severity);
    for (const e of s.standalone) harm(e.pattern, e.target, 'standalone', e.severity);
    for (const src of s.idioms) {
      const pattern = parse(src);
      indexFirst(out.idioms, pattern, pattern);
    }
  }
  // Items with the same words ("be|get|gets", "the") share one number.
  const ids = new Map<string, number>();
  const seen = new Set<HarmPattern>();
  for (const list of out.harms.values()) for (const p of list) {
    if (seen.has(p)) continue;
    seen.add(p);
    const need = new Set<number>();
    for (const item of p.pattern.items) {
      if (item.kind !== 'word' || item.optional) continue;
      const key = [...item.words].sort().join('|');
      let id = ids.get(key);
      if (id === undefined) {
        id = out.items++;
        ids.set(key, id);
        out.heads.push([]);
        for (const w of item.words) index(out.needs, w, id);
      }
      if (need.size === 0) out.heads[id].push(out.required.length);
      need.add(id);
    }
    out.required.push(Int32Array.from(need));
  }
  out.present = new Int32Array(out.items + 1);
  for (const [w, items] of out.needs) out.words.set(w, { items, starts: items.flatMap((id) => out.heads[id]) });
  return out;
}

/** Scratch arrays for comments of up to `n` tokens. */
export function newScratch(n: number): ThreatScratch {
  return {
    words: new Array<ThreatWord | null>(n).fill(null),
    layout: { sentenceOf: new Int32Array(n), clauseStart: new Uint8Array(n), quoted: new Uint8Array(n) },
    masked: new Uint8Array(n),
    forms: new Array<string>(n).fill(''),
  };
}
