import { type Analysis, analyze, type Finding } from './analyze';
import { CATEGORIES, type Category, type Decision, maxSeverity, type Severity, strictest } from './categories';
import type { CompiledPolicy } from './compile';
import { type CompiledSpans, learnedFindings, learnedWords, narrowFindings } from './evidence';
import type { LearnedWord } from './span-lexicon';
import { actionFor } from './policy';
import { type ModerationContext, type Rule, type RuleInput, RULES } from './rules';
import { mostlyCyrillic, writtenInUkrainian } from './classifier/script';
import { explainAt, type SecondOpinion, secondOpinion } from './second-opinion';
import { type Assessment, type Categories, type CategoryResult, type DetectorFailure, roundScore } from './verdict';

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

const DEFAULT_DETECTOR = { onFailure: 'hold' as const, budgetMs: 50 };

/**
 * Runs the detectors of one comment, one after another, under the policy's failure rule: a
 * throw or an overrun is recorded, never fatal. The clock is read once between two detectors
 * (a reading costs about as much as a small rule), so a detector's time includes the few
 * instructions of bookkeeping before it.
 */
class Guard {
  readonly failures: DetectorFailure[] = [];
  private last: number;

  constructor(
    private readonly policy: CompiledPolicy,
    private readonly clock: () => number,
  ) {
    this.last = clock();
  }

  /**
   * fn(a, b), or undefined if the detector failed and its result is not to be used. An overrun
   * is confirmed by running the detector once more: a process descheduled or collecting garbage
   * mid-detector looks like a slow detector, but only a detector slow on this text is slow
   * twice, so a busy machine doesn't hold comments at random. A real overrun costs twice.
   */
  run<A, B, T>(detector: string, fn: (a: A, b: B) => T, a: A, b: B): T | undefined {
    const settings = this.policy.doc.detectors[detector] ?? DEFAULT_DETECTOR;
    for (let attempt = 1; ; attempt++) {
      const started = this.last;
      let value: T;
      try {
        value = fn(a, b);
      } catch (err) {
        this.last = this.clock();
        const message = shortMessage(err instanceof Error ? err.message : String(err));
        this.failures.push({ detector, reason: 'error', action: settings.onFailure, message });
        return undefined;
      }
      this.last = this.clock();
      const elapsed = this.last - started;
      if (elapsed <= settings.budgetMs) return value;
      if (attempt === 1) continue;
      const message = `took ${elapsed.toFixed(1)} ms, budget ${settings.budgetMs} ms`;
      this.failures.push({ detector, reason: 'timeout', action: settings.onFailure, message });
      // Fail open keeps the late result; fail closed discards it and holds the comment.
      return settings.onFailure === 'continue' ? value : undefined;
    }
  }
}

/** The most characters of an error a failure keeps. */
export const MAX_FAILURE_MESSAGE = 200;

/**
 * An error's message may quote the comment or a pattern built from it (tens of kilobytes), and
 * a failure is stored with the verdict and sent to every webhook: its head is enough to know it.
 */
function shortMessage(message: string): string {
  return message.length <= MAX_FAILURE_MESSAGE ? message : `${message.slice(0, MAX_FAILURE_MESSAGE - 1)}…`;
}

// The detectors as plain functions of two arguments, so that running one allocates nothing.
const runAnalysis = (text: string, policy: CompiledPolicy) => analyze(text, policy.lexicon);
const runLearned = (analysis: Analysis, found: { spans: CompiledSpans; learned: (LearnedWord | undefined)[]; found: (Finding[] | undefined)[] }) =>
  learnedFindings(analysis, found.spans, found.learned, found.found, CATEGORIES);
const runRule = (rule: Rule, input: RuleInput) => rule.run(input);
const runClassifier = (input: RuleInput, flagged: ReadonlySet<Category>): SecondOpinion => {
  const { analysis, policy } = input;
  const cyrillic = policy.cyrillic !== null && mostlyCyrillic(analysis.tokens) ? policy.cyrillic : null;
  // Neither model knows Ukrainian (script.ts): the rules and the Ukrainian lexicon decide alone.
  if (cyrillic && writtenInUkrainian(analysis.tokens)) return { findings: [], scores: {} };
  const settings = cyrillic ? cyrillic.settings : policy.doc.classifier!;
  const classifier = cyrillic ? cyrillic.classifier : policy.classifier!;
  const score = classifier.score(analysis.tokens, {
    hits: analysis.hits,
    explainAt: explainAt(settings),
    slots: analysis.words,
  });
  return secondOpinion(score, settings, flagged, analysis.text.length);
};

function summarise(findings: Finding[] | undefined, probability = 0): CategoryResult {
  if (findings === undefined || findings.length === 0) {
    return { score: probability > 0 ? roundScore(probability) : 0, flagged: false, severity: null, evidence: [] };
  }
  sortFindings(findings);
  let severity: Severity | null = null;
  const evidence: CategoryResult['evidence'] = [];
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    severity = maxSeverity(severity, f.severity);
    if (!isRepeat(evidence, f)) evidence.push({ start: f.start, end: f.end, text: '', rule: f.rule });
  }
  return { score: roundScore(Math.max(SEVERITY_SCORE[severity!], probability)), flagged: true, severity, evidence };
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
  const at = cutAt(text, policy.doc.maxChars);
  const scored = at === text.length ? text : text.slice(0, at);
  const assessment = moderateScored(scored, policy, options);
  if (at < text.length) assessment.cut = { at, length: text.length };
  return assessment;
}

/** How far back from the limit a cut looks for a space, so as not to score half a word. */
const CUT_LOOK_BACK = 64;

/**
 * Where to cut a text to at most `max` units: at the last white space before the limit if there
 * is one near it (half a word can read as another: "assassin" as "ass"), never inside a
 * surrogate pair.
 */
export function cutAt(text: string, max: number): number {
  if (text.length <= max) return text.length;
  for (let i = max; i > max - CUT_LOOK_BACK; i--) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) return i;
  }
  const unit = text.charCodeAt(max);
  return unit >= 0xdc00 && unit <= 0xdfff ? max - 1 : max;
}

function moderateScored(text: string, policy: CompiledPolicy, options: ModerateOptions): Assessment {
  const guard = new Guard(policy, options.clock ?? defaultClock);
  // Per category (CATEGORIES order), what its rule and then the classifier found.
  const found: (Finding[] | undefined)[] = new Array(CATEGORIES.length).fill(undefined);
  let probabilities: Partial<Record<Category, number>> = {};

  const analysis = guard.run('analysis', runAnalysis, text, policy);
  if (analysis) {
    const input: RuleInput = { analysis, policy, context: options.context ?? {} };
    const flagged = new Set<Category>();
    for (let c = 0; c < CATEGORIES.length; c++) {
      const category = CATEGORIES[c];
      const out = guard.run(category, runRule, options.rules?.[category] ?? RULES[category], input);
      if (out !== undefined && out.length > 0) {
        found[c] = out;
        flagged.add(category);
      }
    }
    const opinion = policy.classifier && policy.doc.classifier ? guard.run('classifier', runClassifier, input, flagged) : undefined;
    if (opinion) {
      probabilities = opinion.scores;
      for (const f of opinion.findings) {
        const c = CATEGORIES.indexOf(f.category);
        // A copy: the rule's own array is its to keep.
        found[c] = [...(found[c] ?? []), f];
      }
    }
    // After the classifier, so its reading of a comment does not depend on them: a learned
    // insult must not stop the racism head from flagging hate (COVERED_BY in second-opinion.ts).
    const spans = policy.spans;
    // Nothing to narrow and nothing that may flag: the comment's words need no lookups.
    if (spans && (spans.settings.flag || found.some((f) => f !== undefined))) {
      const learned = learnedWords(analysis, spans);
      if (spans.settings.flag) {
        const more = guard.run('spans', runLearned, analysis, { spans, learned, found });
        if (more) {
          for (const f of more) {
            const c = CATEGORIES.indexOf(f.category);
            found[c] = [...(found[c] ?? []), f];
          }
        }
      }
      for (let c = 0; c < CATEGORIES.length; c++) {
        const list = found[c];
        if (list !== undefined) found[c] = narrowFindings(list, CATEGORIES[c], analysis, spans, learned);
      }
    }
  }
  const categories = {} as Categories;
  for (let c = 0; c < CATEGORIES.length; c++) {
    const category = CATEGORIES[c];
    categories[category] = analysis ? summarise(found[c], probabilities[category]) : summarise(undefined);
  }

  let decision: Decision = 'approved';
  for (const category of CATEGORIES) {
    const r = categories[category];
    if (!r.flagged) continue;
    for (const e of r.evidence) e.text = text.slice(e.start, e.end);
    if (r.severity) decision = strictest(decision, actionFor(policy.doc, category, r.severity));
  }
  for (const f of guard.failures) if (f.action === 'hold') decision = strictest(decision, 'held');

  return { decision, categories, policyVersion: policy.doc.version, failures: guard.failures };
}
