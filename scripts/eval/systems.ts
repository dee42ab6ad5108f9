/**
 * The three systems under evaluation, behind one small interface so every section runs them the
 * same way on the same text.
 */
import { Filter } from 'bad-words';
import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from 'obscenity';
import { type Assessment, CATEGORIES, type Category, type CompiledPolicy, moderate } from '../../src/engine';
import type { CharSpan } from './span-f1';

/** The npm filters answer one question: is this text profane. */
export interface Baseline {
  name: string;
  isFlagged: (text: string) => boolean;
  /** What fired, for the human reading a false positive. Only called on flagged texts. */
  explain: (text: string) => string[];
  /** Where in the text it sees something profane, for the span metric. */
  spans: (text: string) => CharSpan[];
}

function escapeRegExp(s: string): string {
  return s.replace(/(\W)/g, '\\$1');
}

export function badWordsBaseline(): Baseline {
  const filter = new Filter();
  // isProfane's per-word test, made global to find every occurrence of every listed word.
  let listed: RegExp[] | null = null;
  const patterns = () =>
    (listed ??= filter.list
      .filter((word) => !filter.exclude.includes(word.toLowerCase()))
      .map((word) => new RegExp(`\\b${escapeRegExp(word)}\\b`, 'gi')));
  return {
    name: 'bad-words',
    isFlagged: (text) => filter.isProfane(text),
    // bad-words only says yes or no; this repeats isProfane's own per-word test (same regex,
    // same exclude list) to name the words. The verdict itself always comes from isProfane.
    explain: (text) =>
      filter.list.filter(
        (word) => !filter.exclude.includes(word.toLowerCase()) && new RegExp(`\\b${escapeRegExp(word)}\\b`, 'i').test(text),
      ),
    // bad-words has no positions: the words of its list the text contains, as isProfane tests them.
    spans: (text) => {
      const out: CharSpan[] = [];
      for (const re of patterns()) {
        re.lastIndex = 0;
        for (let m = re.exec(text); m !== null; m = re.exec(text)) {
          if (m[0].length === 0) re.lastIndex++;
          else out.push({ start: m.index, end: m.index + m[0].length });
        }
      }
      return out;
    },
  };
}

export function obscenityBaseline(): Baseline {
  const matcher = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
  return {
    name: 'obscenity',
    isFlagged: (text) => matcher.hasMatch(text),
    explain: (text) =>
      matcher.getAllMatches(text, true).map((m) => {
        const word = englishDataset.getPayloadWithPhraseMetadata(m).phraseMetadata?.originalWord ?? `term ${m.termId}`;
        return `${word} ("${text.slice(m.startIndex, m.endIndex + 1)}")`;
      }),
    // obscenity's match positions; its endIndex is inclusive.
    spans: (text) => matcher.getAllMatches(text).map((m) => ({ start: m.startIndex, end: m.endIndex + 1 })),
  };
}

export function flaggedCategories(a: Assessment): Category[] {
  return CATEGORIES.filter((c) => a.categories[c].flagged);
}

/** "category: rule ("matched text")" for each piece of evidence, for reports. */
export function describeEvidence(a: Assessment, only?: readonly Category[]): string[] {
  const out: string[] = [];
  for (const c of only ?? flaggedCategories(a)) {
    for (const e of a.categories[c].evidence) out.push(`${c}: ${e.rule} ("${e.text}")`);
  }
  return out;
}

/** One text as seen by every system. */
export interface Outputs {
  decorum: Assessment;
  badWords: boolean;
  obscenity: boolean;
}

export interface Systems {
  policy: CompiledPolicy;
  badWords: Baseline;
  obscenity: Baseline;
  run(text: string): Outputs;
  /** Every detector failure (error or overrun) seen so far, as "detector reason". */
  failures(): string[];
}

export function makeSystems(policy: CompiledPolicy): Systems {
  const badWords = badWordsBaseline();
  const obscenity = obscenityBaseline();
  // One cold call first: regex compilation on the first comment could overrun a detector's time
  // budget, and a fail-closed overrun would be scored as a hold the rules never made.
  moderate('warm-up', policy);
  // Kept so the report can say whether a score reflects the rules or a detector that gave up.
  const failures: string[] = [];
  return {
    policy,
    badWords,
    obscenity,
    run: (text) => {
      const decorum = moderate(text, policy);
      for (const f of decorum.failures) failures.push(`${f.detector} ${f.reason}`);
      return { decorum, badWords: badWords.isFlagged(text), obscenity: obscenity.isFlagged(text) };
    },
    failures: () => [...failures],
  };
}

/** A yes/no reading of a system's output: "should this comment be flagged". */
export interface BinaryPredictor {
  name: string;
  baseline: boolean;
  flagged: (o: Outputs) => boolean;
  /** The same system's reading of "is this profanity", where it has one. */
  profanity?: (o: Outputs) => boolean;
}

/** The categories the labelled sets annotate (through the README's mapping): not all_caps, not spam. */
export const ANNOTATED: readonly Category[] = ['violence', 'racism', 'profanity', 'vulgarity', 'discourtesy'];

export const BINARY_PREDICTORS: readonly BinaryPredictor[] = [
  // The primary reading: no set labels shouting or spam, so a flag there can't be scored right
  // or wrong against them (README of the datasets: "No set here labels all-caps").
  {
    name: 'Decorum (an annotated category flagged)',
    baseline: false,
    flagged: (o) => ANNOTATED.some((c) => o.decorum.categories[c].flagged),
    profanity: (o) => o.decorum.categories.profanity.flagged,
  },
  {
    name: 'Decorum (any category flagged)',
    baseline: false,
    flagged: (o) => flaggedCategories(o.decorum).length > 0,
    profanity: (o) => o.decorum.categories.profanity.flagged,
  },
  // A low-severity profanity or all-caps flag is approved by the default policy, so the
  // decision is the stricter reading of what a reader would actually stop seeing.
  { name: 'Decorum (decision ≠ approved)', baseline: false, flagged: (o) => o.decorum.decision !== 'approved' },
  // The npm filters only know profanity: their one answer is read as both.
  { name: 'bad-words', baseline: true, flagged: (o) => o.badWords, profanity: (o) => o.badWords },
  { name: 'obscenity', baseline: true, flagged: (o) => o.obscenity, profanity: (o) => o.obscenity },
];
