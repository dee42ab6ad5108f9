import type { Finding } from './analyze';
import type { Category } from './categories';
import type { ClassifierScore } from './classifier/score';
import type { Head } from './classifier/model';
import type { ClassifierSettings } from './policy';

/** Which category a classifier head speaks for. `offensive` speaks for none in particular. */
const HEAD_CATEGORY: Record<Exclude<Head, 'offensive'>, Category> = {
  racism: 'racism',
  discourtesy: 'discourtesy',
  vulgarity: 'vulgarity',
};

/**
 * Rule flags that already explain what a head saw. The data's "vulgarity" covers swearing, so a
 * profanity rule explains it; HatEval's "hate" includes insults at a woman ("you stupid bitch"),
 * which the policy files under discourtesy when a rule saw the insult, not under racism.
 */
const COVERED_BY: Record<Exclude<Head, 'offensive'>, Category[]> = {
  racism: ['racism', 'discourtesy'],
  discourtesy: ['discourtesy'],
  vulgarity: ['vulgarity', 'profanity'],
};

const thresholds = new WeakMap<ClassifierSettings, Partial<Record<Head, number>>>();

/**
 * The probability from which secondOpinion may cite each head's words (ScoreOptions.explainAt):
 * a head under it flags nothing, so its evidence would never be read.
 */
export function explainAt(settings: ClassifierSettings): Partial<Record<Head, number>> {
  let at = thresholds.get(settings);
  if (!at) {
    // Above any probability: a head with no headFlagAt never flags on its own.
    const never = 2;
    at = { offensive: settings.flagAt };
    for (const head of Object.keys(HEAD_CATEGORY) as (keyof typeof HEAD_CATEGORY)[]) at[head] = settings.headFlagAt[head] ?? never;
    thresholds.set(settings, at);
  }
  return at;
}

export interface SecondOpinion {
  findings: Finding[];
  /** Calibrated probabilities per category the classifier speaks for. */
  scores: Partial<Record<Category, number>>;
}

/**
 * Turns classifier scores into findings, only where the rules found nothing: rules name the
 * exact words and rule, so where they fired they speak; the classifier catches what no word
 * list or pattern describes ("despicable narcissist"), and its evidence names the words that
 * pushed the score up.
 */
export function secondOpinion(
  score: ClassifierScore,
  settings: ClassifierSettings,
  flaggedByRules: ReadonlySet<Category>,
  textLength: number,
): SecondOpinion {
  const findings: Finding[] = [];
  const scores: Partial<Record<Category, number>> = {};
  const evidenceOf = (head: Head, category: Category) => {
    // Only the words that did most of the pushing: a long tail of small weights explains nothing.
    const top = score.top[head].filter((t, _, all) => t.weight >= 0.3 * all[0].weight);
    const spans = top.length > 0 ? top : [{ start: 0, end: textLength }];
    for (const t of spans) {
      findings.push({ category, severity: settings.severity, start: t.start, end: t.end, rule: `classifier/${head}` });
    }
  };
  let flaggedByHead = false;
  for (const head of Object.keys(HEAD_CATEGORY) as (keyof typeof HEAD_CATEGORY)[]) {
    const category = HEAD_CATEGORY[head];
    scores[category] = score.heads[head];
    const at = settings.headFlagAt[head];
    if (at === undefined || score.heads[head] < at) continue;
    flaggedByHead = true;
    if (COVERED_BY[head].some((c) => flaggedByRules.has(c))) continue;
    evidenceOf(head, category);
  }
  // "Offensive, but in no particular way": file it under the most likely category, unless a
  // rule already spoke. Spam and all-caps flags don't say the words are offensive: the model's
  // register features see shouting for what it is, so a shouted insult is still flagged as one.
  const anyRule = [...flaggedByRules].some((c) => c !== 'spam' && c !== 'all_caps');
  if (!anyRule && !flaggedByHead && score.heads.offensive >= settings.flagAt) {
    const strongest = (Object.keys(HEAD_CATEGORY) as (keyof typeof HEAD_CATEGORY)[]).reduce((a, b) =>
      score.heads[b] > score.heads[a] ? b : a,
    );
    evidenceOf('offensive', HEAD_CATEGORY[strongest]);
  }
  return { findings, scores };
}
