import type { Finding } from '../analyze';
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
      for (let m = PHONE.exec(analysis.text); m !== null; m = PHONE.exec(analysis.text)) {
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
    const repeated = repeatedRun(input.analysis.tokens.filter((t) => t.kind === 'word').map((t) => t.text));
    if (repeated) {
      findings.push({ category: 'spam', severity: 'medium', start: 0, end: analysis.text.length, rule: 'spam/repetitive' });
    }
    if ((context.repeats ?? 0) >= policy.doc.spam.repeatThreshold) {
      findings.push({ category: 'spam', severity: 'high', start: 0, end: analysis.text.length, rule: 'spam/reposted' });
    }
    return findings;
  },
};

/** The same three words four or more times, making up most of the comment: a flood, not prose. */
function repeatedRun(words: string[]): boolean {
  if (words.length < 12) return false;
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
