import { lexiconFindings, type Rule } from './rule';

/**
 * Swear words in any spelling a reader recognises. The normaliser and the lexicon reader do the
 * work (masks, leetspeak, homoglyphs, spacing, stretching); the allow-list keeps Scunthorpe clean.
 */
export const profanity: Rule = {
  category: 'profanity',
  run: (input) => lexiconFindings(input, 'profanity'),
};
