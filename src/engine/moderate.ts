import { type Analysis, analyze, type Finding } from './analyze';
import { CATEGORIES, type Category, type Decision, maxSeverity, type Severity, strictest } from './categories';
import type { CompiledPolicy } from './compile';
import { actionFor } from './policy';
import { type ModerationContext, type Rule, RULES } from './rules';
import { secondOpinion } from './second-opinion';
import type { Assessment, Categories, CategoryResult, DetectorFailure } from './verdict';

/** Rule evidence is certain in kind; its score says how strong it is. */
const SEVERITY_SCORE: Record<Severity, number> = { low: 0.6, medium: 0.8, high: 0.95 };

export interface ModerateOptions {
  context?: ModerationContext;
  /** Milliseconds; injectable so budget overruns can be tested without a slow machine. */
  clock?: () => number;
  /** Replaces the built-in rule of a category (a site's own detector). */
  rules?: Partial<Record<Category, Rule>>;
}

const defaultClock = () => performance.now();

type Outcome<T> = { ok: true; value: T } | { ok: false; failure: DetectorFailure };

/** Runs one detector under the policy's failure rule: a throw or an overrun is recorded, never fatal. */
function guarded<T>(policy: CompiledPolicy, detector: string, clock: () => number, fn: () => T): Outcome<T> {
  const settings = policy.doc.detectors[detector] ?? { onFailure: 'hold' as const, budgetMs: 50 };
  const started = clock();
  try {
    const value = fn();
    const elapsed = clock() - started;
    if (elapsed > settings.budgetMs) {
      const failure: DetectorFailure = {
        detector,
        reason: 'timeout',
        action: settings.onFailure,
        message: `took ${elapsed.toFixed(1)} ms, budget ${settings.budgetMs} ms`,
      };
      // Fail open keeps the late result; fail closed discards it and holds the comment.
      return settings.onFailure === 'continue' ? { ok: true, value } : { ok: false, failure };
    }
    return { ok: true, value };
  } catch (err) {
    return {
      ok: false,
      failure: {
        detector,
        reason: 'error',
        action: settings.onFailure,
        message: err instanceof Error ? err.message : String(err),
      },
    };
  }
}

function emptyResult(): CategoryResult {
  return { score: 0, flagged: false, severity: null, evidence: [] };
}

function summarise(findings: Finding[], probability = 0): CategoryResult {
  if (findings.length === 0) return probability > 0 ? { ...emptyResult(), score: probability } : emptyResult();
  let severity: Severity | null = null;
  const seen = new Set<string>();
  const evidence: CategoryResult['evidence'] = [];
  for (const f of findings.sort((a, b) => a.start - b.start || b.end - a.end)) {
    severity = maxSeverity(severity, f.severity);
    const key = `${f.start}:${f.end}:${f.rule}`;
    if (seen.has(key)) continue;
    seen.add(key);
    evidence.push({ start: f.start, end: f.end, text: '', rule: f.rule });
  }
  return { score: Math.max(SEVERITY_SCORE[severity!], probability), flagged: true, severity, evidence };
}

/**
 * The moderation engine: text and policy in, assessment out. No I/O, no shared state; the same
 * input gives the same assessment (except for budget overruns, which depend on the clock).
 */
export function moderate(text: string, policy: CompiledPolicy, options: ModerateOptions = {}): Assessment {
  const clock = options.clock ?? defaultClock;
  const context = options.context ?? {};
  const failures: DetectorFailure[] = [];
  const categories = Object.fromEntries(CATEGORIES.map((c) => [c, emptyResult()])) as Categories;

  const analysed = guarded<Analysis>(policy, 'analysis', clock, () => analyze(text, policy.lexicon));
  if (!analysed.ok) failures.push(analysed.failure);
  else {
    const analysis = analysed.value;
    const findings = new Map<Category, Finding[]>();
    for (const category of CATEGORIES) {
      const rule = options.rules?.[category] ?? RULES[category];
      const out = guarded<Finding[]>(policy, category, clock, () => rule.run({ analysis, policy, context }));
      if (!out.ok) failures.push(out.failure);
      else if (out.value.length > 0) findings.set(category, out.value);
    }
    let probabilities: Partial<Record<Category, number>> = {};
    const { classifier } = policy;
    const settings = policy.doc.classifier;
    if (classifier && settings) {
      const opinion = guarded(policy, 'classifier', clock, () =>
        secondOpinion(classifier.score(analysis.tokens, { hits: analysis.hits }), settings, new Set(findings.keys()), text.length),
      );
      if (!opinion.ok) failures.push(opinion.failure);
      else {
        probabilities = opinion.value.scores;
        for (const f of opinion.value.findings) findings.set(f.category, [...(findings.get(f.category) ?? []), f]);
      }
    }
    for (const category of CATEGORIES) categories[category] = summarise(findings.get(category) ?? [], probabilities[category]);
  }

  let decision: Decision = 'approved';
  for (const category of CATEGORIES) {
    const r = categories[category];
    for (const e of r.evidence) e.text = text.slice(e.start, e.end);
    if (r.flagged && r.severity) decision = strictest(decision, actionFor(policy.doc, category as Category, r.severity));
  }
  for (const f of failures) if (f.action === 'hold') decision = strictest(decision, 'held');

  return { decision, categories, policyVersion: policy.doc.version, failures };
}
