import { ASCII_CLASS, C, caseOf, classOf, letterInfo } from './cells';
import { LEET, LEET_ALT, TO_CYRILLIC, TO_LATIN } from './chars';
import { SpecialScan } from './specials';
import type { Script } from './fold';

export type TokenKind = 'word' | 'url' | 'email' | 'mention' | 'hashtag';

/**
 * A word of the comment, with its span in the ORIGINAL text and its comparison forms.
 * Every later stage works on tokens, so every finding maps back to `start`/`end` for free.
 */
export interface Token {
  kind: TokenKind;
  /** UTF-16 offsets into the submitted text. */
  start: number;
  end: number;
  /**
   * Folded (NFKC, lower case, no marks, no invisibles), look-alikes folded to the word's script.
   * A mask symbol is '*' (one hidden letter); a dash inside or at the end is '~' (one or more).
   */
  text: string;
  /** Other readings of the same word: leetspeak (sh1t), the other script's look-alikes (xуй). */
  variants: string[];
  /** Written with mask characters (f***, sh*t) or cut off with a dash (bulls—). */
  masked: boolean;
  trailingMask: boolean;
  script: Script;
  upper: number;
  lower: number;
  letters: number;
  /** A sentence break (or the start of the text) comes before it. */
  sentenceStart: boolean;
  /** Written like a name: an upper-case letter, then lower case. */
  capitalized: boolean;
}

/** Top-level domains that make "word.word" a link rather than a typo like "end.The". */
const TLDS = new Set(
  'com net org ru ua io ly co info biz xyz top me tv gl su click link online site shop app love store club live win vip bet loan money fun space website pro uk de eu us ca fr pl cn cc ws to fm ai gg dev page blog news today world life tech email cloud one best buzz icu cyou cam date dating sexy porn xxx'.split(' '),
);

function isDomain(s: string): boolean {
  const host = s.split('/')[0].toLowerCase();
  const tld = host.slice(host.lastIndexOf('.') + 1);
  return TLDS.has(tld);
}

function specialKind(s: string): TokenKind {
  if (s[0] === '@') return 'mention';
  if (s[0] === '#') return 'hashtag';
  if (!/^(?:https?:|www\.)/i.test(s) && s.includes('@')) return 'email';
  return 'url';
}

// The code points of the stretch of text being split into words, as parallel arrays rather than
// an object per character. Reused from call to call (tokenize is synchronous) and grown as needed.
let cellCp = new Int32Array(512);
/** One entry more than there are cells: NONE after the last, when it stands in for nextVisible. */
let cellClass = new Uint8Array(513);
/** UTF-16 offset where each cell starts; one entry more, for where the last one ends. */
let cellStart = new Int32Array(513);
/**
 * The class of the first visible cell at or after each index (invisibles are transparent).
 * Without invisibles in the stretch that is the cell's own class, and this is cellClass itself.
 */
let nextVisible = new Uint8Array(513);
let visibleBuffer = nextVisible;
const NONE = 255;

/** Fills the cell arrays for text[from, to) and returns how many cells there are. */
function fillCells(text: string, from: number, to: number): number {
  if (cellCp.length < to - from) {
    const size = (to - from) * 2;
    cellCp = new Int32Array(size);
    cellClass = new Uint8Array(size + 1);
    cellStart = new Int32Array(size + 1);
    visibleBuffer = new Uint8Array(size + 1);
  }
  let n = 0;
  let i = from;
  let invisible = false;
  while (i < to) {
    const unit = text.charCodeAt(i);
    if (unit < 128) {
      cellCp[n] = unit;
      cellClass[n] = ASCII_CLASS[unit];
      cellStart[n] = i;
      n++;
      i++;
      continue;
    }
    const cp = text.codePointAt(i)!;
    const c = classOf(cp);
    cellCp[n] = cp;
    cellClass[n] = c;
    cellStart[n] = i;
    if (c === C.Invisible) invisible = true;
    n++;
    i += cp > 0xffff ? 2 : 1;
  }
  cellStart[n] = i;
  cellClass[n] = NONE;
  if (!invisible) {
    nextVisible = cellClass;
    return n;
  }
  nextVisible = visibleBuffer;
  nextVisible[n] = NONE;
  for (let k = n - 1; k >= 0; k--) nextVisible[k] = cellClass[k] === C.Invisible ? nextVisible[k + 1] : cellClass[k];
  return n;
}

function foldScript(text: string, map: Record<string, string>): string {
  let out = '';
  for (const ch of text) out += map[ch] ?? ch;
  return out;
}

function mapLeet(text: string, alt: boolean): string {
  let out = '';
  for (const ch of text) out += (alt ? LEET_ALT[ch] : undefined) ?? LEET[ch] ?? ch;
  return out;
}

/** What a cell adds to the word's text: its folded form ('*' for a mask, '~' for a dash). */
function cellText(k: number): string {
  const cp = cellCp[k];
  switch (cellClass[k] as C) {
    case C.Invisible:
      return '';
    case C.Apostrophe:
      return "'";
    case C.Mask:
      return '*'; // exactly one hidden letter
    case C.Dash:
      return '~'; // one or more hidden letters: f—k, bulls—
    case C.Leet:
      return String.fromCodePoint(cp);
    default:
      if (cp >= 65 && cp <= 90) return String.fromCharCode(cp + 32);
      return cp < 128 ? String.fromCharCode(cp) : letterInfo(cp).folded;
  }
}

/** The word's text cell by cell, for words with more than ASCII case to fold. */
function buildWord(from: number, to: number): string {
  let out = '';
  for (let k = from; k < to; k++) out += cellText(k);
  return out;
}

/**
 * The variants of a word that has none, shared by all such tokens: most words have none, and an
 * empty array per token was a sixth of the tokenizer's allocation. Frozen, so a caller that
 * pushed into it would throw rather than change every token.
 */
const NO_VARIANTS: string[] = Object.freeze([]) as unknown as string[];

function finishWord(text: string, from: number, to: number, trailingMask: boolean, sentenceStart: boolean): Token {
  let upper = 0;
  let lower = 0;
  let letters = 0;
  let latin = 0;
  let cyrillic = 0;
  let other = 0;
  let masked = trailingMask;
  let hasLeetish = false;
  // Most words read as the text itself, or as its lower case: then it is sliced, not built. A
  // cell reads as itself if it is a lower-case ASCII letter, a digit, an ASCII leet symbol or "'".
  let asIs = true;
  let lowerCased = true;
  for (let k = from; k < to; k++) {
    const cp = cellCp[k];
    const c = cellClass[k] as C;
    if (cp < 128) {
      // ASCII first: the common case by far, with no table to read.
      if (c === C.Letter) {
        if (cp >= 97) lower++;
        else if (cp >= 65) {
          upper++;
          asIs = false; // still lowerCased
        } else {
          hasLeetish = true; // a digit
          continue;
        }
        latin++;
        letters++;
        continue;
      }
      if (c === C.Leet) {
        hasLeetish = true;
        continue;
      }
      if (c === C.Mask || c === C.Dash) masked = true;
      if (cp !== 39) {
        asIs = false;
        lowerCased = false;
      }
      continue;
    }
    if (c === C.Mask || c === C.Dash) masked = true;
    else if (c === C.Leet) hasLeetish = true;
    else if (c === C.Letter) {
      const info = letterInfo(cp);
      const kase = caseOf(cp);
      if (kase === 1) upper++;
      else if (kase === 2) lower++;
      latin += info.latin;
      cyrillic += info.cyrillic;
      other += info.other;
      letters += info.letters;
      if (info.digit) hasLeetish = true;
    }
    // Beyond ASCII nothing reads as itself.
    asIs = false;
    lowerCased = false;
  }
  const script: Script = letters === 0 ? 'none' : latin >= cyrillic && latin >= other ? 'latin' : cyrillic >= other ? 'cyrillic' : 'other';
  const mixed = latin > 0 && (cyrillic > 0 || other > 0);
  const leet = hasLeetish && letters > 0 && script !== 'cyrillic';
  const cyrillicLeet = script === 'cyrillic' && hasLeetish;
  let word = asIs || lowerCased ? text.slice(cellStart[from], cellStart[to]) : buildWord(from, to);
  if (!asIs && lowerCased) word = word.toLowerCase();
  let variants = NO_VARIANTS;
  if (mixed || leet || cyrillicLeet) ({ word, variants } = readings(word, script, mixed, leet));
  return {
    kind: 'word',
    start: cellStart[from],
    end: cellStart[to],
    text: word,
    variants,
    masked,
    trailingMask,
    script,
    upper,
    lower,
    letters,
    sentenceStart,
    capitalized: caseOf(cellCp[from]) === 1 && to - from > 1 && caseOf(cellCp[from + 1]) === 2,
  };
}

/** The word's main form and its other readings: the other script's look-alikes, leetspeak. */
function readings(text: string, script: Script, mixed: boolean, leet: boolean): { word: string; variants: string[] } {
  let word = text;
  const variants: string[] = [];
  const add = (v: string) => {
    if (v !== word && !variants.includes(v)) variants.push(v);
  };
  // Mixed-script words are the homoglyph trick; read them both ways, majority first.
  if (mixed) {
    const toLatin = foldScript(word, TO_LATIN);
    const toCyr = foldScript(word, TO_CYRILLIC);
    if (script === 'cyrillic') {
      word = toCyr;
      add(toLatin);
    } else {
      word = toLatin;
      add(toCyr);
    }
  } else if (script === 'cyrillic') {
    add(foldScript(word, TO_CYRILLIC)); // пи3да
  }
  if (leet) {
    const base = [word, ...variants];
    for (const b of base) {
      add(mapLeet(b, false));
      add(mapLeet(b, true));
    }
  }
  return { word, variants };
}

function isSentenceEnd(cp: number): boolean {
  return cp === 46 || cp === 33 || cp === 63 || cp === 59 || cp === 58 || cp === 0x2026 || cp === 10 || cp === 13; // . ! ? ; : … \n \r
}

function hasAsciiDigit(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** Where the last word plainWord returned ends (a cell index): a number, not an object per word. */
let plainEnd = 0;

/**
 * Most words are letters of one alphabet only, followed by a space or punctuation: ASCII
 * letters, or the basic Cyrillic ones (А-я without Й and й, which fold to И). Each of those folds
 * to its own lower case alone, so for such words wordEnd and finishWord come to this one loop.
 * The token for the word starting at cell i if it is one such (its end in plainEnd), else null,
 * and the general path reads it.
 */
function plainWord(text: string, i: number, n: number, sentenceStart: boolean): Token | null {
  let upper = 0;
  let j = i;
  const cyrillic = cellCp[i] >= 0x410;
  if (!cyrillic) {
    for (; j < n; j++) {
      const cp = cellCp[j];
      if (cp >= 97 && cp <= 122) continue;
      if (cp >= 65 && cp <= 90) upper++;
      else break;
    }
  } else {
    for (; j < n; j++) {
      const cp = cellCp[j];
      if (cp >= 0x430 && cp <= 0x44f && cp !== 0x439) continue;
      if (cp >= 0x410 && cp <= 0x42f && cp !== 0x419) upper++;
      else break;
    }
  }
  // What follows must end the word for wordEnd too: the end of the stretch, or a character of
  // no use inside a word. Anything else (a digit, an apostrophe, a mask, a dash, a letter of
  // another alphabet...) is read whole by the general path.
  if (j === i || (j < n && cellClass[j] !== C.Other)) return null;
  plainEnd = j;
  const slice = text.slice(cellStart[i], cellStart[j]);
  const letters = j - i;
  return {
    kind: 'word',
    start: cellStart[i],
    end: cellStart[j],
    text: upper === 0 ? slice : slice.toLowerCase(),
    variants: NO_VARIANTS,
    masked: false,
    trailingMask: false,
    script: cyrillic ? 'cyrillic' : 'latin',
    upper,
    lower: letters - upper,
    letters,
    sentenceStart,
    capitalized: letters > 1 && isUpperCase(cellCp[i]) && !isUpperCase(cellCp[i + 1]),
  };
}

/** For the letters plainWord reads: A-Z and А-Я. */
function isUpperCase(cp: number): boolean {
  return (cp >= 65 && cp <= 90) || (cp >= 0x410 && cp <= 0x42f);
}

/** Word tokens of one stretch of plain text (no URLs or mentions in it). */
function words(text: string, from: number, to: number, out: Token[], sentenceStartIn: boolean): boolean {
  const n = fillCells(text, from, to);
  let sentenceStart = sentenceStartIn;
  let i = 0;
  while (i < n) {
    const c = cellClass[i] as C;
    const startsWord = c === C.Letter || (c === C.Leet && (nextVisible[i + 1] === C.Letter || nextVisible[i + 1] === C.Leet));
    if (!startsWord) {
      if (c === C.Other && isSentenceEnd(cellCp[i])) sentenceStart = true;
      if (c === C.Leet && cellCp[i] === 33) sentenceStart = true; // "!"
      i++;
      continue;
    }
    const plain = plainWord(text, i, n, sentenceStart);
    if (plain !== null) {
      out.push(plain);
      sentenceStart = false;
      i = plainEnd;
      continue;
    }
    const found = wordEnd(i, n);
    const end = found >> 1;
    const tok = finishWord(text, i, end, (found & 1) === 1, sentenceStart);
    // Numbers stay: phrase rules read them ("earn 500 a day"); stray symbols don't.
    if (tok.letters > 0 || hasAsciiDigit(tok.text)) out.push(tok);
    sentenceStart = false;
    i = end;
  }
  return sentenceStart;
}

/** Whether the run of "!" starting at cell j goes on into the word ("f!!ck"), not just ends it. */
function lettersAfterBangs(j: number, n: number): boolean {
  let k = j;
  while (k < n && cellCp[k] === 33) k++;
  return k < n && (cellClass[k] === C.Letter || cellClass[k] === C.Mask || (cellClass[k] === C.Leet && cellCp[k] !== 124));
}

/**
 * Where the word starting at cell i ends, times two, plus one if a dash cut it off (bulls—):
 * a number rather than an object, as this runs for every word.
 */
function wordEnd(i: number, n: number): number {
  let j = i + 1;
  let hasLetter = cellClass[i] === C.Letter;
  while (j < n) {
    const cj = cellClass[j] as C;
    const nv = nextVisible[j + 1];
    if (cj === C.Letter) {
      hasLetter = true;
      j++;
    } else if (cj === C.Invisible) {
      if (nv === C.Letter || nv === C.Leet || nv === C.Mask) j++;
      else break;
    } else if (cj === C.Leet) {
      // "sh!t" and "a$$" are words; "wow!" and "him!!!" are a word and exclamation marks.
      const cp = cellCp[j];
      if (cp === 33 && nv === C.Leet && !lettersAfterBangs(j, n)) break;
      if (nv === C.Letter || nv === C.Leet || nv === C.Mask) j++;
      else if (hasLetter && cp !== 33 && cp !== 124) j++; // not "!" or "|"
      else break;
    } else if (cj === C.Mask) {
      if (hasLetter || nv === C.Letter) j++;
      else break;
    } else if (cj === C.Apostrophe) {
      if (nv === C.Letter) j++;
      else break;
    } else if (cj === C.Dash) {
      let k = j;
      while (k < n && cellClass[k] === C.Dash) k++;
      const run = k - j;
      const after = k < n ? (cellClass[k] as C) : null;
      const hyphen = cellCp[j] === 45; // "-"
      if (after === C.Letter) {
        // f--k and f—k hide letters; a single hyphen joins two words (well-known).
        let lettersAfter = 0;
        for (let m = k; m < n && cellClass[m] === C.Letter; m++) lettersAfter++;
        const lettersBefore = j - i;
        const isMask = run >= 2 || (!hyphen && (lettersBefore <= 2 || lettersAfter <= 2));
        if (isMask) j = k;
        else break;
      } else if (hasLetter && (after === null || after === C.Other) && (!hyphen || run >= 2)) {
        // "bulls—" : a word cut off by a dash, the rest left to the reader.
        return k * 2 + 1;
      } else break;
    } else break;
  }
  return j * 2;
}

/**
 * Where a link ends without the punctuation after it: /[.,;:!?)\]]+$/, read from the end, as
 * the expression itself would try every comma of ",,,,…x" and rescan the rest from each.
 */
function trimmedEnd(s: string): number {
  let end = s.length;
  while (end > 0) {
    const c = s.charCodeAt(end - 1);
    // . , ; : ! ? ) ]
    if (c === 46 || c === 44 || c === 59 || c === 58 || c === 33 || c === 63 || c === 41 || c === 93) end--;
    else break;
  }
  return end;
}

/** Splits a comment into tokens: URLs, e-mail addresses, @mentions and #tags whole, words folded. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let last = 0;
  let sentenceStart = true;
  const specials = new SpecialScan(text);
  let from = 0;
  for (let m = specials.next(0); m !== null; m = specials.next(from)) {
    const raw = m.text.slice(0, trimmedEnd(m.text)); // a link at the end of a sentence
    const end = m.index + raw.length;
    const first = raw[0];
    const bare = first !== '@' && first !== '#' && !raw.includes('@') && !/^(?:https?:|www\.)/i.test(raw);
    if (bare && !isDomain(raw)) {
      // "e.g" or "end.The": not a link; its words are tokenised with the rest of the text.
      from = m.index + m.text.length;
      continue;
    }
    // "@ss" is a word in disguise, not a mention: too short for a user name worth skipping.
    if (raw[0] === '@' && raw.length <= 4) {
      from = end;
      continue;
    }
    sentenceStart = words(text, last, m.index, out, sentenceStart);
    out.push({
      kind: specialKind(raw),
      start: m.index,
      end,
      text: raw.toLowerCase(),
      variants: NO_VARIANTS,
      masked: false,
      trailingMask: false,
      script: 'none',
      upper: 0,
      lower: 0,
      letters: 0,
      sentenceStart,
      capitalized: false,
    });
    sentenceStart = false;
    last = end;
    from = end;
  }
  words(text, last, text.length, out, sentenceStart);
  return out;
}
