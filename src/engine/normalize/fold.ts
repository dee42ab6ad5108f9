/**
 * Folds one code point to its comparison form: compatibility-decomposed (NFKC, so full-width
 * ｆ is f and ligatures split), lower-cased, and stripped of combining marks (so fück is fuck;
 * й and ё become и and е, which the lexicons are folded with too). May return "" or several
 * characters. ASCII takes a table lookup; everything else is computed once and cached.
 */
const ASCII: string[] = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i).toLowerCase());
const cache = new Map<number, string>();
const MARKS = /\p{M}/gu;

export function foldCodePoint(cp: number): string {
  if (cp < 128) return ASCII[cp];
  let out = cache.get(cp);
  if (out === undefined) {
    out = String.fromCodePoint(cp).normalize('NFKC').toLowerCase().normalize('NFD').replace(MARKS, '');
    // Keep the cache bounded: an attacker can send every code point there is.
    if (cache.size < 20000) cache.set(cp, out);
  }
  return out;
}

/** Folds a whole string the same way (used for lexicon entries, so both sides match). */
export function foldString(s: string): string {
  let out = '';
  for (const ch of s) out += foldCodePoint(ch.codePointAt(0)!);
  return out;
}

const LATIN = /\p{Script=Latin}/u;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const LETTER = /\p{L}/u;

export type Script = 'latin' | 'cyrillic' | 'other' | 'none';

const scriptCache = new Map<string, Script>();
export function scriptOf(ch: string): Script {
  const c = ch.charCodeAt(0);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) ? 'latin' : 'none';
  let s = scriptCache.get(ch);
  if (s === undefined) {
    s = LATIN.test(ch) ? 'latin' : CYRILLIC.test(ch) ? 'cyrillic' : LETTER.test(ch) ? 'other' : 'none';
    if (scriptCache.size < 20000) scriptCache.set(ch, s);
  }
  return s;
}
