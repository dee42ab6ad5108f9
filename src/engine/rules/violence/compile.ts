import type { Severity } from '../../categories';
import { foldTerm } from '../../lexicon';
import { hasSlot, parsePattern, type TokenPattern } from './pattern';
import type { ThreatLexicon } from './schema';

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
}

const DEFAULT_WINDOW = { intentToHarm: 5, subject: 4, object: 4 };
const INTENT_KINDS: IntentKind[] = ['first_person', 'obligation', 'call', 'wish'];

function index<T>(map: Map<string, T[]>, p: TokenPattern, value: T): void {
  for (const w of p.first) {
    const list = map.get(w);
    if (list) list.push(value);
    else map.set(w, [value]);
  }
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
  };
  for (const s of sections) {
    for (const kind of INTENT_KINDS) for (const src of s.intents[kind]) {
      const pattern = parse(src);
      index(out.intents, pattern, { pattern, kind });
    }
    const harm = (src: string, target: 'object' | 'subject' | 'none', kind: HarmPattern['kind'], severity: Severity) => {
      const pattern = parse(src);
      index(out.harms, pattern, { pattern, target: hasSlot(pattern) ? 'slot' : target, kind, severity });
    };
    for (const src of s.harm.object) harm(src, 'object', 'harm', 'high');
    for (const src of s.harm.subject) harm(src, 'subject', 'harm', 'high');
    for (const e of s.euphemisms) harm(e.pattern, e.target, 'euphemism', e.severity);
    for (const e of s.standalone) harm(e.pattern, e.target, 'standalone', e.severity);
    for (const src of s.idioms) {
      const pattern = parse(src);
      index(out.idioms, pattern, pattern);
    }
  }
  return out;
}
