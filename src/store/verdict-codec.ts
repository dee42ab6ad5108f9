import { CATEGORIES, type Category } from '../engine/categories';
import { type CategoryResult, type Verdict, VerdictSchema } from '../engine/verdict';

/**
 * How a verdict is stored: the API's verdict without what can be rebuilt. Most categories of
 * most comments are clean (score 0, nothing flagged), and every piece of evidence repeats a slice
 * of the comment's own text; storing them as the API shows them tripled a comment's size in
 * Redis. Top-level fields keep their names: the DECIDE script reads `decidedBy` and `decidedAt`.
 */
interface PackedCategory {
  /** score, rounded to 4 decimals */
  s: number;
  /** 1 when flagged */
  f?: 1;
  /** severity */
  v?: CategoryResult['severity'];
  /** evidence as [start, end, rule] */
  e?: [number, number, string][];
}

type PackedVerdict = Omit<Verdict, 'categories' | 'failures'> & {
  categories: Partial<Record<Category, PackedCategory>>;
  failures?: Verdict['failures'];
};

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

export function packVerdict(v: Verdict): string {
  const categories: PackedVerdict['categories'] = {};
  for (const c of CATEGORIES) {
    const r = v.categories[c];
    if (!r.flagged && r.score === 0 && r.evidence.length === 0) continue;
    const p: PackedCategory = { s: round4(r.score) };
    if (r.flagged) p.f = 1;
    if (r.severity !== null) p.v = r.severity;
    if (r.evidence.length > 0) p.e = r.evidence.map((e) => [e.start, e.end, e.rule]);
    categories[c] = p;
  }
  const { categories: _omit, failures, ...rest } = v;
  const packed: PackedVerdict = { ...rest, categories, ...(failures.length > 0 && { failures }) };
  return JSON.stringify(packed);
}

/** The verdict as the API shows it; `text` is the comment's, for the evidence slices. */
export function unpackVerdict(json: string, text: string): Verdict {
  const p = JSON.parse(json) as PackedVerdict;
  const categories = {} as Verdict['categories'];
  for (const c of CATEGORIES) {
    const r = p.categories[c];
    categories[c] = r
      ? {
          score: r.s,
          flagged: r.f === 1,
          severity: r.v ?? null,
          evidence: (r.e ?? []).map(([start, end, rule]) => ({ start, end, text: text.slice(start, end), rule })),
        }
      : { score: 0, flagged: false, severity: null, evidence: [] };
  }
  return VerdictSchema.parse({ ...p, categories, failures: p.failures ?? [] });
}
