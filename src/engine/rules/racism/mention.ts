import type { Token } from '../../normalize/tokenize';
import { condemnedIn, quotedTokens, reportedBefore } from './exemptions';
import type { Marked } from './marks';
import { isWrappedInQuotes } from './quotes';
import { type CompiledIdentity, type Mark, restMatches } from './vocabulary';

/** How many words a mention frame may have ("the word", "the ethnic slur"). */
const FRAME_WORDS = 3;

/**
 * Whether the slur at token i is mentioned rather than used: named as a word ("the word X",
 * "the Russian word 'X'"), quoted and then defined or judged ("'X' is a slur", "X means"), or
 * quoted or reported in a sentence that condemns it ("calling them X is racist").
 */
export function isMention(m: Marked, i: number, vocabulary: CompiledIdentity): boolean {
  const { words, tokens } = m;
  for (let k = 1; k <= FRAME_WORDS && k <= i; k++) {
    if (matches(vocabulary, words, i - k, 'mentionFrame', k)) return true;
  }
  const tok: Token = tokens[i];
  const wrapped = isWrappedInQuotes(m.text, tok.start, tok.end);
  if (wrapped && i + 1 < words.length && matches(vocabulary, words, i + 1, 'mentionVerb')) return true;
  const s = m.sentence[i];
  // The sentence's condemnation first: it is cached per sentence, and without one (most
  // sentences) the quotation marks of the comment need not be paired.
  return condemnedIn(m, s) && (wrapped || quotedTokens(m, i, i + 1) || reportedBefore(m, s, i));
}

/** Whether a mention-table entry of the mark starts at `at` (and is `length` words long, if given). */
function matches(vocabulary: CompiledIdentity, words: readonly string[], at: number, mark: Mark, length?: number): boolean {
  const entries = vocabulary.mentions.entriesFor(words[at]);
  for (const e of entries) if (e.mark === mark && (length === undefined || e.rest.length + 1 === length) && restMatches(e, words, at + 1)) return true;
  return false;
}
