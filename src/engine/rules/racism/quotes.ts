import type { Token } from '../../normalize/tokenize';

const DOUBLE_QUOTES = new Set(['"', '“', '”', '„', '«', '»', '‹', '›', '「', '」']);
const SINGLE_QUOTES = new Set(["'", '‘', '’', '`', '´']);
/** Per UTF-16 code unit, 1 for the quotation marks above: a character not among them is none. */
const QUOTE_CODES = new Uint8Array(0x10000);
for (const q of [...DOUBLE_QUOTES, ...SINGLE_QUOTES]) QUOTE_CODES[q.charCodeAt(0)] = 1;

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
}

function isQuoteMark(text: string, k: number): boolean {
  const ch = text[k];
  if (DOUBLE_QUOTES.has(ch)) return true;
  // A single quote between two letters is an apostrophe (don't), not a quotation mark.
  return SINGLE_QUOTES.has(ch) && !(isWordChar(text[k - 1]) && isWordChar(text[k + 1]));
}

/**
 * The quoted stretches of a comment: quotation marks pair up in order, first opening, second
 * closing, within a sentence (a mark left open when the sentence ends is dropped). Worked out
 * on the first question, in one pass; each question after that is a binary search.
 */
export class QuoteIndex {
  private opens: number[] | null = null;
  private closes: number[] = [];

  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
    private readonly sentenceStart: readonly number[],
  ) {}

  /** Whether text[start, end) lies between a pair of quotation marks. */
  quoted(start: number, end: number): boolean {
    const opens = (this.opens ??= this.pair());
    let lo = 0;
    let hi = opens.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (opens[mid] < start) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 && this.closes[found] >= end;
  }

  private pair(): number[] {
    const { text, tokens, sentenceStart } = this;
    const opens: number[] = [];
    let open = -1;
    let next = 1; // the next sentence whose start drops a mark left open before it
    for (let k = 0; k < text.length; k++) {
      while (next < sentenceStart.length - 1 && k >= tokens[sentenceStart[next]].start) {
        // A mark in the gap between sentences opens the next one ('. "Russians are...').
        if (open >= 0 && open < tokens[sentenceStart[next] - 1].end) open = -1;
        next++;
      }
      if (QUOTE_CODES[text.charCodeAt(k)] === 0 || !isQuoteMark(text, k)) continue;
      if (open < 0) open = k;
      else {
        opens.push(open);
        this.closes.push(k);
        open = -1;
      }
    }
    return opens;
  }
}

/** Whether a quotation mark comes right before `start` and right after `end` (spaces allowed). */
export function isWrappedInQuotes(text: string, start: number, end: number): boolean {
  let a = start - 1;
  while (a >= 0 && text[a] === ' ') a--;
  let b = end;
  while (b < text.length && text[b] === ' ') b++;
  const quote = (ch: string | undefined) => ch !== undefined && (SINGLE_QUOTES.has(ch) || DOUBLE_QUOTES.has(ch));
  return quote(text[a]) && quote(text[b]);
}
