import { CATEGORIES, DECISIONS, SEVERITIES } from '../engine/categories';
import { type Categories, roundScore, type Verdict, VerdictSchema } from '../engine/verdict';

/**
 * How a verdict is stored: the API's verdict without what can be rebuilt, in a form a tenth of
 * its JSON. A decided comment is mostly verdict, so this is most of what a comment costs in Redis
 * (docs/BENCHMARKS.md, "Redis memory"):
 * - scores as one array in CATEGORIES order; most categories of most comments are 0;
 * - only flagged (or graded, or evidenced) categories get an entry, with evidence as offsets:
 *   its text is a slice of the comment's own;
 * - rule names, which repeat across millions of verdicts and can be 60 bytes (a Russian root's
 *   pattern), and the policy version, are numbered once per Redis in a dictionary (the `rules`
 *   hashes of keys.ts): the packed form refers to a verdict's own list of names (the policy
 *   version first, then the rules), which the DECIDE script replaces by their numbers as
 *   `"r":[…]` (so no process needs a cache that could go stale);
 * - `decidedAt` is not stored with the current verdict (the comment's hash has it); DECIDE adds
 *   `"at"` when it moves a verdict to the history;
 * - `decidedBy` only when it is a person (absent means "auto").
 */
export interface StoredVerdict {
  d: number; // index in DECISIONS
  s: number[]; // score per category, 4 decimals
  /** Per category worth an entry: [category index, flagged 0|1, severity index + 1 (0: none), then start, end, rule per evidence]. */
  c?: number[][];
  by?: string;
  why?: string;
  x?: Verdict['failures'];
  /** Where the text was cut for scoring, and its whole length (Verdict['cut']). */
  k?: [number, number];
  /** Set by DECIDE: decidedAt (epoch ms) of a verdict in the history. */
  at?: number;
  /** Set by DECIDE: dictionary numbers of the policy version, then of the rules the evidence refers to (from 1). */
  r: number[];
}

export interface PackedVerdict {
  /** The stored JSON without `r`: DECIDE appends it. Ends in `}`. */
  json: string;
  /** The names to number: the policy version, then the rules in the order the evidence refers to them (from 1). */
  names: string[];
}


export function packVerdict(v: Verdict): PackedVerdict {
  const names: string[] = [v.policyVersion];
  const ruleIndex = new Map<string, number>();
  const c: number[][] = [];
  CATEGORIES.forEach((name, i) => {
    const r = v.categories[name];
    if (!r.flagged && r.severity === null && r.evidence.length === 0) return;
    const entry = [i, r.flagged ? 1 : 0, r.severity === null ? 0 : SEVERITIES.indexOf(r.severity) + 1];
    for (const e of r.evidence) {
      let n = ruleIndex.get(e.rule);
      if (n === undefined) {
        n = names.push(e.rule) - 1;
        ruleIndex.set(e.rule, n);
      }
      entry.push(e.start, e.end, n);
    }
    c.push(entry);
  });
  const stored: Omit<StoredVerdict, 'r'> = {
    d: DECISIONS.indexOf(v.decision),
    s: CATEGORIES.map((name) => roundScore(v.categories[name].score)),
    ...(c.length > 0 && { c }),
    ...(v.decidedBy !== 'auto' && { by: v.decidedBy }),
    ...(v.reason !== undefined && { why: v.reason }),
    ...(v.failures.length > 0 && { x: v.failures }),
    ...(v.cut !== undefined && { k: [v.cut.at, v.cut.length] }),
  };
  return { json: JSON.stringify(stored), names };
}

/**
 * The verdict as the API shows it. `text` is the comment's, for the evidence slices; `decidedAt`
 * the comment's (epoch ms) when the verdict is the current one; ``ruleName` reads the dictionary (rules and policy versions).
 */
export function unpackVerdict(stored: StoredVerdict, text: string, decidedAt: number | undefined, ruleName: (n: number) => string): Verdict {
  const categories = Object.fromEntries(CATEGORIES.map((name, i) => [name, { score: stored.s[i] ?? 0, flagged: false, severity: null, evidence: [] }])) as unknown as Categories;
  for (const entry of stored.c ?? []) {
    const r = categories[CATEGORIES[entry[0]]];
    r.flagged = entry[1] === 1;
    r.severity = entry[2] === 0 ? null : SEVERITIES[entry[2] - 1];
    for (let j = 3; j + 2 < entry.length; j += 3) {
      const [start, end] = [entry[j], entry[j + 1]];
      r.evidence.push({ start, end, text: text.slice(start, end), rule: ruleName(stored.r[entry[j + 2]] ?? -1) });
    }
  }
  const at = stored.at ?? decidedAt;
  return VerdictSchema.parse({
    decision: DECISIONS[stored.d],
    categories,
    policyVersion: ruleName(stored.r[0] ?? -1),
    failures: stored.x ?? [],
    ...(stored.k !== undefined && { cut: { at: stored.k[0], length: stored.k[1] } }),
    decidedBy: stored.by ?? 'auto',
    decidedAt: at === undefined ? '' : new Date(at).toISOString(),
    ...(stored.why !== undefined && { reason: stored.why }),
  });
}
