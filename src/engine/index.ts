// The moderation engine's public surface. Nothing in src/engine imports I/O, Redis or HTTP.
export { moderate, type ModerateOptions } from './moderate';
export { compilePolicy, type CompiledPolicy } from './compile';
export { describeRule, policyGuide, type PolicyGuide } from './describe';
export { CATEGORIES, DECISIONS, SEVERITIES, type Category, type Decision, type Severity } from './categories';
export * from './verdict';
export { PolicyDocumentSchema, LexiconSchema, type PolicyDocument, type Lexicon } from './policy';
export type { ModerationContext } from './rules';
