import { APOSTROPHES, DASHES, LEET_SYMBOLS, MASK_SYMBOLS, isInvisible } from './chars';
import { foldCodePoint, scriptOf } from './fold';

/**
 * What the tokenizer needs to know about each code point, computed once per code point and
 * kept in tables: the tokenizer looks at every character of every comment, and regular
 * expressions or case conversions per character cost more than everything else it does.
 */

export const enum C {
  Letter, // letters, marks, digits
  Invisible,
  Leet,
  Mask,
  Dash,
  Apostrophe,
  Other,
}

const LETTER_RE = /[\p{L}\p{M}\p{N}]/u;

function computeClass(cp: number): C {
  const ch = String.fromCodePoint(cp);
  if (cp < 128 && ((cp >= 97 && cp <= 122) || (cp >= 65 && cp <= 90) || (cp >= 48 && cp <= 57))) return C.Letter;
  if (cp >= 128 && isInvisible(cp)) return C.Invisible;
  if (LEET_SYMBOLS.has(ch)) return C.Leet;
  if (MASK_SYMBOLS.has(ch)) return C.Mask;
  if (DASHES.has(ch)) return C.Dash;
  if (APOSTROPHES.has(ch)) return C.Apostrophe;
  if (cp >= 128 && LETTER_RE.test(ch)) return C.Letter;
  return C.Other;
}

// Class + 1 per UTF-16 code unit value, 0 until first asked; code points above it are rare.
const BMP_CLASS = new Uint8Array(0x10000);
for (let cp = 0; cp < 128; cp++) BMP_CLASS[cp] = computeClass(cp) + 1;

/** The class of each ASCII character, for the tokenizer's path for ASCII (never Invisible). */
export const ASCII_CLASS = Uint8Array.from({ length: 128 }, (_, cp) => computeClass(cp));

export function classOf(cp: number): C {
  if (cp > 0xffff) return computeClass(cp);
  let c = BMP_CLASS[cp];
  if (c === 0) BMP_CLASS[cp] = c = computeClass(cp) + 1;
  return (c - 1) as C;
}

/** 0: no case, 1: upper, 2: lower (title-case letters count as lower, as toUpperCase differs). */
export type Case = 0 | 1 | 2;

function computeCase(cp: number): Case {
  const ch = String.fromCodePoint(cp);
  const lo = ch.toLowerCase();
  const up = ch.toUpperCase();
  if (lo === up) return 0;
  return ch === up ? 1 : 2;
}

const BMP_CASE = new Uint8Array(0x10000);

export function caseOf(cp: number): Case {
  if (cp < 128) return cp >= 65 && cp <= 90 ? 1 : cp >= 97 && cp <= 122 ? 2 : 0;
  if (cp > 0xffff) return computeCase(cp);
  let k = BMP_CASE[cp];
  if (k === 0) BMP_CASE[cp] = k = computeCase(cp) + 1;
  return (k - 1) as Case;
}

/** A non-ASCII letter as a word reads it: folded, and what the folded characters count for. */
export interface LetterInfo {
  folded: string;
  latin: number;
  cyrillic: number;
  other: number;
  /** Folded characters that are letters of some script. */
  letters: number;
  /** It folds to an ASCII digit (² → 2), which makes the word a leetspeak candidate. */
  digit: boolean;
}

const letterCache = new Map<number, LetterInfo>();
// Entries of the alphabetic scripts below U+3000 (Latin, Greek, Cyrillic, Arabic, Indic, ...) by
// code point: an array read instead of a hash probe per letter, Cyrillic comments being all
// non-ASCII. Preallocated, so it stays a flat array; filled as met.
const TABLE_END = 0x3000;
const LETTER_TABLE = new Array<LetterInfo | undefined>(TABLE_END).fill(undefined);

export function letterInfo(cp: number): LetterInfo {
  if (cp < TABLE_END) {
    let info = LETTER_TABLE[cp];
    if (info === undefined) LETTER_TABLE[cp] = info = computeLetterInfo(cp);
    return info;
  }
  let info = letterCache.get(cp);
  if (info === undefined) {
    info = computeLetterInfo(cp);
    // Bounded: an attacker can send every code point there is.
    if (letterCache.size < 20000) letterCache.set(cp, info);
  }
  return info;
}

function computeLetterInfo(cp: number): LetterInfo {
  const folded = foldCodePoint(cp);
  const info: LetterInfo = { folded, latin: 0, cyrillic: 0, other: 0, letters: 0, digit: false };
  for (const f of folded) {
    const s = scriptOf(f);
    if (s === 'latin') info.latin++;
    else if (s === 'cyrillic') info.cyrillic++;
    else if (s === 'other') info.other++;
    else if (f >= '0' && f <= '9') info.digit = true;
    if (s !== 'none') info.letters++;
  }
  return info;
}
