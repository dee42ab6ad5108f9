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
 * Whether `text` has a letter Ukrainian has and Russian lacks: і, ї, є, ґ, either case. The one
 * test of "Ukrainian" for the engine and the compatibility endpoints' language detection.
 */
export function hasUkrainianLetter(text: string): boolean {
  for (let j = 0; j < text.length; j++) {
    const c = text.charCodeAt(j);
    // і ї є ґ and І Ї Є Ґ
    if (c === 0x0456 || c === 0x0457 || c === 0x0454 || c === 0x0491 || c === 0x0406 || c === 0x0407 || c === 0x0404 || c === 0x0490) return true;
  }
  return false;
}

/**
 * Whether a word of the comment is written with a Ukrainian letter (hasUkrainianLetter; the
 * tokenizer folds ї to і). The Cyrillic model was trained on Russian comments only and scores
 * Ukrainian news sentences near its threshold, so such comments are left to the rules and the
 * Ukrainian lexicon.
 */
export function writtenInUkrainian(tokens: readonly Token[]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].kind === 'word' && hasUkrainianLetter(tokens[i].text)) return true;
  }
  return false;
}
