import type { Analysis, Finding } from './analyze';
import type { Category } from './categories';
import type { SpanSettings } from './policy';
import { type LearnedWord, type SpanLexicon, SpanLexiconSchema, type SpanType } from './span-lexicon';

/** The span lexicon of a policy, ready for lookups by a token's folded text. */
export interface CompiledSpans {
  settings: SpanSettings;
  words: Map<string, LearnedWord>;
}

export function compileSpans(settings: SpanSettings, lexicon: unknown): CompiledSpans {
  const parsed: SpanLexicon = SpanLexiconSchema.parse(lexicon);
  return { settings, words: new Map(Object.entries(parsed.words)) };
}

/** The kind of marked span that speaks for each category; the data lumps profanity with vulgarity. */
const SPAN_TYPE: Partial<Record<Category, SpanType>> = {
  violence: 'violence',
  racism: 'racism',
  profanity: 'vulgarity',
  vulgarity: 'vulgarity',
  discourtesy: 'discourtesy',
};

/**
 * A learned word counts for a category when at least this share of its typed marks are of that
 * kind: "idiot" (96 % insult) narrows a discourtesy flag, "gay" (56 % identity) does not.
 */
const TYPE_SHARE = 0.2;

/** The suffix of a rule id whose span the learned lexicon chose, so a moderator can tell. */
export const NARROWED = '#spans';

function learnedAt(spans: CompiledSpans, a: Analysis, i: number): LearnedWord | undefined {
  const tok = a.tokens[i];
  if (tok.kind !== 'word') return undefined;
  // An obfuscated word (a**hole) is looked up as the lexicon read it.
  const memo = a.words[i];
  return spans.words.get(tok.text) ?? (memo?.read ? spans.words.get(memo.read.form) : undefined);
}

function counts(w: LearnedWord, type: SpanType | null, at: number): boolean {
  return w.marked >= at && (type === null || (w.types[type] ?? 0) >= TYPE_SHARE);
}

/**
 * The learned words of `type` (null: any kind) among the tokens in [start, end), as spans; words
 * next to each other with only spaces between make one span, as people mark "stupid idiot".
 */
function learnedSpans(spans: CompiledSpans, a: Analysis, start: number, end: number, type: SpanType | null): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const at = spans.settings.narrowAt;
  let previous = -2;
  for (let i = 0; i < a.tokens.length; i++) {
    const tok = a.tokens[i];
    if (tok.start < start) continue;
    if (tok.end > end) break;
    const w = learnedAt(spans, a, i);
    if (w === undefined || !counts(w, type, at)) continue;
    const last = out[out.length - 1];
    if (previous === i - 1 && last && /^[ \t]+$/.test(a.text.slice(last.end, tok.start))) last.end = tok.end;
    else out.push({ start: tok.start, end: tok.end });
    previous = i;
  }
  return out;
}

/** Whether [start, end) holds more than one token: a phrase or a clause, not a word. */
function spansSeveralTokens(a: Analysis, start: number, end: number): boolean {
  let n = 0;
  for (const tok of a.tokens) {
    if (tok.start >= end) break;
    if (tok.start >= start && ++n > 1) return true;
  }
  return false;
}

/**
 * A category's findings with their evidence narrowed to the words people mark. A phrase match
 * ("only a brainwashed sheep would believe this") becomes its learned words of the category's
 * kind; the classifier, which read the whole comment, is explained by the category's learned
 * words anywhere in it, else by learned words of any kind (its category is a guess when the
 * `offensive` head flagged). A finding with no learned word inside keeps its span. Single words
 * (lexicon terms) are already as narrow as evidence gets.
 */
export function narrowFindings(findings: Finding[], category: Category, a: Analysis, spans: CompiledSpans): Finding[] {
  const type = SPAN_TYPE[category];
  if (type === undefined) return findings;
  let out: Finding[] | null = null;
  let classifierDone = false;
  for (let k = 0; k < findings.length; k++) {
    const f = findings[k];
    const fromClassifier = f.rule.startsWith('classifier/');
    let narrowed: { start: number; end: number }[] = [];
    if (fromClassifier) {
      if (classifierDone) {
        // Its evidence was replaced as a whole with the first classifier finding's.
        if (out !== null) continue;
      } else {
        narrowed = learnedSpans(spans, a, 0, a.text.length, type);
        if (narrowed.length === 0) narrowed = learnedSpans(spans, a, 0, a.text.length, null);
        classifierDone = true;
      }
    } else if (spansSeveralTokens(a, f.start, f.end)) {
      narrowed = learnedSpans(spans, a, f.start, f.end, type);
    }
    if (narrowed.length === 0) {
      out?.push(f);
      continue;
    }
    out ??= findings.slice(0, k);
    const rule = f.rule + NARROWED;
    for (const s of narrowed) out.push({ category, severity: f.severity, start: s.start, end: s.end, rule });
  }
  return out ?? findings;
}

/**
 * Learned words strong enough to flag on their own (SpanSettings.flag), under the category of
 * their dominant kind, except where a rule of that category already covers the word.
 */
export function learnedFindings(a: Analysis, spans: CompiledSpans, found: readonly (Finding[] | undefined)[], categories: readonly Category[]): Finding[] {
  const flag = spans.settings.flag;
  const out: Finding[] = [];
  if (!flag) return out;
  for (let i = 0; i < a.tokens.length; i++) {
    const w = learnedAt(spans, a, i);
    if (w === undefined || w.marked < flag.marked || w.n < flag.minCount) continue;
    for (const type of flag.categories) {
      if ((w.types[type] ?? 0) < flag.typeShare) continue;
      const category: Category = type === 'vulgarity' ? 'profanity' : type;
      const tok = a.tokens[i];
      const mine = found[categories.indexOf(category)];
      if (mine?.some((f) => f.start <= tok.start && f.end >= tok.end)) continue;
      out.push({ category, severity: flag.severity, start: tok.start, end: tok.end, rule: `spans/${type}/${tok.text}` });
    }
  }
  return out;
}
