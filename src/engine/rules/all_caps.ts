import type { Finding, WordMemo } from '../analyze';
import type { Token } from '../normalize/tokenize';
import type { Rule } from './rule';

const NUMBER = /\p{N}/u;

// \p{N} per code point, cached: a regex call per token costs more than the rest of the rule.
const BMP_NUMBER = new Uint8Array(0x10000); // 0 unknown, 1 no, 2 yes

function isNumber(cp: number): boolean {
  if (cp < 128) return cp >= 48 && cp <= 57;
  if (cp > 0xffff) return NUMBER.test(String.fromCodePoint(cp));
  if (BMP_NUMBER[cp] === 0) BMP_NUMBER[cp] = NUMBER.test(String.fromCharCode(cp)) ? 2 : 1;
  return BMP_NUMBER[cp] === 2;
}

/** /\p{N}/u.test(s), by code point. */
function hasNumber(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const unit = s.charCodeAt(i);
    if (unit < 128) {
      if (unit >= 48 && unit <= 57) return true;
      continue;
    }
    const cp = s.codePointAt(i)!;
    if (isNumber(cp)) return true;
    if (cp > 0xffff) i++;
  }
  return false;
}

/**
 * A bit per (length, first character) of the policy's acronyms: one array read rules out
 * almost every word before the set's string hashing.
 */
class AcronymFilter {
  private readonly bits = new Uint8Array(1024);
  constructor(acronyms: ReadonlySet<string>) {
    for (const a of acronyms) if (a.length > 0) this.bits[AcronymFilter.slot(a)] = 1;
  }

  private static slot(s: string): number {
    return (s.charCodeAt(0) * 31 + s.length) & 1023;
  }

  mayHave(s: string): boolean {
    return s.length > 0 && this.bits[AcronymFilter.slot(s)] === 1;
  }
}

/**
 * A single capital, a listed acronym, or a word with a number in it. Whether the text is listed
 * or has a number is remembered in the word's memo record when it has one: asking the set and
 * reading the letters for every cased word of every comment was a tenth of the engine's time.
 */
function isAcronym(t: Token, memo: WordMemo | undefined, acronyms: ReadonlySet<string>, listed: AcronymFilter): boolean {
  if (t.upper + t.lower === 1 && t.upper === 1) return true;
  if (memo === undefined) return (listed.mayHave(t.text) && acronyms.has(t.text)) || hasNumber(t.text);
  if (memo.acronymsOf !== acronyms) {
    memo.acronym = listed.mayHave(t.text) && acronyms.has(t.text);
    memo.acronymsOf = acronyms;
  }
  if (memo.acronym) return true;
  if (memo.numeric === 0) memo.numeric = hasNumber(t.text) ? 2 : 1;
  return memo.numeric === 2;
}

let counted = new Uint8Array(256);

/** Per token, whether it counts; reused from comment to comment (rules run one at a time). */
function countedScratch(n: number): Uint8Array {
  if (counted.length < n) counted = new Uint8Array(n * 2);
  return counted;
}

const filters = new WeakMap<ReadonlySet<string>, AcronymFilter>();

function acronymFilter(acronyms: ReadonlySet<string>): AcronymFilter {
  let f = filters.get(acronyms);
  if (!f) filters.set(acronyms, (f = new AcronymFilter(acronyms)));
  return f;
}

/**
 * Shouting, exactly as docs/POLICY.md defines it: at least `ratio` of the cased letters upper-case over
 * at least `minCasedLetters`, after ignoring URLs, @mentions, #tags and acronyms; or a run of
 * `runWords` consecutive all-caps words of 2+ letters inside an otherwise normal comment.
 * Letters without case (Chinese, Arabic, Hebrew) and emoji count for nothing either way.
 */
export const allCaps: Rule = {
  category: 'all_caps',
  run({ analysis, policy }) {
    const { ratio, minCasedLetters, runWords } = policy.doc.allCaps;
    if (ratio > 0.5 && !analysis.tokens.some((t) => t.kind === 'word' && t.upper >= 2)) {
      // No word has two capitals, so no run; and every counted word with a capital has a
      // lower-case letter too (one capital alone is an acronym), so at most half the cased
      // letters are capitals. Most comments end here, without reading a word's letters.
      return [];
    }
    const { acronyms } = policy;
    const listed = acronymFilter(acronyms);
    // Words that count: not links, mentions or tags, and not acronyms (flags, not a new array).
    const { tokens, words } = analysis;
    const counts = countedScratch(tokens.length);
    let upper = 0;
    let cased = 0;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      // A word without cased letters adds nothing to the ratio and neither extends nor breaks a
      // run, counted or not: no need to ask whether it is an acronym.
      counts[i] = t.kind === 'word' && t.upper + t.lower > 0 && !isAcronym(t, words[i], acronyms, listed) ? 1 : 0;
      if (counts[i] === 0) continue;
      upper += t.upper;
      cased += t.upper + t.lower;
    }
    const findings: Finding[] = [];
    if (cased >= minCasedLetters && upper / cased >= ratio) {
      const shouted = analysis.tokens.filter((t) => t.kind === 'word' && t.upper > 0);
      findings.push({
        category: 'all_caps',
        severity: 'high',
        start: shouted[0].start,
        end: shouted[shouted.length - 1].end,
        rule: 'caps/comment',
      });
      return findings;
    }
    // The current run of all-caps words: its first and last token and its length.
    let first: Token | null = null;
    let last: Token | null = null;
    let length = 0;
    const flush = () => {
      if (length >= runWords && first && last) {
        findings.push({ category: 'all_caps', severity: 'medium', start: first.start, end: last.end, rule: 'caps/run' });
      }
      first = last = null;
      length = 0;
    };
    // Acronyms are neither shouting nor a break: "NATO, USA, G20" is a list.
    for (let i = 0; i < tokens.length; i++) {
      if (counts[i] === 0) continue;
      const t = tokens[i];
      if (t.lower === 0 && t.upper >= 2) {
        first ??= t;
        last = t;
        length++;
      } else if (t.upper + t.lower > 0) flush();
    }
    flush();
    return findings;
  },
};
