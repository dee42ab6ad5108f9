import type { Analysis } from '../../analyze';
import type { Token } from '../../normalize/tokenize';
import { QuoteIndex } from './quotes';
import { type CompiledIdentity, collectEntries, type Mark } from './vocabulary';
import { identityWordAt, wordOf } from './word-facts';

/** A vocabulary phrase found in the comment: tokens [from, to). */
export interface Hit {
  mark: Mark;
  from: number;
  to: number;
}

/**
 * The comment as the identity reader sees it: its words, sentences and vocabulary hits, indexed
 * by where they start and end so that every question the reader asks costs a few steps, not a
 * pass over the comment (a 10,000-character comment can hold thousands of hits).
 */
export interface Marked {
  text: string;
  tokens: readonly Token[];
  /** Per token, the word as the vocabulary is matched against it (no possessive 's). */
  words: string[];
  /** Per token, its sentence's number. */
  sentence: number[];
  /** Per sentence, its first token; one entry more, the token count. */
  sentenceStart: number[];
  /** In order of `from`; at one token, in the vocabulary's order. */
  hits: Hit[];
  /** Per token, the hits starting there, or undefined. */
  byFrom: (Hit[] | undefined)[];
  /** Per token index t, the hits ending just before it (to === t), or undefined. */
  byTo: (Hit[] | undefined)[];
  /** Per sentence: 0 not worked out yet, 1 no condemnation in it, 2 one. */
  condemned: number[];
  /** Per sentence, the smallest `to` of a report frame in it, or -1 for none. */
  firstReportEnd: number[];
  quotes: QuoteIndex;
}

/** Where a sentence ends: unlike the tokenizer, a colon or a semicolon does not. */
function breaksSentence(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === 46 || c === 33 || c === 63 || c === 0x2026 || c === 10 || c === 13) return true; // . ! ? … \n \r
  }
  return false;
}

function markedWord(t: Token): string {
  return t.kind === 'word' ? wordOf(t.text) : '';
}

/** Per token, the word as the vocabulary is matched against it (Marked.words). */
export function wordsOf(tokens: readonly Token[]): string[] {
  return tokens.map(markedWord);
}

/** Every mark, for a reading of the comment's claims. */
export const ALL_MARKS = -1;

/**
 * The comment's words, sentences and the hits of the marks in `marks` (markBit, or-ed; hits of
 * other marks are left out, which the reader must not be given, but what judges a slur or a
 * phrase does not look at).
 */
export function markComment(a: Analysis, vocabulary: CompiledIdentity, words: string[] = wordsOf(a.tokens), marks = ALL_MARKS): Marked {
  const { text, tokens } = a;
  const n = tokens.length;
  const sentence = new Array<number>(n);
  const sentenceStart: number[] = [0];
  const hits: Hit[] = [];
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && breaksSentence(text, tokens[i - 1].end, tokens[i].start)) {
      s++;
      sentenceStart.push(i);
    }
    sentence[i] = s;
    const w = identityWordAt(a, i, vocabulary);
    if ((w.marks & marks) !== 0) collectEntries(w.entries, words, i, hits, marks);
  }
  sentenceStart.push(n);
  const sentences = sentenceStart.length - 1;
  const firstReportEnd = new Array<number>(sentences).fill(-1);
  const { byFrom, byTo } = indexHits(hits, n);
  for (const h of hits) {
    if (h.mark === 'report') {
      const r = sentence[h.from];
      if (firstReportEnd[r] < 0 || h.to < firstReportEnd[r]) firstReportEnd[r] = h.to;
    }
  }
  return {
    text,
    tokens,
    words,
    sentence,
    sentenceStart,
    hits,
    byFrom,
    byTo,
    condemned: new Array<number>(sentences).fill(0),
    firstReportEnd,
    quotes: new QuoteIndex(text, tokens, sentenceStart),
  };
}

/**
 * Marked.byFrom and byTo. A token's list starts as a literal of its first hit, made at that
 * size: grown by push() from empty it would take room for 17, and most tokens have one hit.
 */
function indexHits(hits: readonly Hit[], n: number): { byFrom: (Hit[] | undefined)[]; byTo: (Hit[] | undefined)[] } {
  const byFrom: (Hit[] | undefined)[] = new Array(n + 1).fill(undefined);
  const byTo: (Hit[] | undefined)[] = new Array(n + 1).fill(undefined);
  for (const h of hits) {
    const from = byFrom[h.from];
    if (from === undefined) byFrom[h.from] = [h];
    else from.push(h);
    const to = byTo[h.to];
    if (to === undefined) byTo[h.to] = [h];
    else to.push(h);
  }
  return { byFrom, byTo };
}

/** A hit of the mark ending exactly at token `at`, if any. */
export function endingAt(m: Marked, mark: Mark, at: number): Hit | undefined {
  const list = m.byTo[at];
  if (list) for (const h of list) if (h.mark === mark) return h;
  return undefined;
}

/** The longest hit (of the mark, if given) starting at token `at`, if any. */
export function startingAt(m: Marked, at: number, mark?: Mark): Hit | undefined {
  const list = m.byFrom[at];
  let best: Hit | undefined;
  if (list) for (const h of list) if ((mark === undefined || h.mark === mark) && (!best || h.to > best.to)) best = h;
  return best;
}

/** Token range of sentence s: [first, end). */
export function sentenceRange(m: Marked, s: number): [number, number] {
  return [m.sentenceStart[s], m.sentenceStart[s + 1]];
}
