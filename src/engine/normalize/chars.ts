// Character tables for normalisation. Data only; the logic lives in fold.ts and tokenize.ts.

/** Invisible characters that attackers put inside words; they never separate tokens. */
export const INVISIBLE = new Set<number>([
  0x00ad, // soft hyphen
  0x034f, // combining grapheme joiner
  0x061c, // arabic letter mark
  0x115f, 0x1160, 0x17b4, 0x17b5, 0x180e,
  0x200b, 0x200c, 0x200d, 0x200e, 0x200f, // zero-width space/non-joiner/joiner, LRM, RLM
  0x202a, 0x202b, 0x202c, 0x202d, 0x202e, // bidi embeddings and overrides
  0x2060, 0x2061, 0x2062, 0x2063, 0x2064, // word joiner, invisible operators
  0x2066, 0x2067, 0x2068, 0x2069, // bidi isolates
  0x3164, 0xfeff, 0xffa0,
]);

export function isInvisible(cp: number): boolean {
  return INVISIBLE.has(cp) || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
}

/** Cyrillic and Greek letters that look like Latin ones, folded when a word is mostly Latin. */
export const TO_LATIN: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't',
  у: 'y', х: 'x', ѕ: 's', і: 'i', ї: 'i', ј: 'j', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l',
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', μ: 'u', ν: 'v', ο: 'o', ρ: 'p', τ: 't',
  υ: 'u', χ: 'x', ω: 'w', ϲ: 'c',
};

/** Latin letters that look like Cyrillic ones, folded when a word is mostly Cyrillic. */
export const TO_CYRILLIC: Record<string, string> = {
  a: 'а', b: 'в', e: 'е', k: 'к', m: 'м', h: 'н', o: 'о', p: 'р', c: 'с', t: 'т', y: 'у',
  x: 'х', i: 'і', '3': 'з', '6': 'б', '0': 'о', '@': 'а', '4': 'ч',
};

/** Leetspeak: digits and symbols read as letters inside a word that has letters. */
export const LEET: Record<string, string> = {
  '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g',
  '@': 'a', $: 's', '!': 'i', '|': 'l', '+': 't', '€': 'e', '£': 'l',
};

/** "1" and "|" read as "l" as often as "i" (a55ho1e). */
export const LEET_ALT: Record<string, string> = { '1': 'l', '!': 'l' };

/** Symbols that can stand for letters at the edge or inside of a word. */
export const LEET_SYMBOLS = new Set(['@', '$', '!', '|', '+', '€', '£']);

/** Characters that mask letters: f***, f#ck, sh%t. */
export const MASK_SYMBOLS = new Set(['*', '#', '%', '•', '·', '●', '_']);

export const DASHES = new Set(['-', '–', '—', '‒', '―', '−']);

/** What may stand between the letters of a spaced-out word (f u c k, f.u.c.k, f-u-c-k). */
export const LETTER_SEPARATORS = new Set([' ', '.', '-', '_', '*', '·', '/', '|', ',', '~', '+']);

export const APOSTROPHES = new Set(["'", '’', 'ʼ', '`', '´']);

export const SENTENCE_END = /[.!?;:…\n\r]/;
