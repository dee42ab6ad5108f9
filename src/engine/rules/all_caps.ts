import type { Finding } from '../analyze';
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
    const cp = s.codePointAt(i)!;
    if (isNumber(cp)) return true;
    if (cp > 0xffff) i++;
  }
  return false;
}

/**
 * Shouting, exactly as POLICY.md defines it: at least `ratio` of the cased letters upper-case over
 * at least `minCasedLetters`, after ignoring URLs, @mentions, #tags and acronyms; or a run of
 * `runWords` consecutive all-caps words of 2+ letters inside an otherwise normal comment.
 * Letters without case (Chinese, Arabic, Hebrew) and emoji count for nothing either way.
 */
export const allCaps: Rule = {
  category: 'all_caps',
  run({ analysis, policy }) {
    const { ratio, minCasedLetters, runWords } = policy.doc.allCaps;
    const isAcronym = (t: Token) =>
      (t.upper + t.lower === 1 && t.upper === 1) || policy.acronyms.has(t.text) || hasNumber(t.text);
    // Words that count: not links, mentions or tags, and not acronyms.
    const counted: Token[] = [];
    let upper = 0;
    let cased = 0;
    for (const t of analysis.tokens) {
      if (t.kind !== 'word' || isAcronym(t)) continue;
      counted.push(t);
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
    let run: Token[] = [];
    const flush = () => {
      if (run.length >= runWords) {
        findings.push({
          category: 'all_caps',
          severity: 'medium',
          start: run[0].start,
          end: run[run.length - 1].end,
          rule: 'caps/run',
        });
      }
      run = [];
    };
    // Acronyms are neither shouting nor a break: "NATO, USA, G20" is a list.
    for (const t of counted) {
      if (t.lower === 0 && t.upper >= 2) run.push(t);
      else if (t.upper + t.lower > 0) flush();
    }
    flush();
    return findings;
  },
};
