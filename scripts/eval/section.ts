/** What each part of the evaluation hands back to the report. */

/** One of issue 3's targets: `pass` is null when its data was not available to measure it. */
export interface Target {
  name: string;
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

export function notMeasured(name: string, threshold: string, why: string): Target {
  return { name, threshold, measured: '—', pass: null, why };
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
