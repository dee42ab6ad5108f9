import type { Finding } from '../analyze';
import type { Token } from '../normalize/tokenize';
import type { Rule } from './rule';

const HAS_DIGIT = /\p{N}/u;

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
      policy.acronyms.has(t.text) || HAS_DIGIT.test(t.text) || (t.upper + t.lower === 1 && t.upper === 1);
    const words = analysis.tokens.filter((t) => t.kind === 'word');
    let upper = 0;
    let cased = 0;
    for (const t of words) {
      if (isAcronym(t)) continue;
      upper += t.upper;
      cased += t.upper + t.lower;
    }
    const findings: Finding[] = [];
    if (cased >= minCasedLetters && upper / cased >= ratio) {
      const shouted = words.filter((t) => t.upper > 0);
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
    for (const t of words) {
      if (isAcronym(t)) continue; // neither shouting nor a break: "NATO, USA, G20" is a list
      if (t.lower === 0 && t.upper >= 2) run.push(t);
      else if (t.upper + t.lower > 0) flush();
    }
    flush();
    return findings;
  },
};
