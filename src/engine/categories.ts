// Category ids are public API names (docs/POLICY.md): never rename one, only add.
export const CATEGORIES = [
  'violence',
  'racism',
  'profanity',
  'vulgarity',
  'all_caps',
  'discourtesy',
  'spam',
] as const;

export type Category = (typeof CATEGORIES)[number];

export const SEVERITIES = ['low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const DECISIONS = ['approved', 'held', 'rejected'] as const;
export type Decision = (typeof DECISIONS)[number];

const SEVERITY_RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3 };
const DECISION_RANK: Record<Decision, number> = { approved: 0, held: 1, rejected: 2 };

export function maxSeverity(a: Severity | null, b: Severity | null): Severity | null {
  if (a === null) return b;
  if (b === null) return a;
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

/** "When several categories fire, the strictest action wins." */
export function strictest(a: Decision, b: Decision): Decision {
  return DECISION_RANK[a] >= DECISION_RANK[b] ? a : b;
}
