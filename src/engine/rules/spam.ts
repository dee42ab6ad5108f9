import type { Finding } from '../analyze';
import type { Token } from '../normalize/tokenize';
import { lexiconFindings, type Rule } from './rule';

const PHONE = /(?<![\p{N}\p{L}])\+?\d[\d ().-]{7,}\d(?![\p{N}\p{L}])/gu;

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
      PHONE.lastIndex = 0;
      for (let m = hasPhoneDigits(analysis.text) ? PHONE.exec(analysis.text) : null; m !== null; m = PHONE.exec(analysis.text)) {
        if (m[0].replace(/\D/g, '').length >= 9) {
          findings.push({ category: 'spam', severity: 'high', start: m.index, end: m.index + m[0].length, rule: 'spam/contact' });
        }
      }
      for (const l of links) {
        if (!findings.some((f) => f.start === l.start)) {
          findings.push({ category: 'spam', severity: 'medium', start: l.start, end: l.end, rule: 'spam/promoted-link' });
        }
      }
    }
    if (repeatedRun(analysis.tokens)) {
      findings.push({ category: 'spam', severity: 'medium', start: 0, end: analysis.text.length, rule: 'spam/repetitive' });
    }
    if ((context.repeats ?? 0) >= policy.doc.spam.repeatThreshold) {
      findings.push({ category: 'spam', severity: 'high', start: 0, end: analysis.text.length, rule: 'spam/reposted' });
    }
    return findings;
  },
};

/** A contact finding needs nine digits (\d is ASCII-only); without them the scan is skipped. */
function hasPhoneDigits(s: string): boolean {
  let n = 0;
  for (let i = 0; i < s.length && n < 9; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n >= 9;
}

/** The same three words four or more times, making up most of the comment: a flood, not prose. */
function repeatedRun(tokens: readonly Token[]): boolean {
  // Words as small numbers, so three of them make one number rather than a new string.
  const ids = new Map<string, number>();
  const words: number[] = [];
  const freq: number[] = [];
  let bound = 0;
  for (const t of tokens) {
    if (t.kind !== 'word') continue;
    let id = ids.get(t.text);
    if (id === undefined) {
      ids.set(t.text, (id = ids.size));
      freq.push(0);
    }
    bound = Math.max(bound, ++freq[id]);
    words.push(id);
  }
  if (words.length < 12) return false;
  // A three-word sequence occurs at most as often as its first word: most comments stop here.
  if (bound < 4 || (bound * 3) / words.length < 0.5) return false;
  const n = ids.size;
  // Three ids in one number stay exact below 2^53, that is up to ~208,000 different words.
  const key = n < 200_000 ? (i: number) => (words[i] * n + words[i + 1]) * n + words[i + 2] : (i: number) => `${words[i]} ${words[i + 1]} ${words[i + 2]}`;
  const counts = new Map<number | string, number>();
  let max = 0;
  for (let i = 0; i + 2 < words.length; i++) {
    const k = key(i);
    const c = (counts.get(k) ?? 0) + 1;
    counts.set(k, c);
    if (c > max) max = c;
  }
  return max >= 4 && (max * 3) / words.length >= 0.5;
}
