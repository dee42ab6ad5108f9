import { type Classifier, createClassifier } from './classifier/score';
import { compileSpans, type CompiledSpans } from './evidence';
import { type PolicyGuide, policyGuide } from './describe';
import { type CompiledLexicons, compileLexicons, foldTerm } from './lexicon';
import { type ClassifierSettings, type Lexicon, LexiconSchema, type PolicyDocument, PolicyDocumentSchema } from './policy';
import { type CompiledIdentity, compileIdentity } from './rules/racism/vocabulary';
import { type CompiledThreats, compileThreats } from './rules/violence/compile';

/** A policy ready to run: the document as written, plus its lexicons compiled to lookup tables. */
export interface CompiledPolicy {
  doc: PolicyDocument;
  lexicon: CompiledLexicons;
  /** The violence rule's clause reader lists, from the lexicons' `threats` sections. */
  threats: CompiledThreats | null;
  acronyms: Set<string>;
  /** The identity sections of the lexicons merged (rules/racism), null when no lexicon has one. */
  identity: CompiledIdentity | null;
  /** Present when the policy names a model (and the caller handed its JSON over). */
  classifier: Classifier | null;
  /** The model for mostly-Cyrillic comments and the settings it flags with, when the policy names one. */
  cyrillic: { classifier: Classifier; settings: ClassifierSettings } | null;
  /** Present when the policy names a span lexicon (and the caller handed its JSON over). */
  spans: CompiledSpans | null;
  /** What each rule id and score means, for a moderator. */
  guide: PolicyGuide;
}

/**
 * Validates and compiles a policy. Pure: the caller reads the files (src/policies.ts) and hands
 * over their parsed JSON, so the engine can be used in a browser or a test without a disk.
 */
export function compilePolicy(
  doc: unknown,
  lexicons: unknown[],
  classifierModel?: unknown,
  cyrillicModel?: unknown,
  spanLexicon?: unknown,
): CompiledPolicy {
  const policy = PolicyDocumentSchema.parse(doc);
  const classifier =
    policy.classifier && classifierModel !== undefined
      ? createClassifier(classifierModel, { baseRates: policy.classifier.baseRates })
      : null;
  const settings = policy.classifier;
  const cyrillic =
    settings?.cyrillic && cyrillicModel !== undefined
      ? {
          classifier: createClassifier(cyrillicModel),
          // Only `offensive` flags: the Russian data has one label, so the other heads only say
          // which category a flag is filed under.
          settings: { ...settings, flagAt: settings.cyrillic.flagAt, headFlagAt: {} },
        }
      : null;
  const lexs: Lexicon[] = lexicons.map((l) => LexiconSchema.parse(l));
  const lexicon = compileLexicons(lexs);
  warmUp(lexicon);
  const identity = compileIdentity(lexs.flatMap((l) => (l.identity ? [l.identity] : [])));
  const threats = compileThreats(lexs.flatMap((l) => (l.threats ? [l.threats] : [])));
  const spans = policy.spans && spanLexicon !== undefined ? compileSpans(policy.spans, spanLexicon) : null;
  const guide = policyGuide(policy, lexs);
  return { doc: policy, lexicon, threats, acronyms: new Set(policy.allCaps.acronyms.map(foldTerm)), classifier, cyrillic, identity, spans, guide };
}

/**
 * V8 compiles a regular expression on first use, once for one-byte and once for two-byte
 * strings: do both now rather than inside the first comment's time budget. The samples are
 * over 1,000 characters because on a subject that long V8 compiles native code straight
 * away; a short one goes through its bytecode tier first, whose optimiser took ~0.6 s on
 * these patterns, and then compiles native code anyway on the next use.
 */
const WARM_UP = ['warm up the phrase patterns . you are . i will '.repeat(25), 'прогрев . ты . я тебя . you are '.repeat(40)];

function warmUp(lexicon: CompiledLexicons): void {
  for (const sample of WARM_UP) {
    for (const p of lexicon.phrases) {
      p.re.lastIndex = 0;
      p.re.test(sample);
    }
    if (lexicon.allowPhrase) {
      lexicon.allowPhrase.lastIndex = 0;
      lexicon.allowPhrase.test(sample);
    }
    for (const r of lexicon.regexes) r.re.test(sample);
  }
}
