/**
 * The SemEval-2021 Task 5 (Toxic Spans Detection) metric. Pure: no I/O, no formatting.
 *
 * A comment's gold and prediction are sets of character offsets. Per comment, F1 of the two sets;
 * when the gold is empty the comment scores 1 if the prediction is empty too and 0 otherwise (the
 * task's own scorer does the same); the system's score is the mean over comments.
 */

export interface CharSpan {
  start: number;
  end: number;
}

/** The character offsets covered by half-open spans, ascending and without repeats. */
export function offsetsOf(spans: Iterable<CharSpan>): number[] {
  const set = new Set<number>();
  for (const s of spans) for (let i = s.start; i < s.end; i++) set.add(i);
  return [...set].sort((a, b) => a - b);
}

/** One comment's F1 of predicted against gold offsets. */
export function commentSpanF1(predicted: readonly number[], gold: readonly number[]): number {
  const g = new Set(gold);
  const p = new Set(predicted);
  if (g.size === 0) return p.size === 0 ? 1 : 0;
  if (p.size === 0) return 0;
  let both = 0;
  for (const x of p) if (g.has(x)) both++;
  if (both === 0) return 0;
  const precision = both / p.size;
  const recall = both / g.size;
  return (2 * precision * recall) / (precision + recall);
}

/** The task's score: the mean of the comments' F1, null for no comments. */
export function meanSpanF1(pairs: readonly { predicted: readonly number[]; gold: readonly number[] }[]): number | null {
  if (pairs.length === 0) return null;
  let sum = 0;
  for (const p of pairs) sum += commentSpanF1(p.predicted, p.gold);
  return sum / pairs.length;
}
