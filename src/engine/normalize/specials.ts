/**
 * The scan for links, e-mail addresses, @mentions and #tags. It finds exactly what one regular
 * expression, the branches below joined by "|" in this order, would find scanning forward from a
 * position (leftmost match; at the same position, the earlier branch). But instead of trying the
 * branches at every character, which on a busy server cost more than all of word splitting, each
 * branch is tried only where a match of it can start: at "@", at "#", before "://", at the start
 * of the run of letters before an "@" or a ".".
 */

/** Branch sources, in the order of the alternation they stand for. */
const LINK = String.raw`(?:https?:\/\/|www\.)[^\s<>"']+`;
const EMAIL = String.raw`(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+`;
const MENTION = String.raw`(?<![\p{L}\p{N}_@])@[\p{L}\p{N}_]{2,}`;
const TAG = String.raw`(?<![\p{L}\p{N}_&#])#[\p{L}\p{N}_]+`;
const DOMAIN = String.raw`(?<![a-z0-9.-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)+(?:\/[^\s<>"']*)?`;

/** Sticky, with the flags of the joined expression (i: [a-z] is also ſ and K, the Kelvin sign). */
const sticky = (source: string) => new RegExp(source, 'iuy');
const LINK_RE = sticky(LINK);
const EMAIL_RE = sticky(EMAIL);
const MENTION_RE = sticky(MENTION);
const TAG_RE = sticky(TAG);
const DOMAIN_RE = sticky(DOMAIN);

/** The branches as they run on comment text, for the proof that none backtracks super-linearly. */
export const SPECIAL_PATTERNS: readonly RegExp[] = [LINK_RE, EMAIL_RE, MENTION_RE, TAG_RE, DOMAIN_RE];

/** What exec() of the joined expression would give: where the match starts and its text. */
export interface SpecialMatch {
  index: number;
  text: string;
}

interface Branch {
  re: RegExp;
  /** Every position where a match of the branch may start, increasing. */
  starts: number[];
  /** Next of `starts` to try. */
  next: number;
  /** The leftmost match at or after the last position asked for, once known. */
  found: { index: number; end: number } | null | undefined;
}

/**
 * Matches from left to right. The text decides which branches are in (as the joined expression
 * was built from them): a branch left out never matches, even where its expression would.
 */
export class SpecialScan {
  private readonly branches: Branch[] = [];

  constructor(private readonly text: string) {
    const at = text.includes('@');
    const link = text.includes('://') || /www\./i.test(text);
    const add = (re: RegExp, starts: number[]) => this.branches.push({ re, starts, next: 0, found: undefined });
    if (link) add(LINK_RE, linkStarts(text));
    if (at && mayHoldEmail(text)) add(EMAIL_RE, runStarts(text, '@', isEmailChar));
    if (at) add(MENTION_RE, positions(text, '@'));
    if (text.includes('#')) add(TAG_RE, positions(text, '#'));
    if (hasDottedWord(text)) add(DOMAIN_RE, runStarts(text, '.', isDomainChar));
  }

  /** The leftmost match starting at or after `from`, or null. */
  next(from: number): SpecialMatch | null {
    let best: Branch | null = null;
    for (const b of this.branches) {
      const found = this.advance(b, from);
      // Strictly less: at the same position the earlier branch wins.
      if (found && (!best || found.index < best.found!.index)) best = b;
    }
    if (!best) return null;
    const { index, end } = best.found!;
    return { index, text: this.text.slice(index, end) };
  }

  private advance(b: Branch, from: number): { index: number; end: number } | null {
    // A match found from an earlier position is still the leftmost if it starts at or after `from`.
    if (b.found !== undefined && (b.found === null || b.found.index >= from)) return b.found;
    while (b.next < b.starts.length && b.starts[b.next] < from) b.next++;
    for (; b.next < b.starts.length; b.next++) {
      const at = b.starts[b.next];
      b.re.lastIndex = at;
      if (b.re.test(this.text)) return (b.found = { index: at, end: b.re.lastIndex });
    }
    return (b.found = null);
  }
}

function positions(text: string, ch: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(ch); i !== -1; i = text.indexOf(ch, i + 1)) out.push(i);
  return out;
}

/** "http://", "https://" (or "httpſ://") end in "://"; "www." is w's then a dot. */
function linkStarts(text: string): number[] {
  const out: number[] = [];
  for (const q of positions(text, '://')) {
    if (q >= 5) out.push(q - 5);
    if (q >= 4) out.push(q - 4);
  }
  for (const q of positions(text, '.')) {
    if (q >= 3 && isW(text.charCodeAt(q - 1)) && isW(text.charCodeAt(q - 2)) && isW(text.charCodeAt(q - 3))) out.push(q - 3);
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

function isW(c: number): boolean {
  return c === 119 || c === 87;
}

/**
 * Where the run of `member` characters that ends just before each `mark` starts. A match of the
 * e-mail branch (the domain branch) begins with such a run before its "@" (its first "."), and
 * its look-behind makes it begin where the run does.
 */
function runStarts(text: string, mark: string, member: (cp: number) => boolean): number[] {
  const out: number[] = [];
  // When the mark is itself a member (a dot in a domain), a run can reach back past the mark
  // before it, and then starts where that one's did: walking on would cost the run's length per
  // mark, quadratic in "a.a.a.a…".
  const markInRun = member(mark.codePointAt(0)!);
  let prevMark = -1;
  let prevStart = -1;
  for (const q of positions(text, mark)) {
    let p = q;
    while (p > 0) {
      if (markInRun && p - 1 === prevMark) {
        p = prevStart;
        break;
      }
      const low = text.charCodeAt(p - 1);
      const pair = p >= 2 && low >= 0xdc00 && low <= 0xdfff && isHigh(text.charCodeAt(p - 2));
      const cp = pair ? text.codePointAt(p - 2)! : low;
      if (!member(cp)) break;
      p -= pair ? 2 : 1;
    }
    prevMark = q;
    prevStart = p;
    // The domain run takes in its dots, so several dots can share a start.
    if (p < q && out[out.length - 1] !== p) out.push(p);
  }
  return out;
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** Membership in a branch's character class, per code point, from the class itself (cached). */
function classTest(source: string): (cp: number) => boolean {
  const re = new RegExp(`^${source}$`, 'iu');
  const bmp = new Uint8Array(0x10000); // 0 unknown, 1 no, 2 yes
  return (cp) => {
    if (cp > 0xffff) return re.test(String.fromCodePoint(cp));
    if (bmp[cp] === 0) bmp[cp] = re.test(String.fromCharCode(cp)) ? 2 : 1;
    return bmp[cp] === 2;
  };
}

const isEmailChar = classTest(String.raw`[\p{L}\p{N}._%+-]`);
const isDomainChar = classTest('[a-z0-9.-]');

/**
 * Whether some "@" has a character before it that can end an address's local part, and after it
 * a host with a dot. Without one the e-mail branch stays out, as it did from the joined expression.
 */
function mayHoldEmail(text: string): boolean {
  for (let q = text.indexOf('@'); q !== -1; q = text.indexOf('@', q + 1)) {
    if (q === 0) continue;
    const before = text.charCodeAt(q - 1);
    // . _ % + -
    const local = mayBeLetter(before) || before === 46 || before === 95 || before === 37 || before === 43 || before === 45;
    if (local && hostFollows(text, q + 1)) return true;
  }
  return false;
}

/** A host as the e-mail branch wants it at text[i]: host characters, a dot, a host character. */
function hostFollows(text: string, i: number): boolean {
  let j = i;
  while (j < text.length && mayBeHostChar(text.charCodeAt(j))) j++;
  return j > i && text.charCodeAt(j) === 46 && j + 1 < text.length && mayBeHostChar(text.charCodeAt(j + 1));
}

/** Anything beyond ASCII might be a letter or digit (\p{L}, \p{N}); the regex decides. */
function mayBeLetter(c: number): boolean {
  return c >= 128 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function mayBeHostChar(c: number): boolean {
  return mayBeLetter(c) || c === 45; // -
}

/**
 * /[a-z0-9]\.[a-z0-9]/i: a dot between two ASCII letters or digits ("end.The" too). The domain
 * branch is in only then, as before, although it could also match "a-.b" or "ſ.com".
 */
function hasDottedWord(text: string): boolean {
  for (let q = text.indexOf('.'); q !== -1; q = text.indexOf('.', q + 1)) {
    if (q > 0 && q + 1 < text.length && isAsciiAlnum(text.charCodeAt(q - 1)) && isAsciiAlnum(text.charCodeAt(q + 1))) return true;
  }
  return false;
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
