import { type Classifier, createClassifier } from './classifier/score';
import { type CompiledLexicons, compileLexicons, foldTerm } from './lexicon';
import { type Lexicon, LexiconSchema, type PolicyDocument, PolicyDocumentSchema } from './policy';

/** A policy ready to run: the document as written, plus its lexicons compiled to lookup tables. */
export interface CompiledPolicy {
  doc: PolicyDocument;
  lexicon: CompiledLexicons;
  acronyms: Set<string>;
  /** Present when the policy names a model (and the caller handed its JSON over). */
  classifier: Classifier | null;
}

/**
 * Validates and compiles a policy. Pure: the caller reads the files (src/policies.ts) and hands
 * over their parsed JSON, so the engine can be used in a browser or a test without a disk.
 */
export function compilePolicy(doc: unknown, lexicons: unknown[], classifierModel?: unknown): CompiledPolicy {
  const policy = PolicyDocumentSchema.parse(doc);
  const classifier =
    policy.classifier && classifierModel !== undefined
      ? createClassifier(classifierModel, { baseRates: policy.classifier.baseRates })
      : null;
  const lexs: Lexicon[] = lexicons.map((l) => LexiconSchema.parse(l));
  const lexicon = compileLexicons(lexs);
  // V8 compiles a regular expression on first use, once for one-byte and once for two-byte
  // strings; do both now rather than inside the first comment's time budget.
  for (let i = 0; i < 3; i++) {
    for (const sample of ['warm up the phrase patterns . you are . i will', 'прогрев . ты . я тебя . you are']) {
      for (const p of lexicon.phrases) {
        p.re.lastIndex = 0;
        p.re.exec(sample);
      }
      for (const r of lexicon.regexes) r.re.test(sample);
    }
  }
  return { doc: policy, lexicon, acronyms: new Set(policy.allCaps.acronyms.map(foldTerm)), classifier };
}
