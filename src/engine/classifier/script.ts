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

/**
 * Whether a word is written with a letter Ukrainian has and Russian lacks (і, ї, є, ґ; the
 * tokenizer folds ї to і). The Cyrillic model was trained on Russian comments only: on Ukrainian
 * its words are unknown and its character n-grams misleading (a news sentence such as "ЗСУ і СБУ
 * підтвердили удар" scored like a flame war), so such comments are left to the rules and the
 * Ukrainian lexicon.
 */
export function writtenInUkrainian(tokens: readonly Token[]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'word') continue;
    for (let j = 0; j < t.text.length; j++) {
      const c = t.text.charCodeAt(j);
      if (c === 0x0456 || c === 0x0457 || c === 0x0454 || c === 0x0491) return true;
    }
  }
  return false;
}
