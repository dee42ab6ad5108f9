import { lexiconFindings, type Rule } from './rule';

/**
 * Threats, calls to harm, wishes for harm. Words alone (kill, bomb, strike) never fire: the
 * phrase patterns in the lexicons require intent and a target ("I will kill you", "someone
 * should put a bullet in him"), so reporting on a war stays on topic.
 */
export const violence: Rule = {
  category: 'violence',
  run: (input) => lexiconFindings(input, 'violence'),
};
