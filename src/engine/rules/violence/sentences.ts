import type { Token } from '../../normalize/tokenize';

/**
 * Characters between two words that end a clause (what an order starts after, what a quote ends
 * at), a sentence, or open or close a quotation: one table lookup per character of the gaps.
 */
const CLAUSE = 1;
const SENTENCE = 2;
const QUOTE = 4;
const MARKS = new Map<number, number>([
  [0x2c, CLAUSE], // ,
  [0x3b, CLAUSE | SENTENCE], // ;
  [0x3a, CLAUSE], // :
  [0x28, CLAUSE], // (
  [0x29, CLAUSE], // )
  [0x2014, CLAUSE],
  [0x2013, CLAUSE],
  [0x22, CLAUSE | QUOTE], // "
  [0x201c, CLAUSE | QUOTE],
  [0x201d, CLAUSE | QUOTE],
  [0xab, CLAUSE | QUOTE],
  [0xbb, CLAUSE | QUOTE],
]);
const ASCII = new Uint8Array(128);
for (const [c, m] of MARKS) if (c < 128) ASCII[c] = m;

function markOf(c: number): number {
  return c < 128 ? ASCII[c] : (MARKS.get(c) ?? 0);
}

/** Sentences and clause breaks of a comment, from its tokens and the text between them. */
export interface Layout {
  /** Per token, the index of the first token of its sentence. */
  sentenceOf: Int32Array;
  /** Per token, whether a clause (or sentence) starts at it. */
  clauseStart: Uint8Array;
  /** Per token, whether it stands inside quotation marks. */
  quoted: Uint8Array;
}

/**
 * The layout of `tokens`, written into `into` when given: its arrays may be longer than the
 * comment (the reader reuses them), and only the first tokens.length entries are then meaningful.
 */
export function layout(text: string, tokens: readonly Token[], into?: Layout): Layout {
  const n = tokens.length;
  const sentenceOf = into?.sentenceOf ?? new Int32Array(n);
  const clauseStart = into?.clauseStart ?? new Uint8Array(n);
  const quoted = into?.quoted ?? new Uint8Array(n);
  let sentence = 0;
  let quotes = 0;
  for (let i = 0; i < n; i++) {
    const to = tokens[i].start;
    let marks = 0;
    for (let c = i === 0 ? 0 : tokens[i - 1].end; c < to; c++) {
      const m = markOf(text.charCodeAt(c));
      if (m === 0) continue;
      marks |= m;
      if (m & QUOTE) quotes++;
    }
    if (i === 0 || tokens[i].sentenceStart || marks & SENTENCE) {
      sentence = i;
      clauseStart[i] = 1;
    } else clauseStart[i] = marks & CLAUSE ? 1 : 0;
    sentenceOf[i] = sentence;
    quoted[i] = quotes % 2;
  }
  return into ?? { sentenceOf, clauseStart, quoted };
}
