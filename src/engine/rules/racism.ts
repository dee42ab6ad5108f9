import { lexiconFindings, type Rule } from './rule';

/**
 * Slurs (any spelling the normaliser can read) and dehumanising generalisations about a group.
 * A group's name alone is never evidence: "Ukrainian refugees need help" mentions, it doesn't attack.
 */
export const racism: Rule = {
  category: 'racism',
  run: (input) => lexiconFindings(input, 'racism'),
};
