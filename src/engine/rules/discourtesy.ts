import { lexiconFindings, type Rule } from './rule';

/**
 * Insults aimed at a person. An insult word on its own is weak evidence (low); aimed at "you"
 * or at a named person it is a personal attack (the phrase patterns raise the severity).
 * Disagreement with an idea ("this deal is a disaster") has no insult word and no target.
 */
export const discourtesy: Rule = {
  category: 'discourtesy',
  run: (input) => lexiconFindings(input, 'discourtesy'),
};
