// The moderation engine's public surface. Nothing in src/engine imports I/O, Redis or HTTP.
export { moderate, type ModerateOptions } from './moderate';
export { compilePolicy, type CompiledPolicy } from './compile';
export { describeRule, policyGuide, type PolicyGuide } from './describe';
export { CATEGORIES, DECISIONS, SEVERITIES, type Category, type Decision, type Severity } from './categories';
export * from './verdict';
export { PolicyDocumentSchema, LexiconSchema, type PolicyDocument, type Lexicon } from './policy';
export type { ModerationContext } from './rules';
// The classifier's file format and features, for the training tools (scripts/classifier/train.ts):
// a model is only valid for the features the scorer extracts, so training uses these very ones.
export { type ClassifierHead, type ClassifierModel, ClassifierModelSchema, type Head, HEADS } from './classifier/model';
export { extractFeatures, FeatureBuffer, type FeatureConfig, type LexiconHit, mix32, type NameSet, nameHash } from './classifier/features';
export { encodeBase64, uint32ToBytes } from './classifier/codec';
export { type Token, tokenize } from './normalize/tokenize';
