/**
 * When a failed delivery is tried again. The default adds up to a little over a day (27 h 35 min
 * before jitter), so a receiver that is down overnight still gets everything.
 */
export const DEFAULT_RETRY_SCHEDULE = '5s,5m,30m,2h,5h,10h,10h';

/** Each delay is spread by up to this fraction either way, so endpoints that failed together don't all retry together. */
export const JITTER = 0.2;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "250ms", "5s", "30m", "2h", "5d" (or a bare number of milliseconds) to milliseconds; null if unreadable. */
export function parseDuration(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!m) return null;
  return Math.round(Number(m[1]) * UNIT_MS[m[2] ?? 'ms']);
}

/** A comma-separated list of durations; null if any is unreadable or the list is empty. */
export function parseSchedule(text: string): number[] | null {
  const steps = text.split(',').map(parseDuration);
  if (steps.length === 0 || steps.some((s) => s === null || s <= 0)) return null;
  return steps as number[];
}

/** The delay before retry number `retry` (1 = the first retry), jittered; null when the schedule is used up. */
export function retryDelay(schedule: readonly number[], retry: number, random: () => number = Math.random): number | null {
  const base = schedule[retry - 1];
  if (base === undefined) return null;
  return Math.max(1, Math.round(base * (1 - JITTER + 2 * JITTER * random())));
}

/**
 * Retry-After as milliseconds (delta-seconds or an HTTP date), or null when absent or unreadable.
 * Capped, so a receiver can't park a delivery for longer than our longest step.
 */
export function parseRetryAfter(header: string | undefined, now: number, capMs: number): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  let ms: number;
  if (/^\d+$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return null;
    ms = at - now;
  }
  return Math.min(Math.max(ms, 0), capMs);
}
