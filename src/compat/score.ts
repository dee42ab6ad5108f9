import { type CategoryResult, roundScore } from '../engine';

/** What a category the policy did not flag may score at most, exclusive. */
export const UNFLAGGED_CEILING = 0.1;

/**
 * The score a compatible API reports for a category. Callers of OpenAI's and Perspective's APIs
 * threshold scores, most often at 0.5, so the policy's decision sits well clear of it: a flagged
 * category reports its strength (at least 0.6), an unflagged one a tenth of what the classifier
 * thought of it, under 0.1. The classifier was trained on tweets, where a third are offensive:
 * reported as it is, it gives "You are an idiot." 0.37 of vulgarity, which a client reads as a
 * sexual score; a tenth keeps such unrelated readings near zero and still ranks them.
 */
export function compatScore(r: CategoryResult): number {
  if (r.flagged) return roundScore(r.score);
  // Rounded to four decimals, 0.99996 would reach the ceiling itself.
  return Math.min(roundScore(r.score * UNFLAGGED_CEILING), UNFLAGGED_CEILING - 1e-4);
}
