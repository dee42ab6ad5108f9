import { CATEGORIES, type Category, type Decision, SEVERITIES, type Severity } from '../engine/categories';
import { type Categories, type Verdict, VerdictSchema } from '../engine/verdict';

/**
 * How a verdict is stored: the API's verdict without what can be rebuilt, in a form a tenth of
 * its JSON. A decided comment is mostly verdict, so this is most of what a comment costs in Redis
 * (docs/BENCHMARKS.md, "Redis memory").
 *
 * Format 2 (`"v":2`), written today, names categories, decisions and severities, so a verdict
 * reads the same after categories are added or reordered:
 * - scores by category name, only the non-zero ones (most categories of most comments are 0);
 * - an entry per flagged (or graded, or evidenced) category: [flagged 0|1, severity or '', then
 *   start, end, rule per evidence]; evidence is offsets, its text a slice of the comment's own;
 * - rule names, which repeat across millions of verdicts and can be 60 bytes (a Russian root's
 *   pattern), and the policy version, are numbered once per Redis in a dictionary (the `rules`
 *   hashes of keys.ts): the packed form refers to a verdict's own list of names (the policy
 *   version first, then the rules), which the decide scripts replace by their numbers as
 *   `"r":[…]` (so no process needs a cache that could go stale);
 * - `decidedAt` is not stored with the current verdict (the comment's hash has it); the decide
 *   scripts add `"at"` when they move a verdict to the history;
 * - `decidedBy` only when it is a person (absent means "auto").
 *
 * Format 1 (no `v`) indexed categories, decisions and severities by their position in the lists
 * below, frozen as they were; it is still read, never written.
 */
export interface StoredVerdictV2 {
  v: 2;
  d: Decision;
  s?: Partial<Record<string, number>>;
  c?: Partial<Record<string, [0 | 1, Severity | '', ...number[]]>>;
  by?: string;
  why?: string;
  x?: Verdict['failures'];
  /** Where the text was cut for scoring, and its whole length (Verdict['cut']). */
  k?: [number, number];
  /** Set by the decide scripts: decidedAt (epoch ms) of a verdict in the history. */
  at?: number;
  /** Set by the decide scripts: dictionary numbers of the policy version, then of the rules the evidence refers to (from 1). */
  r: number[];
}

export interface StoredVerdictV1 {
  v?: undefined;
  d: number;
  s: number[];
  /** [category index, flagged 0|1, severity index + 1 (0: none), then start, end, rule per evidence]. */
  c?: number[][];
  by?: string;
  why?: string;
  x?: Verdict['failures'];
  k?: [number, number];
  at?: number;
  r: number[];
}

export type StoredVerdict = StoredVerdictV1 | StoredVerdictV2;

/** Format 1's lists, frozen: its numbers mean these, whatever the engine's lists become. */
export const V1_CATEGORIES = ['violence', 'racism', 'profanity', 'vulgarity', 'all_caps', 'discourtesy', 'spam'] as const;
export const V1_DECISIONS = ['approved', 'held', 'rejected'] as const;
export const V1_SEVERITIES = ['low', 'medium', 'high'] as const;

export interface PackedVerdict {
  /** The stored JSON without `r`: the decide scripts append it. Ends in `}`. */
  json: string;
  /** The names to number: the policy version, then the rules in the order the evidence refers to them (from 1). */
  names: string[];
}

/** Scores are kept to four decimals, in storage as in every answer (docs/API.md). */
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

export function packVerdict(v: Verdict): PackedVerdict {
  const names: string[] = [v.policyVersion];
  const ruleIndex = new Map<string, number>();
  const s: Record<string, number> = {};
  const c: NonNullable<StoredVerdictV2['c']> = {};
  let entries = 0;
  for (const name of CATEGORIES) {
    const r = v.categories[name];
    const score = round4(r.score);
    if (score !== 0) s[name] = score;
    if (!r.flagged && r.severity === null && r.evidence.length === 0) continue;
    const entry: [0 | 1, Severity | '', ...number[]] = [r.flagged ? 1 : 0, r.severity ?? ''];
    for (const e of r.evidence) {
      let n = ruleIndex.get(e.rule);
      if (n === undefined) {
        n = names.push(e.rule) - 1;
        ruleIndex.set(e.rule, n);
      }
      entry.push(e.start, e.end, n);
    }
    c[name] = entry;
    entries++;
  }
  const stored: Omit<StoredVerdictV2, 'r'> = {
    v: 2,
    d: v.decision,
    ...(Object.keys(s).length > 0 && { s }),
    ...(entries > 0 && { c }),
    ...(v.decidedBy !== 'auto' && { by: v.decidedBy }),
    ...(v.reason !== undefined && { why: v.reason }),
    ...(v.failures.length > 0 && { x: v.failures }),
    ...(v.cut !== undefined && { k: [v.cut.at, v.cut.length] }),
  };
  return { json: JSON.stringify(stored), names };
}

/** One category as stored, in either format: flagged, severity, then start, end, rule per evidence. */
interface Entry {
  flagged: boolean;
  severity: Severity | null;
  evidence: number[];
}

function entriesOf(stored: StoredVerdict): [string, Entry][] {
  if (stored.v === 2) {
    return Object.entries(stored.c ?? {}).map(([name, e]) => {
      const [flagged, severity, ...evidence] = e!;
      return [name, { flagged: flagged === 1, severity: severity === '' ? null : severity, evidence }];
    });
  }
  return (stored.c ?? []).map(([i, flagged, severity, ...evidence]) => [
    V1_CATEGORIES[i],
    { flagged: flagged === 1, severity: severity === 0 ? null : V1_SEVERITIES[severity - 1], evidence },
  ]);
}

function scoreOf(stored: StoredVerdict, name: Category): number {
  if (stored.v === 2) return stored.s?.[name] ?? 0;
  const i = V1_CATEGORIES.indexOf(name as (typeof V1_CATEGORIES)[number]);
  return i < 0 ? 0 : (stored.s[i] ?? 0);
}

/**
 * The verdict as the API shows it. `text` is the comment's, for the evidence slices; `decidedAt`
 * the comment's (epoch ms) when the verdict is the current one; `ruleName` reads the dictionary
 * (rules and policy versions). A category the verdict's format didn't know reads as not flagged,
 * score 0; one this version doesn't know is left out.
 */
export function unpackVerdict(stored: StoredVerdict, text: string, decidedAt: number | undefined, ruleName: (n: number) => string): Verdict {
  const categories = Object.fromEntries(CATEGORIES.map((name) => [name, { score: scoreOf(stored, name), flagged: false, severity: null, evidence: [] }])) as unknown as Categories;
  for (const [name, entry] of entriesOf(stored)) {
    const r = categories[name as Category];
    if (r === undefined) continue;
    r.flagged = entry.flagged;
    r.severity = entry.severity !== null && (SEVERITIES as readonly string[]).includes(entry.severity) ? entry.severity : null;
    for (let j = 0; j + 2 < entry.evidence.length; j += 3) {
      const [start, end] = [entry.evidence[j], entry.evidence[j + 1]];
      r.evidence.push({ start, end, text: text.slice(start, end), rule: ruleName(stored.r[entry.evidence[j + 2]] ?? -1) });
    }
  }
  const at = stored.at ?? decidedAt;
  return VerdictSchema.parse({
    decision: stored.v === 2 ? stored.d : V1_DECISIONS[stored.d],
    categories,
    policyVersion: ruleName(stored.r[0] ?? -1),
    failures: stored.x ?? [],
    ...(stored.k !== undefined && { cut: { at: stored.k[0], length: stored.k[1] } }),
    decidedBy: stored.by ?? 'auto',
    decidedAt: at === undefined ? '' : new Date(at).toISOString(),
    ...(stored.why !== undefined && { reason: stored.why }),
  });
}
