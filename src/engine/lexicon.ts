import type { Category, Severity } from './categories';
import { LEET } from './normalize/chars';
import { foldCodePoint, foldString } from './normalize/fold';
import type { Read, Reading, WordMemo } from './analyze';
import { buildPhraseIndex, type PhraseIndex } from './phrases';
import type { Lexicon } from './policy';

export interface CompiledTerm {
  /** The rule id evidence carries: lexicon/<lang>/<root>. */
  id: string;
  category: Category;
  severity: Severity;
  root: string;
  maskable: boolean;
  name: boolean;
  /** Rule ids for readings other than plain ("lexicon/en/fuck#masked"), built when first needed. */
  readingIds: Partial<Record<Reading, string>>;
}

interface RegexTerm {
  re: RegExp;
  cyrillic: boolean;
  term: CompiledTerm;
}

export interface CompiledPhrase {
  id: string;
  category: Category;
  severity: Severity;
  /** Sticky: phrases.ts runs it only where a match can start. */
  re: RegExp;
  /** The rule id its findings carry: phrase/<id>. */
  rule: string;
}

/** Every lexicon of a policy merged into lookup tables, built once at policy load. */
export interface CompiledLexicons {
  words: Map<string, CompiledTerm[]>;
  prefixes: Map<string, CompiledTerm[]>;
  prefixLens: number[];
  substrings: CompiledTerm[];
  regexes: RegexTerm[];
  allow: Set<string>;
  allowLens: number[];
  /** Candidate spellings for masked words, most likely first. */
  maskForms: { form: string; term: CompiledTerm }[];
  phrases: CompiledPhrase[];
  /** Every allowPhrase of every lexicon, as one (sticky) expression. */
  allowPhrase: RegExp | null;
  /** What the phrases and then the allowPhrase need, to skip them or most of the text. */
  phraseIndex: PhraseIndex;
  /** Readings of words already seen (analyze.ts); a cache, so results never depend on it. */
  memo: Map<string, WordMemo>;
}

// Endings a masked root commonly carries: f***ing, a**hole, b***hes.
const MASK_SUFFIXES = ['', 's', 'es', 'ed', 'er', 'ers', 'ing', 'in', 'y', 'ty', 'head', 'hole', 'face', 'wit'];

/** Folds a lexicon entry exactly as comment text is folded, leetspeak included. */
export function foldTerm(s: string): string {
  let out = '';
  for (const ch of foldString(s)) out += ch >= 'a' && ch <= 'z' ? ch : LEET[ch] ?? ch;
  return out;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const CYRILLIC = /\p{Script=Cyrillic}/u;

/**
 * Folds the letters of a regular expression the way comment text is folded (й→и, ё→е) so
 * authors write words naturally; ASCII is left alone because it carries the regex syntax.
 */
function foldPattern(source: string): string {
  let out = '';
  for (const ch of source) {
    const cp = ch.codePointAt(0)!;
    out += cp < 128 ? ch : foldCodePoint(cp);
  }
  return out;
}

/** Replaces @name with the macro's alternatives; macros may use other macros (not themselves). */
function expandMacros(pattern: string, macros: Map<string, string[]>, where: string, depth = 0): string {
  if (depth > 4) throw new Error(`${where}: macros nest too deeply (a macro that uses itself?)`);
  return pattern.replace(/@([a-z][a-z0-9_]*)/g, (_, name: string) => {
    const alts = macros.get(name);
    if (!alts) throw new Error(`${where}: unknown macro @${name}`);
    // Longest first, so "you are" is preferred over "you"; each once, because an alternative
    // listed twice inside a repeated group makes the match backtrack exponentially.
    const sorted = [...new Set(alts)].sort((a, b) => b.length - a.length);
    return `(?:${sorted.map((a) => expandMacros(a, macros, where, depth + 1)).join('|')})`;
  });
}

/** Tokens are joined by single spaces: a match must start and end on a token boundary. */
function phrasePattern(source: string): RegExp {
  return new RegExp(`(?<![^ ])(?:${source})(?![^ ])`, 'y');
}

export function compileLexicons(lexicons: Lexicon[]): CompiledLexicons {
  const out: CompiledLexicons = {
    words: new Map(),
    prefixes: new Map(),
    prefixLens: [],
    substrings: [],
    regexes: [],
    allow: new Set(),
    allowLens: [],
    maskForms: [],
    phrases: [],
    allowPhrase: null,
    phraseIndex: buildPhraseIndex([]),
    memo: new Map(),
  };
  const phraseSources: string[] = [];
  const macros = new Map<string, string[]>();
  for (const lex of lexicons) {
    for (const [name, alts] of Object.entries(lex.macros)) {
      macros.set(name, [...(macros.get(name) ?? []), ...alts.map(foldPattern)]);
    }
  }
  // One entry per word and category: the first lexicon of the policy wins, so a site's own
  // lexicon (or en.json) decides the severity and name handling of a word bad-words also lists.
  const allowSources: string[] = [];
  const prefixLens = new Set<number>();
  const addWord = (word: string, term: CompiledTerm) => {
    if (lookup(out, word).some((t) => t.category === term.category)) return;
    push(out.words, word, term);
  };
  const allowLens = new Set<number>();
  for (const lex of lexicons) {
    for (const t of lex.terms) {
      const root = t.match === 'regex' ? foldPattern(t.root) : foldTerm(t.root);
      const term: CompiledTerm = {
        id: `lexicon/${lex.lang}/${t.root}`,
        category: t.category,
        severity: t.severity,
        root: t.match === 'regex' ? foldTerm(t.forms[0] ?? t.root) : root,
        maskable: t.maskable,
        name: t.name,
        readingIds: {},
      };
      switch (t.match) {
        case 'word':
          addWord(root, term);
          break;
        case 'prefix':
          push(out.prefixes, root, term);
          if (!prefixLens.has(root.length)) {
            prefixLens.add(root.length);
            out.prefixLens = [...prefixLens].sort((a, b) => a - b);
          }
          break;
        case 'substring':
          out.substrings.push(term);
          break;
        case 'regex':
          out.regexes.push({ re: new RegExp(root, 'u'), cyrillic: CYRILLIC.test(root), term });
          break;
      }
      for (const f of t.forms) addWord(foldTerm(f), term);
      if (t.maskable) {
        for (const suffix of MASK_SUFFIXES) out.maskForms.push({ form: term.root + suffix, term });
        for (const f of t.forms) out.maskForms.push({ form: foldTerm(f), term });
      }
    }
    for (const a of lex.allow) {
      const f = foldTerm(a);
      out.allow.add(f);
      allowLens.add(f.length);
    }
    for (const a of lex.allowPhrases) allowSources.push(expandMacros(foldPattern(a), macros, `allowPhrase ${a}`));
    for (const p of lex.phrases) {
      const source = expandMacros(foldPattern(p.pattern), macros, `phrase ${p.id}`);
      phraseSources.push(source);
      out.phrases.push({ id: p.id, category: p.category, severity: p.severity, re: phrasePattern(source), rule: `phrase/${p.id}` });
    }
  }
  if (allowSources.length > 0) {
    const source = allowSources.join('|');
    out.allowPhrase = phrasePattern(source);
    phraseSources.push(source);
  }
  out.phraseIndex = buildPhraseIndex(phraseSources);
  out.prefixLens = [...prefixLens].sort((a, b) => a - b);
  // The longest substring first: "bullshit" names the word better than "shit" inside it.
  out.substrings.sort((a, b) => b.root.length - a.root.length);
  out.allowLens = [...allowLens].sort((a, b) => a - b);
  return out;
}

/**
 * All terms a (folded) word matches, at most one per category: the first found, looking at
 * whole words, then prefixes, substrings and regexes (the most specific entry speaks).
 */
export function lookup(lex: CompiledLexicons, word: string): CompiledTerm[] {
  const found: CompiledTerm[] = [];
  const push = (t: CompiledTerm) => {
    if (!found.some((f) => f.category === t.category)) found.push(t);
  };
  const add = (terms: CompiledTerm[] | undefined) => {
    if (terms) for (const t of terms) push(t);
  };
  add(lex.words.get(word));
  for (const len of lex.prefixLens) {
    if (len > word.length) break;
    add(lex.prefixes.get(word.slice(0, len)));
  }
  if (word.length >= 3) {
    for (const t of lex.substrings) if (word.includes(t.root)) push(t);
  }
  if (lex.regexes.length > 0) {
    const cyr = CYRILLIC.test(word);
    for (const r of lex.regexes) if (r.cyrillic === cyr && r.re.test(word)) push(r.term);
  }
  return found;
}

/** An allow-listed word (or a longer form of one): no lexicon term may fire on it. */
export function isAllowed(lex: CompiledLexicons, word: string): boolean {
  for (const len of lex.allowLens) {
    if (len > word.length) break;
    if (lex.allow.has(word.slice(0, len))) return true;
  }
  return false;
}

/** The most likely word behind a masked spelling (f***, b***h, bulls~), if the mask leaves one. */
export function unmask(lex: CompiledLexicons, pattern: string): { term: CompiledTerm; form: string } | null {
  let real = 0;
  let src = '^';
  for (const ch of pattern) {
    if (ch === '*') src += '\\p{L}';
    else if (ch === '~') src += '\\p{L}+';
    else if (ch === "'") continue;
    else {
      real++;
      src += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  // One visible letter is enough only with two or more hidden ones (f***, not f*).
  if (real === 0 || pattern.length < 3) return null;
  const re = new RegExp(`${src}$`, 'u');
  for (const candidate of lex.maskForms) if (re.test(candidate.form)) return candidate;
  return null;
}
