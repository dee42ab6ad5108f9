import type { Analysis, Finding } from '../analyze';
import { phraseFindings, termFindings } from '../analyze';
import type { Category } from '../categories';
import type { CompiledPolicy } from '../compile';

/** What a rule may know about the comment beyond its text (supplied by the caller, never fetched). */
export interface ModerationContext {
  /** How many times the same text (normalised) was posted before on this site, recently. */
  repeats?: number;
}

export interface RuleInput {
  analysis: Analysis;
  policy: CompiledPolicy;
  context: ModerationContext;
}

/** One category's detector: reads the shared analysis, returns spans with the rule that fired. */
export interface Rule {
  category: Category;
  run(input: RuleInput): Finding[];
}

/** The common shape: the category's lexicon terms and phrase patterns. */
export function lexiconFindings({ analysis, policy }: RuleInput, category: Category): Finding[] {
  return phraseFindings(analysis, policy.lexicon, category, termFindings(analysis, category));
}
