import type { CategoryResult } from '../engine';

/**
 * The score a compatible API reports for a category. Callers of OpenAI's and Perspective's APIs
 * threshold scores, most often at 0.5, so the policy's decision sits exactly there: a flagged
 * category reports its strength (at least 0.6), an unflagged one half of what the classifier
 * thought of it, always under 0.5. Without this, a classifier trained on tweets, where a third
 * are offensive, would report 0.6 for a comment the policy lets through.
 */
export function compatScore(r: CategoryResult): number {
  const value = r.flagged ? r.score : r.score / 2;
  return Math.round(value * 1e6) / 1e6;
}
