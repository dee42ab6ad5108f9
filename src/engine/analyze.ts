import type { Category, Severity } from './categories';
import { type CompiledLexicons, type CompiledTerm, isAllowed, lookup, unmask } from './lexicon';
import { LETTER_SEPARATORS } from './normalize/chars';
import { type Token, tokenize } from './normalize/tokenize';
import { matchEnd, phraseCandidates } from './phrases';
import type { WordSlot } from './classifier/score';
import type { IdentityWord } from './rules/racism/word-facts';
import type { ThreatWord } from './rules/violence/compile';
import type { LearnedWord } from './span-lexicon';

/** How an obfuscated word was read; recorded in the rule id so a moderator sees the trick. */
export type Reading = 'plain' | 'variant' | 'stretched' | 'masked' | 'spaced';

/** Something a rule found: a span of the original text and the rule that fired. */
export interface Finding {
  category: Category;
  severity: Severity;
  start: number;
  end: number;
  rule: string;
}

export interface TermHit {
  token: Token;
  term: CompiledTerm;
  reading: Reading;
}

/** The shared reading of one comment that every category rule works from. */
export interface Analysis {
  text: string;
  tokens: Token[];
  hits: TermHit[];
  /** Words joined by single spaces, sentence ends as " . ", read forms of obfuscated words. */
  phraseText: string;
  /** Offset in phraseText where each token starts. */
  phraseStarts: number[];
  /**
   * Per phrase pattern of the lexicons (then the allowPhrase), where in phraseText a match may
   * start; null when it cannot match (phrases.ts).
   */
  candidates: (number[] | null)[];
  /** The phrase patterns (indexes into the lexicons' phrases) whose candidates are not null, ascending. */
  openPhrases: number[];
  /**
   * Per token, the memo record of a word whose text alone is its memo key (most words), else
   * undefined: what is known about the word from earlier comments, for the rules and the
   * classifier (ScoreOptions.slots), so they need not look it up or work it out again.
   */
  words: (WordMemo | undefined)[];
}

function stretchedForms(s: string): string[] {
  if (!/(.)\1/.test(s)) return [];
  const forms = [s.replace(/(.)\1+/g, '$1')];
  if (/(.)\1\1/.test(s)) forms.push(s.replace(/(.)\1{2,}/g, '$1$1'));
  return forms;
}

/** Whether /(.)\1{2,}/ matches: the same character three times in a row ("." is no line break). */
function hasTripleLetter(s: string): boolean {
  for (let i = 2; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === s.charCodeAt(i - 1) && c === s.charCodeAt(i - 2) && c !== 10 && c !== 13 && c !== 0x2028 && c !== 0x2029) return true;
  }
  return false;
}

/** The word without a possessive 's; other apostrophes stay, so "he'll" is never "hell". */
function base(s: string): string {
  return s.endsWith("'s") ? s.slice(0, -2) : s;
}

export interface Read {
  terms: CompiledTerm[];
  reading: Reading;
  /** The word as it was read (asshole for a**hole), which the phrase patterns then see. */
  form: string;
}

/**
 * A word's entry in the policy's memo: its reading, the classifier's slot for the word
 * (ScoreOptions.slots), and facts of its text that rules work out the first time they ask.
 * All of them are pure functions of the word's text (and of the policy), so results never
 * depend on the memo.
 */
export interface WordMemo extends WordSlot {
  read: Read | null;
  /** Whether the text has a \p{N} character: 0 not known yet, 1 no, 2 yes (all_caps). */
  numeric: number;
  /** The acronym set `acronym` was looked up in (all_caps), or null. */
  acronymsOf: ReadonlySet<string> | null;
  acronym: boolean;
  /** spam's fingerprint of the text, 0 until worked out. */
  print: number;
  /** How the word appears in the phrase text (analyze), null until worked out. */
  form: string | null;
  /** The span lexicon (its word map) `learned` was looked up in (evidence.ts), or null. */
  learnedOf: ReadonlyMap<string, LearnedWord> | null;
  learned: LearnedWord | null;
  /** The threat lists (violence's compiled threats) `threats` was looked up in, or null. */
  threatsOf: object | null;
  /** What the harm patterns make of the word (violence/compile.ts), or null. */
  threats: ThreatWord | null;
  /** The identity vocabulary (racism's) `identity` was worked out for, or null. */
  identityOf: object | null;
  identity: IdentityWord | null;
}

/**
 * Tries the readings of a word in order of confidence and stops at the first that matches.
 * Memoised per policy: the same few thousand words make up most comments. A Map keyed by the
 * word's own string: V8 keeps a string's hash once computed.
 */
function readWord(lex: CompiledLexicons, tok: Token): Read | null {
  return wordMemo(lex, memoKey(tok), tok).read;
}

/** The memo key: the text alone for a word without variants or masks, the most common kind. */
function memoKey(tok: Token): string {
  return tok.variants.length === 0 && !tok.masked ? tok.text : `${tok.text}\u0000${tok.variants.join('\u0001')}\u0000${tok.masked}`;
}

/** The most entries the word memo holds. */
export const MEMO_MAX_ENTRIES = 100_000;

/**
 * The longest key the memo keeps. Words worth remembering are short; a longer one is nearly
 * always unique junk, and keeping it would let one comment fill the memo's bytes with it.
 */
export const MEMO_MAX_KEY = 64;

/** A record's cost beyond its key, in bytes: the record, the map's entry, the key's header. */
const MEMO_RECORD_BYTES = 160;

function wordMemo(lex: CompiledLexicons, key: string, tok: Token): WordMemo {
  let memo = lex.memo.get(key);
  if (memo === undefined) {
    memo = { read: readWordUncached(lex, tok), memoGen: 0, memoEntry: 0, numeric: 0, acronymsOf: null, acronym: false, print: 0, form: null, learnedOf: null, learned: null, threatsOf: null, threats: null, identityOf: null, identity: null };
    if (key.length > MEMO_MAX_KEY) return memo;
    // Bounded in entries and in bytes, so a flood of unique junk cannot grow it without end.
    // A key is counted at two bytes a unit, and the form read from it at most as long again.
    const bytes = MEMO_RECORD_BYTES + 4 * key.length;
    if (lex.memo.size >= MEMO_MAX_ENTRIES || lex.memoBytes + bytes > lex.memoMaxBytes) {
      lex.memo.clear();
      lex.memoBytes = 0;
    }
    lex.memo.set(key, memo);
    lex.memoBytes += bytes;
  }
  return memo;
}

function readWordUncached(lex: CompiledLexicons, tok: Token): Read | null {
  const plain = base(tok.text);
  if (isAllowed(lex, plain)) return null;
  let terms = lookup(lex, plain);
  if (terms.length) return { terms, reading: 'plain', form: plain };
  for (const v of tok.variants) {
    const b = base(v);
    if (isAllowed(lex, b)) return null;
    terms = lookup(lex, b);
    if (terms.length) return { terms, reading: 'variant', form: b };
  }
  for (const v of [plain, ...tok.variants.map(base)]) {
    for (const s of stretchedForms(v)) {
      if (isAllowed(lex, s)) continue;
      terms = lookup(lex, s);
      if (terms.length) return { terms, reading: 'stretched', form: s };
    }
  }
  if (tok.masked) {
    for (const v of [tok.text, ...tok.variants]) {
      const found = unmask(lex, v);
      if (found) return { terms: [found.term], reading: 'masked', form: found.form };
    }
  }
  // A leet symbol whose reading made no word may hide a letter, as a mask does: in "бл@дь" the
  // @ is not the а it reads as (бладь) but the я it covers.
  if (!tok.masked && LEET_SYMBOL_RE.test(tok.text)) {
    const found = unmask(lex, tok.text.replace(LEET_SYMBOLS_G, '*'));
    if (found) return { terms: [found.term], reading: 'masked', form: found.form };
  }
  return null;
}

const LEET_SYMBOL_RE = /[@$!|+€£]/;
const LEET_SYMBOLS_G = /[@$!|+€£]/g;

const NAME_CONTEXT_STOP = new Set(['you', 'i', 'a', 'the', 'what', 'this', 'that', 'he', 'she', 'they', 'we', 'your', 'my', 'such', 'big', 'stupid']);

/** "Dick Cheney", "Moby Dick": a name term written as part of a name is a name. */
function writtenAsName(tokens: Token[], i: number): boolean {
  const tok = tokens[i];
  if (!tok.capitalized) return false;
  const next = tokens[i + 1];
  if (next && next.kind === 'word' && next.capitalized && !next.sentenceStart) return true;
  const prev = tokens[i - 1];
  return !!prev && prev.kind === 'word' && prev.capitalized && !tok.sentenceStart && !NAME_CONTEXT_STOP.has(prev.text);
}

/**
 * The most letters a spelled-out word may have. A run of single letters is tried from each of
 * its letters to its end ("x f u c k" is fuck); past this length no lexicon word, stretched or
 * not, is that long, and trying every start of a run of thousands would cost its length squared.
 */
export const MAX_SPACED_LETTERS = 32;

/**
 * Joins words spelled out letter by letter (f u c k, f.u.c.k) when the joined word is in a
 * lexicon. Single letters that join into nothing stay as they were.
 */
function joinSpaced(lex: CompiledLexicons, text: string, tokens: Token[]): { tokens: Token[]; joined: Map<Token, Read> | null } {
  // Most comments have nothing to join: then the token list is returned as it is.
  let out: Token[] | null = null;
  let joined: Map<Token, Read> | null = null;
  let i = 0;
  // Where the run that token i is in ends. A later start inside the same run ends there too, as
  // all its gaps are the same separator, so the run is scanned once, not once per start; only
  // its last letter starts afresh, since the gap after it ("x y f.u.c.k") may begin another run.
  let runEnd = -1;
  while (i < tokens.length) {
    if (i >= runEnd - 1) runEnd = spacedRunEnd(text, tokens, i);
    const j = runEnd;
    if (j - i >= 3 && j - i <= MAX_SPACED_LETTERS) {
      const tok = mergeTokens(tokens, i, j);
      const read = readWord(lex, tok);
      if (read) {
        out ??= tokens.slice(0, i);
        joined ??= new Map();
        out.push(tok);
        joined.set(tok, { ...read, reading: 'spaced' });
        i = j;
        continue;
      }
    }
    out?.push(tokens[i]);
    i++;
  }
  return { tokens: out ?? tokens, joined };
}

/** A run is single letters with the same separator between each ("f.u.c.k", not "f u c k. I"). */
function spacedRunEnd(text: string, tokens: Token[], i: number): number {
  let j = i;
  let gap: string | null = null;
  while (j < tokens.length && tokens[j].kind === 'word' && isOneCodePoint(tokens[j])) {
    if (j > i) {
      const g = text.slice(tokens[j - 1].end, tokens[j].start);
      if (!separatorGap(text, tokens[j - 1].end, tokens[j].start) || (gap !== null && g !== gap)) break;
      gap = g;
    }
    j++;
  }
  return Math.max(j, i + 1);
}

/**
 * Whether the token's text is one code point. A text of one code point has at most one letter
 * (a folded character counts as at most one), so the count rules out nearly every word without
 * reading its text: a field of the token is at hand, its string is one more memory read.
 */
function isOneCodePoint(tok: Token): boolean {
  if (tok.letters > 1) return false;
  const s = tok.text;
  return s.length === 1 || (s.length === 2 && s.codePointAt(0)! > 0xffff);
}

function separatorGap(text: string, from: number, to: number): boolean {
  const gap = to - from;
  if (gap < 1 || gap > 3) return false;
  for (let k = from; k < to; k++) if (!LETTER_SEPARATORS.has(text[k])) return false;
  return true;
}

/** The tokens [from, to) as one word. */
function mergeTokens(tokens: Token[], from: number, to: number): Token {
  const first = tokens[from];
  let text = '';
  let variant = '';
  let anyVariant = false;
  let upper = 0;
  let lower = 0;
  let letters = 0;
  for (let k = from; k < to; k++) {
    const t = tokens[k];
    text += t.text;
    variant += t.variants[0] ?? t.text;
    if (t.variants.length) anyVariant = true;
    upper += t.upper;
    lower += t.lower;
    letters += t.letters;
  }
  return {
    ...first,
    end: tokens[to - 1].end,
    text,
    variants: anyVariant ? [variant] : [],
    masked: false,
    trailingMask: false,
    upper,
    lower,
    letters,
    capitalized: false,
  };
}

/** How a word or tag appears in the phrase text. */
function phraseForm(tok: Token, read: Read | null): string {
  let form = tok.text;
  if (read) form = read.form;
  else if (tok.variants.length > 0 && tok.script === 'latin' && /[a-z]/.test(tok.text)) {
    form = tok.variants[0]; // sh00t, k!ll: the phrase patterns should see the word
  }
  if ((read === null || read.reading === 'plain') && hasTripleLetter(form)) form = form.replace(/(.)\1{2,}/g, '$1');
  return form;
}

const PHRASE_PLACEHOLDER: Record<string, string> = { url: '<url>', email: '<email>', mention: '<user>' };

export function analyze(text: string, lex: CompiledLexicons): Analysis {
  const raw = tokenize(text);
  const { tokens, joined } = joinSpaced(lex, text, raw);
  const hits: TermHit[] = [];
  const phraseParts: string[] = [];
  const phraseStarts: number[] = [];
  const words: (WordMemo | undefined)[] = new Array(tokens.length).fill(undefined);
  let offset = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    let form = tok.text;
    if (tok.kind === 'word' || tok.kind === 'hashtag') {
      let read: Read | null | undefined = joined?.get(tok);
      let memo: WordMemo | undefined;
      if (read === undefined) {
        if (tok.kind === 'hashtag') read = readHashtag(lex, tok);
        else {
          const key = memoKey(tok);
          const entry = wordMemo(lex, key, tok);
          read = entry.read;
          if (key === tok.text) words[i] = memo = entry;
        }
      }
      if (read) {
        const named = writtenAsName(tokens, i);
        for (const term of read.terms) {
          if (term.name && named) continue;
          hits.push({ token: tok, term, reading: read.reading });
        }
      }
      // A word that is its own memo key has no variants: its form follows from its text alone.
      form = memo !== undefined ? (memo.form ??= phraseForm(tok, read)) : phraseForm(tok, read);
    } else {
      form = PHRASE_PLACEHOLDER[tok.kind] ?? form;
    }
    if (i > 0 && tok.sentenceStart) {
      phraseParts.push('.');
      offset += 2;
    }
    phraseStarts.push(offset);
    phraseParts.push(form);
    offset += form.length + 1;
  }
  const phraseText = phraseParts.join(' ');
  const candidates = phraseCandidates(lex.phraseIndex, phraseText);
  // Each category's rule looks only at these: a handful of ~80 patterns can match a comment.
  const openPhrases: number[] = [];
  for (let p = 0; p < lex.phrases.length; p++) if (candidates[p] !== null) openPhrases.push(p);
  const analysis: Analysis = { text, tokens, hits, phraseText, phraseStarts, candidates, openPhrases, words };
  if (hits.length > 0 && lex.allowPhrase) {
    const allowed = allowedSpans(analysis, lex.allowPhrase, candidates[lex.phrases.length]);
    if (allowed.length > 0) analysis.hits = hits.filter((h) => !allowed.some((a) => h.token.start >= a.start && h.token.end <= a.end));
  }
  return analysis;
}

function allowedSpans(a: Analysis, re: RegExp, candidates: number[] | null): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  if (!candidates) return spans;
  let from = 0;
  for (const c of candidates) {
    if (c < from) continue;
    const end = matchEnd(re, a.phraseText, c);
    if (end <= c) continue;
    spans.push(phraseSpan(a, c, end));
    from = end;
  }
  return spans;
}

function readHashtag(lex: CompiledLexicons, tok: Token): Read | null {
  const body = tok.text.slice(1);
  if (isAllowed(lex, body)) return null;
  const terms = lookup(lex, body);
  return terms.length ? { terms, reading: 'plain', form: tok.text } : null;
}

/** The original-text span of a match in phraseText. */
export function phraseSpan(a: Analysis, from: number, to: number): { start: number; end: number } {
  const first = tokenAt(a.phraseStarts, from);
  const last = tokenAt(a.phraseStarts, to - 1);
  return { start: a.tokens[first].start, end: a.tokens[last].end };
}

function tokenAt(starts: number[], pos: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function termFindings(a: Analysis, category: Category, out: Finding[] = []): Finding[] {
  for (const h of a.hits) {
    if (h.term.category !== category) continue;
    out.push({ category, severity: h.term.severity, start: h.token.start, end: h.token.end, rule: ruleId(h.term, h.reading) });
  }
  return out;
}

/** The rule id of a term read a certain way, built once per term and reading. */
function ruleId(term: CompiledTerm, reading: Reading): string {
  if (reading === 'plain') return term.id;
  return (term.readingIds[reading] ??= `${term.id}#${reading}`);
}

/**
 * Matches of the category's phrase patterns, added to `out`. Each pattern runs only where
 * phrases.ts found it can start, left to right, a match's end being where the next may start:
 * the same matches a global scan would find.
 */
export function phraseFindings(a: Analysis, lex: CompiledLexicons, category: Category, out: Finding[] = []): Finding[] {
  for (let k = 0; k < a.openPhrases.length; k++) {
    const i = a.openPhrases[k];
    const p = lex.phrases[i];
    if (p.category !== category) continue;
    const candidates = a.candidates[i]!;
    let from = 0;
    for (const c of candidates) {
      if (c < from) continue;
      const end = matchEnd(p.re, a.phraseText, c);
      if (end <= c) continue; // no match, or an empty one
      const start = a.tokens[tokenAt(a.phraseStarts, c)].start;
      out.push({ category, severity: p.severity, start, end: a.tokens[tokenAt(a.phraseStarts, end - 1)].end, rule: p.rule });
      from = end;
    }
  }
  return out;
}
