import {
  APOSTROPHES, DASHES, LEET, LEET_ALT, LEET_SYMBOLS, MASK_SYMBOLS, SENTENCE_END, TO_CYRILLIC, TO_LATIN,
  isInvisible,
} from './chars';
import { foldCodePoint, type Script, scriptOf } from './fold';

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

// Links, addresses, mentions and tags are found by one scan; each branch starts with what
// makes it cheap to rule out (a scheme, an "@", a "#", or a dot between two labels), because
// this runs over every character of every comment.
const SPECIAL_BRANCHES = {
  link: String.raw`(?:https?:\/\/|www\.)[^\s<>"']+`,
  email: String.raw`(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+`,
  mention: String.raw`(?<![\p{L}\p{N}_@])@[\p{L}\p{N}_]{2,}`,
  tag: String.raw`(?<![\p{L}\p{N}_&#])#[\p{L}\p{N}_]+`,
  domain: String.raw`(?<![a-z0-9.-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)+(?:\/[^\s<>"']*)?`,
};

const specialCache = new Map<number, RegExp | null>();

/**
 * The scan for links, addresses, mentions and tags runs over every character of every comment,
 * so it only includes the branches the text can match: no "@", no e-mail branch.
 */
function specialRegex(text: string): RegExp | null {
  const at = text.includes('@');
  const link = text.includes('://') || /www\./i.test(text);
  const domain = /[a-z0-9]\.[a-z0-9]/i.test(text);
  const tag = text.includes('#');
  const key = (at ? 1 : 0) | (link ? 2 : 0) | (domain ? 4 : 0) | (tag ? 8 : 0);
  let re = specialCache.get(key);
  if (re === undefined) {
    const branches: string[] = [];
    if (link) branches.push(SPECIAL_BRANCHES.link);
    if (at) branches.push(SPECIAL_BRANCHES.email, SPECIAL_BRANCHES.mention);
    if (tag) branches.push(SPECIAL_BRANCHES.tag);
    if (domain) branches.push(SPECIAL_BRANCHES.domain);
    re = branches.length ? new RegExp(branches.join('|'), 'giu') : null;
    specialCache.set(key, re);
  }
  return re;
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

const enum C {
  Letter, // letters, marks, digits
  Invisible,
  Leet,
  Mask,
  Dash,
  Apostrophe,
  Other,
}

const LETTER_RE = /[\p{L}\p{M}\p{N}]/u;

// Most comments are mostly ASCII: classify those code points with a table, not a regex.
const ASCII_CLASS = new Uint8Array(128).map((_, cp) => {
  const ch = String.fromCharCode(cp);
  if ((cp >= 97 && cp <= 122) || (cp >= 65 && cp <= 90) || (cp >= 48 && cp <= 57)) return C.Letter;
  if (LEET_SYMBOLS.has(ch)) return C.Leet;
  if (MASK_SYMBOLS.has(ch)) return C.Mask;
  if (DASHES.has(ch)) return C.Dash;
  if (APOSTROPHES.has(ch)) return C.Apostrophe;
  return C.Other;
});

function classOf(cp: number, ch: string): C {
  if (cp < 128) return ASCII_CLASS[cp] as C;
  if (isInvisible(cp)) return C.Invisible;
  if (LEET_SYMBOLS.has(ch)) return C.Leet;
  if (MASK_SYMBOLS.has(ch)) return C.Mask;
  if (DASHES.has(ch)) return C.Dash;
  if (APOSTROPHES.has(ch)) return C.Apostrophe;
  if (LETTER_RE.test(ch)) return C.Letter;
  return C.Other;
}

interface Cell {
  c: C;
  ch: string;
  start: number;
  end: number;
}

/** Splits text into cells (code points) with their classes; cheap enough to do once. */
function cells(text: string, from: number, to: number): Cell[] {
  const out: Cell[] = [];
  for (let i = from; i < to; ) {
    const cp = text.codePointAt(i)!;
    const len = cp > 0xffff ? 2 : 1;
    const ch = len === 1 ? text[i] : text.slice(i, i + 2);
    out.push({ c: classOf(cp, ch), ch, start: i, end: i + len });
    i += len;
  }
  return out;
}

/** The class of the next visible cell at or after j (invisibles are transparent). */
function nextVisible(cs: Cell[], j: number): C | null {
  for (; j < cs.length; j++) if (cs[j].c !== C.Invisible) return cs[j].c;
  return null;
}

function caseOf(ch: string): 0 | 1 | 2 {
  const c = ch.charCodeAt(0);
  if (c < 128) return c >= 65 && c <= 90 ? 1 : c >= 97 && c <= 122 ? 2 : 0;
  const lo = ch.toLowerCase();
  const up = ch.toUpperCase();
  if (lo === up) return 0;
  return ch === up ? 1 : 2;
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

function finishWord(cs: Cell[], from: number, to: number, trailingMask: boolean, sentenceStart: boolean): Token {
  let text = '';
  let upper = 0;
  let lower = 0;
  let letters = 0;
  let latin = 0;
  let cyrillic = 0;
  let other = 0;
  let masked = trailingMask;
  let hasLeetish = false;
  for (let k = from; k < to; k++) {
    const cell = cs[k];
    switch (cell.c) {
      case C.Invisible:
        break;
      case C.Apostrophe:
        text += "'";
        break;
      case C.Mask:
        text += '*'; // exactly one hidden letter
        masked = true;
        break;
      case C.Dash:
        text += '~'; // one or more hidden letters: f—k, bulls—
        masked = true;
        break;
      case C.Leet:
        text += cell.ch;
        hasLeetish = true;
        break;
      default: {
        const cp = cell.ch.charCodeAt(0);
        if (cp < 128) {
          // ASCII letters and digits: no tables, no allocation.
          if (cp >= 65 && cp <= 90) {
            text += String.fromCharCode(cp + 32);
            upper++;
            latin++;
            letters++;
          } else if (cp >= 97 && cp <= 122) {
            text += cell.ch;
            lower++;
            latin++;
            letters++;
          } else {
            text += cell.ch;
            hasLeetish = true;
          }
          break;
        }
        const folded = foldCodePoint(cell.ch.codePointAt(0)!);
        text += folded;
        const kase = caseOf(cell.ch);
        if (kase === 1) upper++;
        else if (kase === 2) lower++;
        for (const f of folded) {
          const s = scriptOf(f);
          if (s === 'latin') latin++;
          else if (s === 'cyrillic') cyrillic++;
          else if (s === 'other') other++;
          else if (f >= '0' && f <= '9') hasLeetish = true;
          if (s !== 'none') letters++;
        }
      }
    }
  }
  const script: Script = letters === 0 ? 'none' : latin >= cyrillic && latin >= other ? 'latin' : cyrillic >= other ? 'cyrillic' : 'other';
  const variants: string[] = [];
  const add = (v: string) => {
    if (v !== text && !variants.includes(v)) variants.push(v);
  };
  // Mixed-script words are the homoglyph trick; read them both ways, majority first.
  if (latin > 0 && (cyrillic > 0 || other > 0)) {
    const toLatin = foldScript(text, TO_LATIN);
    const toCyr = foldScript(text, TO_CYRILLIC);
    if (script === 'cyrillic') {
      text = toCyr;
      add(toLatin);
    } else {
      text = toLatin;
      add(toCyr);
    }
  } else if (script === 'cyrillic' && hasLeetish) {
    add(foldScript(text, TO_CYRILLIC)); // пи3да
  } else if (script === 'latin' && cyrillic === 0 && other > 0) {
    add(foldScript(text, TO_LATIN));
  }
  if (hasLeetish && letters > 0 && script !== 'cyrillic') {
    const base = [text, ...variants];
    for (const b of base) {
      add(mapLeet(b, false));
      add(mapLeet(b, true));
    }
  }
  const first = cs[from].ch;
  const second = to - from > 1 ? cs[from + 1].ch : '';
  return {
    kind: 'word',
    start: cs[from].start,
    end: cs[to - 1].end,
    text,
    variants,
    masked,
    trailingMask,
    script,
    upper,
    lower,
    letters,
    sentenceStart,
    capitalized: caseOf(first) === 1 && second !== '' && caseOf(second) === 2,
  };
}

/** Word tokens of one stretch of plain text (no URLs or mentions in it). */
function words(text: string, from: number, to: number, out: Token[], sentenceStartIn: boolean): boolean {
  const cs = cells(text, from, to);
  let sentenceStart = sentenceStartIn;
  let i = 0;
  while (i < cs.length) {
    const c = cs[i].c;
    const startsWord =
      c === C.Letter || (c === C.Leet && (nextVisible(cs, i + 1) === C.Letter || nextVisible(cs, i + 1) === C.Leet));
    if (!startsWord) {
      if (c === C.Other && SENTENCE_END.test(cs[i].ch)) sentenceStart = true;
      if (c === C.Leet && (cs[i].ch === '!' )) sentenceStart = true;
      i++;
      continue;
    }
    let j = i + 1;
    let hasLetter = c === C.Letter;
    let trailingMask = false;
    while (j < cs.length) {
      const cj = cs[j].c;
      const nv = nextVisible(cs, j + 1);
      if (cj === C.Letter) {
        hasLetter = true;
        j++;
      } else if (cj === C.Invisible) {
        if (nv === C.Letter || nv === C.Leet || nv === C.Mask) j++;
        else break;
      } else if (cj === C.Leet) {
        // "sh!t" and "a$$" are words; "wow!" is a word and an exclamation mark.
        const ch = cs[j].ch;
        if (nv === C.Letter || nv === C.Leet || nv === C.Mask) j++;
        else if (hasLetter && ch !== '!' && ch !== '|') j++;
        else break;
      } else if (cj === C.Mask) {
        if (hasLetter || nv === C.Letter) j++;
        else break;
      } else if (cj === C.Apostrophe) {
        if (nv === C.Letter) j++;
        else break;
      } else if (cj === C.Dash) {
        let k = j;
        while (k < cs.length && cs[k].c === C.Dash) k++;
        const run = k - j;
        const after = k < cs.length ? cs[k].c : null;
        if (after === C.Letter) {
          // f--k and f—k hide letters; a single hyphen joins two words (well-known).
          let lettersAfter = 0;
          for (let m = k; m < cs.length && cs[m].c === C.Letter; m++) lettersAfter++;
          const lettersBefore = j - i;
          const isMask = run >= 2 || (cs[j].ch !== '-' && (lettersBefore <= 2 || lettersAfter <= 2));
          if (isMask) j = k;
          else break;
        } else if (hasLetter && (after === null || after === C.Other) && cs[j].ch !== '-' || (hasLetter && run >= 2 && (after === null || after === C.Other))) {
          // "bulls—" : a word cut off by a dash, the rest left to the reader.
          trailingMask = true;
          j = k;
          break;
        } else break;
      } else break;
    }
    const tok = finishWord(cs, i, j, trailingMask, sentenceStart);
    // Numbers stay: phrase rules read them ("earn 500 a day"); stray symbols don't.
    if (tok.letters > 0 || /\d/.test(tok.text)) out.push(tok);
    sentenceStart = false;
    i = j;
  }
  return sentenceStart;
}

/** Splits a comment into tokens: URLs, e-mail addresses, @mentions and #tags whole, words folded. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let last = 0;
  let sentenceStart = true;
  const SPECIAL = specialRegex(text);
  if (SPECIAL) SPECIAL.lastIndex = 0;
  for (let m = SPECIAL?.exec(text) ?? null; m !== null; m = SPECIAL!.exec(text)) {
    const raw = m[0].replace(/[.,;:!?)\]]+$/, ''); // a link at the end of a sentence
    const end = m.index + raw.length;
    const first = raw[0];
    const bare = first !== '@' && first !== '#' && !raw.includes('@') && !/^(?:https?:|www\.)/i.test(raw);
    if (bare && !isDomain(raw)) {
      // "e.g" or "end.The": not a link; its words are tokenised with the rest of the text.
      SPECIAL!.lastIndex = m.index + m[0].length;
      continue;
    }
    // "@ss" is a word in disguise, not a mention: too short for a user name worth skipping.
    if (raw[0] === '@' && raw.length <= 4) {
      SPECIAL!.lastIndex = end;
      continue;
    }
    sentenceStart = words(text, last, m.index, out, sentenceStart);
    out.push({
      kind: specialKind(raw),
      start: m.index,
      end,
      text: raw.toLowerCase(),
      variants: [],
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
    SPECIAL!.lastIndex = end;
  }
  words(text, last, text.length, out, sentenceStart);
  return out;
}
