/**
 * Classification metrics from confusion counts. Pure: no I/O, no formatting.
 *
 * A metric whose denominator is zero is `null` ("not measurable"), never 0 or NaN: a category with
 * no gold positives has no recall, and reporting 0 would read as a failure that did not happen.
 */

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export function emptyCounts(): Counts {
  return { tp: 0, fp: 0, fn: 0, tn: 0 };
}

/** Adds one (gold, predicted) outcome to `counts` in place and returns it, for use in loops. */
export function tally(counts: Counts, gold: boolean, predicted: boolean): Counts {
  if (gold && predicted) counts.tp++;
  else if (!gold && predicted) counts.fp++;
  else if (gold && !predicted) counts.fn++;
  else counts.tn++;
  return counts;
}

/** Counts for a sequence of (gold, predicted) pairs. */
export function countPairs(pairs: Iterable<readonly [gold: boolean, predicted: boolean]>): Counts {
  const counts = emptyCounts();
  for (const [gold, predicted] of pairs) tally(counts, gold, predicted);
  return counts;
}

export function total(c: Counts): number {
  return c.tp + c.fp + c.fn + c.tn;
}

export function precision(c: Counts): number | null {
  const d = c.tp + c.fp;
  return d === 0 ? null : c.tp / d;
}

export function recall(c: Counts): number | null {
  const d = c.tp + c.fn;
  return d === 0 ? null : c.tp / d;
}

/**
 * F1 as 2TP / (2TP + FP + FN): equal to the harmonic mean of precision and recall whenever both
 * exist, and 0 (as scikit-learn reports) when one of them is undefined but there was something to
 * get right or wrong. Null only when the class never occurs in gold or predictions.
 */
export function f1(c: Counts): number | null {
  const d = 2 * c.tp + c.fp + c.fn;
  return d === 0 ? null : (2 * c.tp) / d;
}

/** The same confusion matrix seen from the negative class (its "positives" are the true negatives). */
export function negativeClass(c: Counts): Counts {
  return { tp: c.tn, fp: c.fn, fn: c.fp, tn: c.tp };
}

/**
 * Unweighted mean of per-class F1, skipping classes absent from both gold and predictions
 * (scikit-learn's `average="macro"` over the labels that occur).
 */
export function macroF1(perClass: readonly Counts[]): number | null {
  const scores = perClass.map(f1).filter((x): x is number => x !== null);
  return scores.length === 0 ? null : scores.reduce((a, b) => a + b, 0) / scores.length;
}

/** Macro-F1 of a binary task over its two classes: the TweetEval offensive and hate metric. */
export function binaryMacroF1(c: Counts): number | null {
  return macroF1([c, negativeClass(c)]);
}

export function accuracy(c: Counts): number | null {
  const n = total(c);
  return n === 0 ? null : (c.tp + c.tn) / n;
}
