/** What each part of the evaluation hands back to the report. */

/** One of the issues' targets: `pass` is null when its data was not available to measure it. */
export interface Target {
  name: string;
  /** The issues that set this target (issue 3: the first evaluation; issue 16: news comments); absent: [3]. */
  issues?: readonly number[];
  threshold: string;
  measured: string;
  pass: boolean | null;
  /** Why a target could not be measured. */
  why?: string;
}

export interface Section {
  markdown: string;
  targets: Target[];
}

export function notMeasured(name: string, threshold: string, why: string, issues?: readonly number[]): Target {
  return { name, threshold, measured: '—', pass: null, why, ...(issues ? { issues } : {}) };
}

export function issuesOf(t: Target): readonly number[] {
  return t.issues ?? [3];
}

/** Counts how often each key occurs, most frequent first: for "which rules cause the errors". */
export function histogram(keys: Iterable<string>): [string, number][] {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export function topOf(keys: Iterable<string>, n: number): string {
  const h = histogram(keys);
  if (h.length === 0) return '—';
  return h
    .slice(0, n)
    .map(([k, c]) => `${k} (${c})`)
    .join(', ');
}
