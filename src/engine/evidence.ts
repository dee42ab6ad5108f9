import type { Analysis, Finding } from './analyze';
import type { Category } from './categories';
import { foldTerm } from './lexicon';
import type { SpanSettings } from './policy';
import { type LearnedWord, type SpanLexicon, SpanLexiconSchema, spanKey, SPAN_TYPES, type SpanType } from './span-lexicon';

/** The span lexicon of a policy, ready for lookups by a token's folded text. */
export interface CompiledSpans {
  settings: SpanSettings;
  words: Map<string, LearnedWord>;
  /** Learned words that may not flag alone (SpanSettings.flag.exclude), folded as keys are. */
  noFlag: Set<LearnedWord>;
}

export function compileSpans(settings: SpanSettings, lexicon: unknown): CompiledSpans {
  const parsed: SpanLexicon = SpanLexiconSchema.parse(lexicon);
  const words = new Map(Object.entries(parsed.words));
  const noFlag = new Set<LearnedWord>();
  for (const w of settings.flag?.exclude ?? []) {
    const entry = words.get(spanKey(foldTerm(w)));
    if (entry) noFlag.add(entry);
  }
  return { settings, words, noFlag };
}

/**
 * The kind of marked span that narrows each category; the data lumps profanity with vulgarity.
 * Not violence: a threat is its clause (intent, harm and target together), not a word in it, and
 * "shoot" alone would tell a moderator less than "someone should shoot Lavrov".
 */
const SPAN_TYPE: Partial<Record<Category, SpanType>> = {
  racism: 'racism',
  profanity: 'vulgarity',
  vulgarity: 'vulgarity',
  discourtesy: 'discourtesy',
};

/** The category a kind of span flags on its own: swearing is the bulk of Profane/Obscene. */
const CATEGORY_OF: Record<SpanType, Category> = { violence: 'violence', racism: 'racism', vulgarity: 'profanity', discourtesy: 'discourtesy' };

/**
 * A learned word counts for a category when at least this share of its typed marks are of that
 * kind: "idiot" (96 % insult) narrows a discourtesy flag, "gay" (56 % identity) does not.
 */
const TYPE_SHARE = 0.2;

/** The suffix of a rule id whose span the learned lexicon chose, so a moderator can tell. */
export const NARROWED = '#spans';

/** Characters a word token may end with that people leave out of a mark ("idiots!!!"). */
const TRAILING_MARKS = new Set(['!', '|', '+']);

function lookupLearned(spans: CompiledSpans, text: string, read: { form: string } | null): LearnedWord | null {
  // An obfuscated word (a**hole) is looked up as the lexicon read it.
  return spans.words.get(spanKey(text)) ?? (read ? spans.words.get(read.form) : undefined) ?? null;
}

/**
 * Per token, its learned word, or undefined. A word with a memo record keeps its entry there
 * (found again for the span lexicon it was looked up in), so a comment costs a property read per
 * known word, not a Map lookup.
 */
export function learnedWords(a: Analysis, spans: CompiledSpans): (LearnedWord | undefined)[] {
  const out: (LearnedWord | undefined)[] = new Array(a.tokens.length);
  for (let i = 0; i < a.tokens.length; i++) {
    const tok = a.tokens[i];
    if (tok.kind !== 'word') continue;
    const memo = a.words[i];
    if (memo === undefined) {
      out[i] = lookupLearned(spans, tok.text, null) ?? undefined;
      continue;
    }
    if (memo.learnedOf !== spans.words) {
      memo.learned = lookupLearned(spans, tok.text, memo.read);
      memo.learnedOf = spans.words;
    }
    out[i] = memo.learned ?? undefined;
  }
  return out;
}

function wordEnd(a: Analysis, i: number): number {
  const tok = a.tokens[i];
  let end = tok.end;
  while (end > tok.start + 1 && TRAILING_MARKS.has(a.text[end - 1])) end--;
  return end;
}

/**
 * The marked share from which words of a region are evidence, given its most-marked word:
 * SpanSettings.narrowAt, relative and floor. Infinity when none qualifies.
 */
function cutFor(settings: SpanSettings, top: number): number {
  if (top >= settings.narrowAt) return Math.max(settings.narrowAt, settings.relative * top);
  return top >= settings.floor ? top : Infinity;
}

/** The first token that starts at or after `pos`. */
function firstTokenFrom(a: Analysis, pos: number): number {
  let lo = 0;
  let hi = a.tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a.tokens[mid].start < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Tokens in [start, end) with a learned word of `type` (null: any kind), as indexes. */
function candidates(a: Analysis, learned: readonly (LearnedWord | undefined)[], start: number, end: number, type: SpanType | null): number[] {
  const out: number[] = [];
  for (let i = firstTokenFrom(a, start); i < a.tokens.length && a.tokens[i].end <= end; i++) {
    const w = learned[i];
    if (w !== undefined && (type === null || (w.types[type] ?? 0) >= TYPE_SHARE)) out.push(i);
  }
  return out;
}

/** Whether text[start, end) is one or more spaces or tabs. */
function isSpaces(text: string, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) if (text.charCodeAt(i) !== 32 && text.charCodeAt(i) !== 9) return false;
  return true;
}

/**
 * The chosen words as spans; words next to each other with only spaces between make one span,
 * as people mark "stupid idiot".
 */
function toSpans(a: Analysis, chosen: readonly number[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let previous = -2;
  for (const i of chosen) {
    const tok = a.tokens[i];
    const last = out[out.length - 1];
    if (previous === i - 1 && last && isSpaces(a.text, last.end, tok.start)) last.end = wordEnd(a, i);
    else out.push({ start: tok.start, end: wordEnd(a, i) });
    previous = i;
  }
  return out;
}

/** The learned words of `type` (null: any kind) in [start, end) that are evidence (cutFor), as token indexes. */
function chosenWords(
  spans: CompiledSpans,
  a: Analysis,
  learned: readonly (LearnedWord | undefined)[],
  start: number,
  end: number,
  type: SpanType | null,
): number[] {
  const found = candidates(a, learned, start, end, type);
  if (found.length === 0) return found;
  let top = 0;
  for (const i of found) if (learned[i]!.marked > top) top = learned[i]!.marked;
  const cut = cutFor(spans.settings, top);
  return found.filter((i) => learned[i]!.marked >= cut);
}

/**
 * The classifier's evidence: the comment's chosen words (cut against its most-marked word of any
 * kind), those of the category's kind if there are any, else all of them. Cutting against the
 * category's own words instead let "Muslims" explain a racism flag on a comment whose marked
 * word is "stupidity": people mark the worst words of a comment, whatever the flag's category.
 */
function classifierWords(spans: CompiledSpans, a: Analysis, learned: readonly (LearnedWord | undefined)[], type: SpanType): number[] {
  const all = chosenWords(spans, a, learned, 0, a.text.length, null);
  const mine = all.filter((i) => (learned[i]!.types[type] ?? 0) >= TYPE_SHARE);
  return mine.length > 0 ? mine : all;
}

/** Whether [start, end) holds more than one token: a phrase or a clause, not a word. */
function spansSeveralTokens(a: Analysis, start: number, end: number): boolean {
  const i = firstTokenFrom(a, start);
  return i + 1 < a.tokens.length && a.tokens[i + 1].start < end;
}

/**
 * A category's findings with their evidence narrowed to the words people mark. A phrase match
 * ("only a brainwashed sheep would believe this") becomes its learned words of the category's
 * kind; the classifier, which read the whole comment, is explained by the comment's chosen
 * learned words of the category's kind, else by its chosen words of any kind (its category is a
 * guess when the `offensive` head flagged). A finding with no learned word inside keeps its span. Single words
 * (lexicon terms) are already as narrow as evidence gets.
 */
export function narrowFindings(
  findings: Finding[],
  category: Category,
  a: Analysis,
  spans: CompiledSpans,
  learned: readonly (LearnedWord | undefined)[],
): Finding[] {
  const type = SPAN_TYPE[category];
  if (type === undefined) return findings;
  let out: Finding[] | null = null;
  let classifierNarrowed: boolean | null = null;
  for (let k = 0; k < findings.length; k++) {
    const f = findings[k];
    let narrowed: { start: number; end: number }[] = [];
    if (f.rule.startsWith('classifier/')) {
      // The classifier's findings are its top words: they are replaced as a whole, by the first.
      if (classifierNarrowed === true) continue;
      if (classifierNarrowed === null) {
        narrowed = toSpans(a, classifierWords(spans, a, learned, type));
        classifierNarrowed = narrowed.length > 0;
      }
    } else if (spansSeveralTokens(a, f.start, f.end)) {
      narrowed = toSpans(a, chosenWords(spans, a, learned, f.start, f.end, type));
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
 * Learned words that flag on their own (SpanSettings.flag): when the comment's most-marked word
 * of a listed kind is strong enough, it and the words chosen with it (as for narrowing) are
 * findings under their kind's category, except where a rule of that category covers the word.
 * In a comment another annotated category already flags, the word needs only `alongside`: the
 * comment is flagged either way, and people mark its insults as well as the swearing a rule found.
 */
export function learnedFindings(
  a: Analysis,
  spans: CompiledSpans,
  learned: readonly (LearnedWord | undefined)[],
  found: readonly (Finding[] | undefined)[],
  categories: readonly Category[],
): Finding[] {
  const flag = spans.settings.flag;
  const out: Finding[] = [];
  if (!flag) return out;
  const eligible: { i: number; w: LearnedWord; type: SpanType }[] = [];
  let top = 0;
  for (let i = 0; i < a.tokens.length; i++) {
    const w = learned[i];
    if (w === undefined) continue;
    const type = kindOf(w, flag.categories, flag.typeShare);
    if (type === null) continue;
    eligible.push({ i, w, type });
    if (w.n >= flag.minCount && w.toxic >= flag.toxic && w.marked > top && !spans.noFlag.has(w)) top = w.marked;
  }
  if (top < (flag.alongside !== undefined && flaggedElsewhere(found, categories) ? flag.alongside : flag.marked)) return out;
  const cut = cutFor(spans.settings, top);
  for (const { i, w, type } of eligible) {
    if (w.marked < cut) continue;
    const category = CATEGORY_OF[type];
    const tok = a.tokens[i];
    const mine = found[categories.indexOf(category)];
    if (mine?.some((f) => f.start <= tok.start && f.end >= tok.end)) continue;
    out.push({ category, severity: flag.severity, start: tok.start, end: wordEnd(a, i), rule: `spans/${type}/${spanKey(tok.text)}` });
  }
  return out;
}

/** Categories that say nothing about which words are toxic: their evidence is the whole comment. */
const WHOLE_COMMENT: ReadonlySet<Category> = new Set(['all_caps', 'spam']);

/** Whether a rule or the classifier flagged a category whose evidence names words. */
function flaggedElsewhere(found: readonly (Finding[] | undefined)[], categories: readonly Category[]): boolean {
  for (let c = 0; c < found.length; c++) if (found[c] !== undefined && found[c]!.length > 0 && !WHOLE_COMMENT.has(categories[c])) return true;
  return false;
}

/** The word's most frequent kind among those allowed to flag, if it has at least `share` of the marks. */
function kindOf(w: LearnedWord, allowed: readonly SpanType[], share: number): SpanType | null {
  let best: SpanType | null = null;
  let bestShare = 0;
  for (const type of SPAN_TYPES) {
    const s = w.types[type] ?? 0;
    if (s > bestShare) {
      bestShare = s;
      best = type;
    }
  }
  return best !== null && bestShare >= share && allowed.includes(best) ? best : null;
}
