import { CATEGORIES, type Category, DECISIONS, SEVERITIES, type Severity } from '../engine/categories';
import { type Categories, roundScore, type Verdict, VerdictSchema } from '../engine/verdict';

/**
 * How a verdict is stored: the API's verdict without what can be rebuilt, in a form a tenth of
 * its JSON. A decided comment is mostly verdict, so this is most of what a comment costs in Redis
 * (docs/BENCHMARKS.md, "Redis memory"):
 * - scores as one array, most categories of most comments being 0;
 * - only flagged (or graded, or evidenced) categories get an entry, with evidence as offsets:
 *   its text is a slice of the comment's own;
 * - rule names, which repeat across millions of verdicts and can be 60 bytes (a Russian root's
 *   pattern), and the policy version, are numbered once per Redis in a dictionary (the `rules`
 *   hashes of keys.ts): the packed form refers to a verdict's own list of names, which the
 *   decide scripts replace by their numbers as `"r":[…]` (so no process needs a cache that could
 *   go stale);
 * - `decidedAt` is not stored with the current verdict (the comment's hash has it); the decide
 *   scripts add `"at"` when they move a verdict to the history;
 * - `decidedBy` only when it is a person (absent means "auto").
 *
 * Format 2 (`"v":2`), written today, names its layout: the second of its names is the list of
 * categories, severities and decisions its numbers index (`LAYOUT`), stored once in the
 * dictionary like a rule name. A verdict therefore reads the same after categories are added or
 * reordered, at the cost of a few bytes rather than a name per score.
 * Format 1 (no `v`) indexed the lists as they were then, frozen below; it is still read, never
 * written.
 */
export interface StoredVerdict {
  v?: 2;
  /** Index in the layout's decisions. */
  d: number;
  /** Score per category, in the layout's order, 4 decimals. */
  s: number[];
  /** Per category worth an entry: [category index, flagged 0|1, severity index + 1 (0: none), then start, end, name index per evidence]. */
  c?: number[][];
  by?: string;
  why?: string;
  x?: Verdict['failures'];
  /** Where the text was cut for scoring, and its whole length (Verdict['cut']). */
  k?: [number, number];
  /** Set by the decide scripts: decidedAt (epoch ms) of a verdict in the history. */
  at?: number;
  /** Set by the decide scripts: dictionary numbers of the verdict's names (format 2: the policy version, the layout, then the rules). */
  r: number[];
}

/** What a stored verdict's numbers index. */
export interface Layout {
  categories: readonly string[];
  severities: readonly string[];
  decisions: readonly string[];
}

/** Format 1's lists, frozen: its numbers mean these, whatever the engine's lists become. */
export const V1_LAYOUT: Layout = {
  categories: ['violence', 'racism', 'profanity', 'vulgarity', 'all_caps', 'discourtesy', 'spam'],
  severities: ['low', 'medium', 'high'],
  decisions: ['approved', 'held', 'rejected'],
};

/** This version's layout as a dictionary name: `categories|severities|decisions`, each comma-separated. */
export const LAYOUT = [CATEGORIES, SEVERITIES, DECISIONS].map((list) => list.join(',')).join('|');

export function parseLayout(name: string): Layout {
  const [categories = '', severities = '', decisions = ''] = name.split('|');
  return { categories: categories.split(','), severities: severities.split(','), decisions: decisions.split(',') };
}

export interface PackedVerdict {
  /** The stored JSON without `r`: the decide scripts append it. Ends in `}`. */
  json: string;
  /** The names to number: the policy version, then the rules in the order the evidence refers to them (from 1). */
  names: string[];
}


export function packVerdict(v: Verdict): PackedVerdict {
  const names: string[] = [v.policyVersion, LAYOUT];
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
    v: 2,
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
 * the comment's (epoch ms) when the verdict is the current one; `ruleName` reads the dictionary
 * (rules, policy versions, layouts). A category the verdict's layout lacks reads as not flagged,
 * score 0; one this version doesn't know is left out.
 */
export function unpackVerdict(stored: StoredVerdict, text: string, decidedAt: number | undefined, ruleName: (n: number) => string): Verdict {
  const layout = stored.v === 2 ? parseLayout(ruleName(stored.r[1] ?? -1)) : V1_LAYOUT;
  const scores = new Map(layout.categories.map((name, i) => [name, stored.s[i] ?? 0]));
  const categories = Object.fromEntries(CATEGORIES.map((name) => [name, { score: scores.get(name) ?? 0, flagged: false, severity: null, evidence: [] }])) as unknown as Categories;
  for (const entry of stored.c ?? []) {
    const r = categories[layout.categories[entry[0]] as Category];
    if (r === undefined) continue;
    r.flagged = entry[1] === 1;
    const severity = entry[2] === 0 ? null : layout.severities[entry[2] - 1];
    r.severity = severity !== null && (SEVERITIES as readonly string[]).includes(severity) ? (severity as Severity) : null;
    for (let j = 3; j + 2 < entry.length; j += 3) {
      const [start, end] = [entry[j], entry[j + 1]];
      r.evidence.push({ start, end, text: text.slice(start, end), rule: ruleName(stored.r[entry[j + 2]] ?? -1) });
    }
  }
  const at = stored.at ?? decidedAt;
  return VerdictSchema.parse({
    decision: layout.decisions[stored.d],
    categories,
    policyVersion: ruleName(stored.r[0] ?? -1),
    failures: stored.x ?? [],
    ...(stored.k !== undefined && { cut: { at: stored.k[0], length: stored.k[1] } }),
    decidedBy: stored.by ?? 'auto',
    decidedAt: at === undefined ? '' : new Date(at).toISOString(),
    ...(stored.why !== undefined && { reason: stored.why }),
  });
}
