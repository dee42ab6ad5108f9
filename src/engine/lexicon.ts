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

export interface MaskForm {
  form: string;
  term: CompiledTerm;
  /** The form's code points, and per code point whether it is a letter (what a mask may hide). */
  cps: number[];
  letter: Uint8Array;
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
  maskForms: MaskForm[];
  /** The most code points a mask form has: a masked word needing more can match none. */
  maskFormMax: number;
  phrases: CompiledPhrase[];
  /** Every allowPhrase of every lexicon, as one (sticky) expression. */
  allowPhrase: RegExp | null;
  /** What the phrases and then the allowPhrase need, to skip them or most of the text. */
  phraseIndex: PhraseIndex;
  /** Readings of words already seen (analyze.ts); a cache, so results never depend on it. */
  memo: Map<string, WordMemo>;
  /** What the memo holds, estimated in bytes (analyze.ts), and the most it may (MEMO_MAX_BYTES by default). */
  memoBytes: number;
  memoMaxBytes: number;
}

/**
 * The word memo's bound in bytes (estimated), beside its bound in entries: 100,000 ordinary
 * words take ~20 MB, and the byte bound keeps a flood of long unique words to the same.
 */
export const MEMO_MAX_BYTES = 24 * 1024 * 1024;

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
    maskFormMax: 0,
    phrases: [],
    allowPhrase: null,
    phraseIndex: buildPhraseIndex([]),
    memo: new Map(),
    memoBytes: 0,
    memoMaxBytes: MEMO_MAX_BYTES,
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
        for (const suffix of MASK_SUFFIXES) out.maskForms.push(maskForm(term.root + suffix, term));
        for (const f of t.forms) out.maskForms.push(maskForm(foldTerm(f), term));
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
  for (const m of out.maskForms) out.maskFormMax = Math.max(out.maskFormMax, m.cps.length);
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

const LETTER = /^\p{L}$/u;

function maskForm(form: string, term: CompiledTerm): MaskForm {
  const cps = [...form].map((ch) => ch.codePointAt(0)!);
  return { form, term, cps, letter: Uint8Array.from([...form], (ch) => (LETTER.test(ch) ? 1 : 0)) };
}

const STAR = 42; // '*': exactly one hidden letter
const TILDE = 126; // '~': one or more hidden letters
const APOSTROPHE = 39;

/**
 * The most likely word behind a masked spelling (f***, b***h, bulls~), if the mask leaves one.
 * A glob match against each candidate rather than a regular expression built from the word:
 * the word is the commenter's, so its length is too, and a mask longer than every candidate is
 * ruled out before any matching. The work is then bounded by the candidates' size, whatever
 * the word.
 */
export function unmask(lex: CompiledLexicons, pattern: string): { term: CompiledTerm; form: string } | null {
  // One visible letter is enough only with two or more hidden ones (f***, not f*).
  if (pattern.length < 3) return null;
  const cps: number[] = [];
  let real = 0;
  let minLength = 0;
  let open = false;
  for (let i = 0; i < pattern.length; i++) {
    const cp = pattern.codePointAt(i)!;
    if (cp > 0xffff) i++;
    if (cp === APOSTROPHE) continue;
    if (cp !== STAR && cp !== TILDE) real++;
    if (cp === TILDE) open = true;
    // Every code point of the mask stands for at least one of the word's.
    if (++minLength > lex.maskFormMax) return null;
    cps.push(cp);
  }
  if (real === 0) return null;
  for (const candidate of lex.maskForms) {
    const n = candidate.cps.length;
    if (open ? n < cps.length : n !== cps.length) continue;
    if (globMatches(cps, candidate)) return candidate;
  }
  return null;
}

/** Whether the whole form matches the mask: '*' one letter, '~' one or more, the rest themselves. */
function globMatches(mask: number[], form: MaskForm): boolean {
  const { cps, letter } = form;
  // reach[j]: the first i mask code points can match the first j of the form. Both are at most
  // maskFormMax long, so this is a few hundred steps at worst.
  let reach = new Uint8Array(cps.length + 1);
  reach[0] = 1;
  for (let i = 0; i < mask.length; i++) {
    const m = mask[i];
    const next = new Uint8Array(cps.length + 1);
    let any = false;
    for (let j = 1; j <= cps.length; j++) {
      const c = j - 1;
      let ok = 0;
      if (m === STAR) ok = reach[j - 1] & letter[c];
      else if (m === TILDE) ok = letter[c] & (reach[j - 1] | next[j - 1]);
      else ok = reach[j - 1] & (cps[c] === m ? 1 : 0);
      next[j] = ok;
      if (ok) any = true;
    }
    if (!any) return false;
    reach = next;
  }
  return reach[cps.length] === 1;
}
