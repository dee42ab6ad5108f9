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

function summarise(findings: Finding[] | undefined, probability = 0): CategoryResult {
  if (findings === undefined || findings.length === 0) {
    return { score: probability > 0 ? probability : 0, flagged: false, severity: null, evidence: [] };
  }
  sortFindings(findings);
  let severity: Severity | null = null;
  const evidence: CategoryResult['evidence'] = [];
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    severity = maxSeverity(severity, f.severity);
    if (!isRepeat(evidence, f)) evidence.push({ start: f.start, end: f.end, text: '', rule: f.rule });
  }
  return { score: Math.max(SEVERITY_SCORE[severity!], probability), flagged: true, severity, evidence };
}

/**
 * By start, then longest first; stable, like Array.prototype.sort. An insertion sort: a
 * category has a handful of findings, mostly in order already, and sort() with a comparator
 * costs more than that to set up.
 */
function sortFindings(list: Finding[]): void {
  for (let i = 1; i < list.length; i++) {
    const f = list[i];
    let j = i - 1;
    while (j >= 0 && (list[j].start > f.start || (list[j].start === f.start && list[j].end < f.end))) {
      list[j + 1] = list[j];
      j--;
    }
    list[j + 1] = f;
  }
}

/**
 * Whether evidence already names this span and rule. After sorting, findings of one span are
 * next to each other, so only the tail of the evidence with the same span needs a look.
 */
function isRepeat(evidence: CategoryResult['evidence'], f: Finding): boolean {
  for (let k = evidence.length - 1; k >= 0; k--) {
    const e = evidence[k];
    if (e.start !== f.start || e.end !== f.end) return false;
    if (e.rule === f.rule) return true;
  }
  return false;
}

/**
 * The moderation engine: text and policy in, assessment out. No I/O, no shared state; the same
 * input gives the same assessment (except for budget overruns, which depend on the clock).
 */
export function moderate(text: string, policy: CompiledPolicy, options: ModerateOptions = {}): Assessment {
  const clock = options.clock ?? defaultClock;
  const context = options.context ?? {};
  const failures: DetectorFailure[] = [];
  // Per category (CATEGORIES order), what its rule and then the classifier found.
  const found: (Finding[] | undefined)[] = new Array(CATEGORIES.length).fill(undefined);
  let probabilities: Partial<Record<Category, number>> = {};
  let analysedOk = false;

  const analysed = guarded<Analysis>(policy, 'analysis', clock, () => analyze(text, policy.lexicon));
  if (!analysed.ok) failures.push(analysed.failure);
  else {
    analysedOk = true;
    const analysis = analysed.value;
    const input = { analysis, policy, context };
    const flagged = new Set<Category>();
    for (let c = 0; c < CATEGORIES.length; c++) {
      const category = CATEGORIES[c];
      const rule = options.rules?.[category] ?? RULES[category];
      const out = guarded<Finding[]>(policy, category, clock, () => rule.run(input));
      if (!out.ok) failures.push(out.failure);
      else if (out.value.length > 0) {
        found[c] = out.value;
        flagged.add(category);
      }
    }
    const { classifier } = policy;
    const settings = policy.doc.classifier;
    if (classifier && settings) {
      const opinion = guarded(policy, 'classifier', clock, () =>
        secondOpinion(classifier.score(analysis.tokens, { hits: analysis.hits }), settings, flagged, text.length),
      );
      if (!opinion.ok) failures.push(opinion.failure);
      else {
        probabilities = opinion.value.scores;
        for (const f of opinion.value.findings) {
          const c = CATEGORIES.indexOf(f.category);
          // A copy: the rule's own array is its to keep.
          found[c] = [...(found[c] ?? []), f];
        }
      }
    }
  }
  const categories = {} as Categories;
  for (let c = 0; c < CATEGORIES.length; c++) {
    const category = CATEGORIES[c];
    categories[category] = analysedOk ? summarise(found[c], probabilities[category]) : summarise(undefined);
  }

  let decision: Decision = 'approved';
  for (const category of CATEGORIES) {
    const r = categories[category];
    if (!r.flagged) continue;
    for (const e of r.evidence) e.text = text.slice(e.start, e.end);
    if (r.severity) decision = strictest(decision, actionFor(policy.doc, category, r.severity));
  }
  for (const f of failures) if (f.action === 'hold') decision = strictest(decision, 'held');

  return { decision, categories, policyVersion: policy.doc.version, failures };
}
