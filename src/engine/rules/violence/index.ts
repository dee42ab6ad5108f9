import { phraseFindings } from '../../analyze';
import type { Rule } from '../rule';
import { readThreats } from './reader';

/**
 * Threats, calls to harm, wishes for harm. Words alone (kill, bomb, strike) never fire. The
 * clause reader (reader.ts) wants an intent, a harm and a person in one sentence, so "the
 * strike killed dozens" and "Russia must stop bombing Kyiv" stay on topic; the lexicons'
 * phrase patterns add what it does not read (places and buildings attacked, self-harm
 * incitement, glorifying a strike) and the Russian and Ukrainian threats.
 */
export const violence: Rule = {
  category: 'violence',
  run({ analysis, policy }) {
    const found = policy.threats ? readThreats(analysis, policy.threats) : [];
    return phraseFindings(analysis, policy.lexicon, 'violence', found);
  },
};
