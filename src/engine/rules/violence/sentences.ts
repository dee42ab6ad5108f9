import type { Token } from '../../normalize/tokenize';

/** Characters between two words that end a clause: what an order starts after, what a quote ends at. */
const CLAUSE_BREAK = /[,;:()\u2014\u2013"\u201c\u201d\u00ab\u00bb]/;
const SENTENCE_BREAK = /;/;
const QUOTE = /["\u201c\u201d\u00ab\u00bb]/g;

/** Sentences and clause breaks of a comment, from its tokens and the text between them. */
export interface Layout {
  /** Per token, the index of the first token of its sentence. */
  sentenceOf: Int32Array;
  /** Per token, whether a clause (or sentence) starts at it. */
  clauseStart: Uint8Array;
  /** Per token, whether it stands inside quotation marks. */
  quoted: Uint8Array;
}

export function layout(text: string, tokens: readonly Token[]): Layout {
  const n = tokens.length;
  const sentenceOf = new Int32Array(n);
  const clauseStart = new Uint8Array(n);
  const quoted = new Uint8Array(n);
  let sentence = 0;
  let quotes = 0;
  for (let i = 0; i < n; i++) {
    const gap = i === 0 ? text.slice(0, tokens[0].start) : text.slice(tokens[i - 1].end, tokens[i].start);
    const marks = gap.match(QUOTE);
    if (marks) quotes += marks.length;
    if (i === 0 || tokens[i].sentenceStart || SENTENCE_BREAK.test(gap)) {
      sentence = i;
      clauseStart[i] = 1;
    } else if (CLAUSE_BREAK.test(gap)) clauseStart[i] = 1;
    sentenceOf[i] = sentence;
    quoted[i] = quotes % 2;
  }
  return { sentenceOf, clauseStart, quoted };
}
