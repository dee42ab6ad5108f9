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
  const words: string[] = [];
  for (const t of tokens) if (t.kind === 'word') words.push(t.text);
  if (words.length < 12 || !closeRepeat(words)) return false;
  const counts = new Map<string, number>();
  let max = 0;
  for (let i = 0; i + 2 < words.length; i++) {
    const key = `${words[i]} ${words[i + 1]} ${words[i + 2]}`;
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    if (n > max) max = n;
  }
  return max >= 4 && (max * 3) / words.length >= 0.5;
}

/**
 * A cheap necessary condition for repeatedRun: a three-word sequence that occurs c times among
 * n words has two occurrences at most (n - 3) / (c - 1) words apart, and c must reach
 * max(4, n / 6). So some sequence recurs within a few words, or there is no flood.
 */
function closeRepeat(words: string[]): boolean {
  const n = words.length;
  const minCount = Math.max(4, Math.ceil(n / 6));
  const maxGap = Math.floor((n - 3) / (minCount - 1));
  for (let i = 0; i + 2 < n; i++) {
    for (let d = 1; d <= maxGap && i + d + 2 < n; d++) {
      if (words[i] === words[i + d] && words[i + 1] === words[i + d + 1] && words[i + 2] === words[i + d + 2]) return true;
    }
  }
  return false;
}
