const DOUBLE_QUOTES = new Set(['"', '“', '”', '„', '«', '»', '‹', '›', '「', '」']);
const SINGLE_QUOTES = new Set(["'", '‘', '’', '`', '´']);

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
}

/**
 * Whether text[start, end) sits between a pair of quotation marks within text[from, to) (its
 * sentence). A single quote between two letters is an apostrophe (don't), not a quotation mark.
 * Marks pair up in order, first opening, second closing.
 */
export function isQuoted(text: string, from: number, to: number, start: number, end: number): boolean {
  let open = -1;
  for (let k = from; k < to; k++) {
    const ch = text[k];
    const single = SINGLE_QUOTES.has(ch);
    if (!single && !DOUBLE_QUOTES.has(ch)) continue;
    if (single && isWordChar(text[k - 1]) && isWordChar(text[k + 1])) continue;
    if (open < 0) {
      open = k;
      continue;
    }
    if (open < start && k >= end) return true;
    open = -1;
  }
  return false;
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
