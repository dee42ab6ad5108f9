import type { Token } from '../normalize/tokenize';

/**
 * Whether more of a comment's words are Cyrillic than not, judged by each word's first letter:
 * such a comment goes to the Cyrillic model. A Russian comment quoting an English name stays
 * Russian; an English comment with one Russian word stays English.
 */
export function mostlyCyrillic(tokens: readonly Token[]): boolean {
  let cyrillic = 0;
  let other = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'word') continue;
    const c = t.text.charCodeAt(0);
    // Cyrillic and Cyrillic Supplement: Russian, Ukrainian (і, ї, є, ґ) and the other Cyrillic scripts.
    if (c >= 0x0400 && c <= 0x052f) cyrillic++;
    else if (c > 0x40) other++;
  }
  return cyrillic > other;
}
