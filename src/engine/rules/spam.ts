import type { Finding, WordMemo } from '../analyze';
import type { Token } from '../normalize/tokenize';
import { lexiconFindings, type Rule } from './rule';

/** Sticky: tried only where a number can start (phoneNumbers). */
const PHONE = /(?<![\p{N}\p{L}])\+?\d[\d ().-]{7,}\d(?![\p{N}\p{L}])/uy;

/**
 * Ads, scams, link farms, contact details posted to sell, and the same text again and again.
 * Repetition across comments needs the store's memory, so the caller passes `context.repeats`.
 */
export const spam: Rule = {
  category: 'spam',
  run(input) {
    const { analysis, policy, context } = input;
    const findings: Finding[] = lexiconFindings(input, 'spam');
    const links = analysis.tokens.filter((t) => t.kind === 'url' || t.kind === 'email');
    if (links.length > policy.doc.spam.maxLinks) {
      for (const l of links) findings.push({ category: 'spam', severity: 'high', start: l.start, end: l.end, rule: 'spam/link-farm' });
    }
    // A phone number or address is only spam next to a sales pitch; alone it may be a source.
    if (findings.length > 0) {
      for (const [start, end] of phoneNumbers(analysis.text)) {
        findings.push({ category: 'spam', severity: 'high', start, end, rule: 'spam/contact' });
      }
      for (const l of links) {
        if (!findings.some((f) => f.start === l.start)) {
          findings.push({ category: 'spam', severity: 'medium', start: l.start, end: l.end, rule: 'spam/promoted-link' });
        }
      }
    }
    if (repeatedRun(analysis.tokens, analysis.words)) {
      findings.push({ category: 'spam', severity: 'medium', start: 0, end: analysis.text.length, rule: 'spam/repetitive' });
    }
    if ((context.repeats ?? 0) >= policy.doc.spam.repeatThreshold) {
      findings.push({ category: 'spam', severity: 'high', start: 0, end: analysis.text.length, rule: 'spam/reposted' });
    }
    return findings;
  },
};

/**
 * Spans of PHONE's matches with nine digits or more, as a global scan would find them: left to
 * right, each search going on from the last match's end. A match starts with "+" or a digit
 * that no letter or digit precedes, so only those places are tried.
 */
function phoneNumbers(text: string): [number, number][] {
  const out: [number, number][] = [];
  if (!hasPhoneDigits(text)) return out;
  for (let p = 0; p < text.length; p++) {
    const c = text.charCodeAt(p);
    if (c !== 43 && !isDigit(c)) continue; // +
    if (p > 0 && isAsciiAlnum(text.charCodeAt(p - 1))) continue; // the look-behind would fail
    PHONE.lastIndex = p;
    if (!PHONE.test(text)) continue;
    const end = PHONE.lastIndex;
    if (digits(text, p, end) >= 9) out.push([p, end]);
    p = end - 1;
  }
  return out;
}

/** A contact finding needs nine digits (\d is ASCII-only); without them the scan is skipped. */
function hasPhoneDigits(s: string): boolean {
  return digits(s, 0, s.length) >= 9;
}

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (isDigit(s.charCodeAt(i))) n++;
  return n;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAsciiAlnum(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

// Scratch for repeatedRun, reused from comment to comment (rules run one at a time): per word,
// its token's index and its fingerprint. Numbers, not the words themselves: storing a comment's
// new strings into a long-lived array costs a write barrier each, and clearing it afterwards.
let at = new Int32Array(256);
let prints = new Int32Array(256);

/** A number from the length and two letters: most pairs of different words differ in it. */
function fingerprint(w: string): number {
  return w.length * 0x40000 + (w.charCodeAt(0) & 0x1ff) * 0x200 + (w.charCodeAt(w.length - 1) & 0x1ff);
}

/** The same three words four or more times, making up most of the comment: a flood, not prose. */
function repeatedRun(tokens: readonly Token[], memos: readonly (WordMemo | undefined)[]): boolean {
  let n = 0;
  for (const t of tokens) if (t.kind === 'word') n++;
  if (n < 12) return false;
  if (prints.length < n) {
    prints = new Int32Array(n * 2);
    at = new Int32Array(n * 2);
  }
  let k = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'word') continue;
    // Remembered in the word's memo record: reading every word's letters again cost more than
    // the rest of the check.
    const memo = memos[i];
    let print: number;
    if (memo === undefined) print = fingerprint(t.text);
    else if (memo.print === 0) print = memo.print = fingerprint(t.text);
    else print = memo.print;
    prints[k] = print;
    at[k++] = i;
  }
  return closeRepeat(tokens, memos, at, prints, n) && countRepeats(tokens, at, n);
}

/** Over the first n words, tokens[at[0]], tokens[at[1]], ... */
function countRepeats(tokens: readonly Token[], at: Int32Array, total: number): boolean {
  const counts = new Map<string, number>();
  let max = 0;
  for (let i = 0; i + 2 < total; i++) {
    const key = `${tokens[at[i]].text} ${tokens[at[i + 1]].text} ${tokens[at[i + 2]].text}`;
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    if (n > max) max = n;
  }
  return max >= 4 && (max * 3) / total >= 0.5;
}

/**
 * A cheap necessary condition for repeatedRun: a three-word sequence that occurs c times among
 * n words has two occurrences at most (n - 3) / (c - 1) words apart, and c must reach
 * max(4, n / 6). So some sequence recurs within a few words, or there is no flood. Per
 * distance, three equal pairs in a row are that recurrence.
 */
function closeRepeat(tokens: readonly Token[], memos: readonly (WordMemo | undefined)[], at: Int32Array, prints: Int32Array, n: number): boolean {
  const minCount = Math.max(4, Math.ceil(n / 6));
  const maxGap = Math.floor((n - 3) / (minCount - 1));
  for (let d = 1; d <= maxGap; d++) {
    let streak = 0;
    for (let i = 0; i + d < n; i++) {
      if (prints[i] === prints[i + d] && sameWord(tokens, memos, at[i], at[i + d])) {
        if (++streak === 3) return true;
      } else streak = 0;
    }
  }
  return false;
}

/**
 * Whether tokens a and b have the same text. Equal fingerprints are mostly the same word again
 * (the, a, to), and then the two tokens usually share their memo record, which is keyed by the
 * text: comparing the records is one load each, where comparing the texts read both strings.
 * Different records may still be one text (the memo was cleared between them), so that falls
 * back to the texts.
 */
function sameWord(tokens: readonly Token[], memos: readonly (WordMemo | undefined)[], a: number, b: number): boolean {
  const m = memos[a];
  if (m !== undefined && m === memos[b]) return true;
  return tokens[a].text === tokens[b].text;
}
