import { lexiconFindings, type Rule } from './rule';

/** Crude sexual or scatological content, even without a swear word; clinical words are not in the lexicon. */
export const vulgarity: Rule = {
  category: 'vulgarity',
  run: (input) => lexiconFindings(input, 'vulgarity'),
};
