import type { Token } from '../../normalize/tokenize';
import type { CompiledIdentity, Mark, PhraseTable } from './vocabulary';

/** A vocabulary phrase found in the comment: tokens [from, to). */
export interface Hit {
  mark: Mark;
  from: number;
  to: number;
}

/** The comment as the identity reader sees it: its words, sentences and vocabulary hits. */
export interface Marked {
  text: string;
  tokens: readonly Token[];
  /** Per token, the word as the vocabulary is matched against it (no possessive 's). */
  words: string[];
  /** Per token, its sentence's number. */
  sentence: Int32Array;
  /** In order of `from`; at one token, in the vocabulary's order. */
  hits: Hit[];
}

/** Where a sentence ends: unlike the tokenizer, a colon or a semicolon does not. */
function breaksSentence(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === 46 || c === 33 || c === 63 || c === 0x2026 || c === 10 || c === 13) return true; // . ! ? … \n \r
  }
  return false;
}

function wordOf(t: Token): string {
  if (t.kind !== 'word') return '';
  return t.text.endsWith("'s") ? t.text.slice(0, -2) : t.text;
}

export function markComment(text: string, tokens: readonly Token[], vocabulary: CompiledIdentity): Marked {
  const n = tokens.length;
  const words = tokens.map(wordOf);
  const sentence = new Int32Array(n);
  const hits: Hit[] = [];
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && breaksSentence(text, tokens[i - 1].end, tokens[i].start)) s++;
    sentence[i] = s;
    collect(vocabulary.table, words, i, hits);
  }
  return { text, tokens, words, sentence, hits };
}

function collect(table: PhraseTable, words: readonly string[], at: number, out: Hit[]): void {
  if (words[at] === '') return;
  table.matchAt(words, at, (mark, length) => out.push({ mark, from: at, to: at + length }));
}

/** The hits of one mark. */
export function hitsOf(m: Marked, mark: Mark): Hit[] {
  return m.hits.filter((h) => h.mark === mark);
}

/** A hit of the mark ending exactly at token `at`, if any. */
export function endingAt(m: Marked, mark: Mark, at: number): Hit | undefined {
  for (const h of m.hits) if (h.to === at && h.mark === mark) return h;
  return undefined;
}

/** The longest hit of the mark starting at token `at`, if any. */
export function startingAt(m: Marked, mark: Mark, at: number): Hit | undefined {
  let best: Hit | undefined;
  for (const h of m.hits) if (h.from === at && h.mark === mark && (!best || h.to > best.to)) best = h;
  return best;
}

/** Whether some hit of the mark lies within tokens [from, to). */
export function anyWithin(m: Marked, mark: Mark, from: number, to: number): Hit | undefined {
  for (const h of m.hits) if (h.mark === mark && h.from >= from && h.to <= to) return h;
  return undefined;
}

/** Token range of sentence s: [first, end). */
export function sentenceRange(m: Marked, s: number): [number, number] {
  let a = 0;
  while (a < m.sentence.length && m.sentence[a] < s) a++;
  let b = a;
  while (b < m.sentence.length && m.sentence[b] === s) b++;
  return [a, b];
}
