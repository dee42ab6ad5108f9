import { z } from 'zod';
import { CATEGORIES, type Category, type Decision, DECISIONS, type Severity } from './categories';
import { IdentityVocabularySchema } from './rules/racism/vocabulary';
import { ThreatLexiconSchema } from './rules/violence/schema';

/** One line a moderator reads on hover: what the rule looks for, not how. */
const RuleDescription = z.string().min(1).max(200);

const ActionRow = z.object({
  high: z.enum(DECISIONS),
  medium: z.enum(DECISIONS),
  low: z.enum(DECISIONS),
});

const DetectorSettings = z.object({
  /** What happens to the comment when this detector throws or overruns its budget. */
  onFailure: z.enum(['hold', 'continue']).default('hold'),
  budgetMs: z.number().positive().default(50),
});

const AllCapsSettings = z.object({
  ratio: z.number().min(0).max(1).default(0.7),
  minCasedLetters: z.number().int().positive().default(12),
  runWords: z.number().int().positive().default(6),
  acronyms: z.array(z.string()).default([]),
});

const SpamSettings = z.object({
  maxLinks: z.number().int().nonnegative().default(2),
  /** How many earlier copies of the same text (site-wide) make a repeat. */
  repeatThreshold: z.number().int().positive().default(3),
});

const ClassifierSettings = z.object({
  /** The model file, relative to the policy file (trained by `npm run train`). */
  model: z.string().min(1),
  /**
   * The calibrated probability of the `offensive` head at which the classifier flags a comment
   * no rule flagged, under the category whose head scores highest. Rules are certain about
   * what they match; the classifier is a second opinion, so a site that wants fewer uncertain
   * holds raises this (docs/EVALUATION.md shows the trade-off).
   */
  flagAt: z.number().min(0).max(1).default(0.7),
  /** Heads that may also flag their own category alone, and at what probability. */
  headFlagAt: z.partialRecord(z.enum(['racism', 'discourtesy', 'vulgarity']), z.number().min(0).max(1)).default({}),
  /** Severity of a flag raised by the classifier alone (medium: held for a moderator by default). */
  severity: z.enum(['low', 'medium', 'high']).default('medium'),
  /** Expected share of flagged comments per head, to re-prior the model for this site. */
  baseRates: z.record(z.enum(['offensive', 'racism', 'discourtesy', 'vulgarity']), z.number().gt(0).lt(1)).optional(),
  /**
   * A model for comments written mostly in Cyrillic (trained on Russian comments), with its own
   * threshold: the English model knows no Cyrillic word, so it would score them by their length
   * and punctuation alone. Absent: every comment goes to `model`.
   */
  cyrillic: z
    .object({
      model: z.string().min(1),
      /** As `flagAt`, for the Cyrillic model's `offensive` head. */
      flagAt: z.number().min(0).max(1),
    })
    .optional(),
});
export type ClassifierSettings = z.infer<typeof ClassifierSettings>;

const SpanSettings = z.object({
  /** The learned span lexicon, relative to the policy file (made by `scripts/train-spans.ts`). */
  lexicon: z.string().min(1),
  /**
   * Inside a flagged phrase, or anywhere in a comment the classifier flagged, the learned words
   * that become the evidence: marked (the share of their occurrences in toxic comments that
   * people marked) at least `narrowAt` and at least `relative` times the region's most-marked
   * word, since people mark the worst words of a comment and leave milder ones. When no word
   * reaches `narrowAt`, the most-marked word alone if it reaches `floor`; else the span as found.
   */
  narrowAt: z.number().min(0).max(1).default(0.3),
  relative: z.number().min(0).max(1).default(0.6),
  floor: z.number().min(0).max(1).default(0.1),
  /**
   * Learned words that flag on their own: a comment whose most-marked word of a listed kind is
   * marked at least `marked` (seen at least `minCount` times, of that kind at least `typeShare`
   * of the time) is flagged, with the words chosen as for narrowing as evidence, each under its
   * kind's category (Profane/Obscene under profanity). Absent: learned words only narrow.
   */
  flag: z
    .object({
      marked: z.number().min(0).max(1),
      /**
       * The same at this marked share in a comment a rule or the classifier already flags (outside
       * all_caps and spam): it adds evidence, never a flag to a comment that had none. Absent:
       * `marked` everywhere.
       */
      alongside: z.number().min(0).max(1).optional(),
      /** And the share of comments containing the word that were judged toxic at least this. */
      toxic: z.number().min(0).max(1).default(0),
      minCount: z.number().int().positive(),
      typeShare: z.number().min(0).max(1),
      /** Kinds that may flag alone; identity words are marked too ("gay"), so racism is best left out. */
      categories: z.array(z.enum(['violence', 'racism', 'vulgarity', 'discourtesy'])),
      severity: z.enum(['low', 'medium', 'high']).default('low'),
      /**
       * Words that never flag alone though people mark them: ones that mostly judge a thing, not
       * a person ("ridiculous", "stupidity": POLICY.md does not flag disagreement with ideas), or
       * that are also plain nouns in the news ("pig"). They still narrow evidence.
       */
      exclude: z.array(z.string()).default([]),
    })
    .optional(),
});
export type SpanSettings = z.infer<typeof SpanSettings>;

/** The policy file a site edits (policies/*.json). Versioned: every verdict records `version`. */
export const PolicyDocumentSchema = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  description: z.string().optional(),
  /** Lexicon files, relative to the policy file. */
  lexicons: z.array(z.string()).min(1),
  actions: z.object(
    Object.fromEntries(CATEGORIES.map((c) => [c, ActionRow])) as Record<Category, typeof ActionRow>,
  ),
  allCaps: AllCapsSettings.default(AllCapsSettings.parse({})),
  spam: SpamSettings.default(SpamSettings.parse({})),
  detectors: z.record(z.string(), DetectorSettings).default({}),
  /**
   * How much of a comment is scored, in UTF-16 units: the rest is not read, and the verdict says
   * where it was cut (`cut`). The engine's cost is linear in what it reads, so this bounds the
   * time one comment holds the process. 20,000 is any comment the API accepts (10,000
   * characters, two units for some); Coral and Perspective requests may carry up to 100,000.
   */
  maxChars: z.number().int().min(1000).default(20_000),
  classifier: ClassifierSettings.optional(),
  /** Evidence narrowed to the words people mark (and optionally flags from them). */
  spans: SpanSettings.optional(),
  /**
   * What each rule of the engine's readers means, for a moderator (the dashboard shows it beside
   * the rule id): keyed by rule id (`threat/wish`, `caps/run`, `classifier/offensive`), by
   * `<prefix>/*` for a family whose last part is a word (`spans/discourtesy/*`), and by
   * `#<reading>` for how a lexicon word was disguised (`#masked`). Lexicon words and phrases
   * carry theirs in the lexicon files.
   */
  ruleDescriptions: z.record(z.string().min(1), RuleDescription).default({}),
});
export type PolicyDocument = z.infer<typeof PolicyDocumentSchema>;

const TermSchema = z.object({
  /** The root as a human writes it; normalised the same way as comment text at compile time. */
  root: z.string().min(1),
  category: z.enum(CATEGORIES),
  severity: z.enum(['low', 'medium', 'high']),
  /**
   * word: the token is the root or one of `forms`; prefix: the token starts with the root
   * (covers inflections); substring: the root anywhere in the token (only for roots no
   * innocent word contains); regex: `root` is a regular expression tested on the token.
   */
  match: z.enum(['word', 'prefix', 'substring', 'regex']).default('word'),
  forms: z.array(z.string()).default([]),
  /** Common enough to be guessed from a masked spelling such as f*** or b***h. */
  maskable: z.boolean().default(false),
  /** Also a given name or surname ("Dick Cheney"): skipped when written as part of a name. */
  name: z.boolean().default(false),
  /**
   * What the word is, for a moderator. Without one, the lexicon's `wordDescriptions` for the
   * term's category and the root say it; a regex term's rule id is its pattern, so it needs its own.
   */
  description: RuleDescription.optional(),
});
export type Term = z.infer<typeof TermSchema>;

const PhraseSchema = z.object({
  id: z.string().min(1),
  category: z.enum(CATEGORIES),
  severity: z.enum(['low', 'medium', 'high']),
  /**
   * A regular expression over the comment's normalised words joined by single spaces
   * (sentence ends become " . "). `@name` expands to the alternation of macro `name`.
   */
  pattern: z.string().min(1),
  /** What the pattern finds, for a moderator (its id and pattern are for whoever maintains it). */
  description: RuleDescription.optional(),
});
export type Phrase = z.infer<typeof PhraseSchema>;

/** A lexicon file (policies/lexicons/*.json): data, so a site can extend it without code. */
export const LexiconSchema = z.object({
  lang: z.string().min(2),
  description: z.string().optional(),
  /** What a word of each category in this lexicon is, for a moderator ("An English swear word"). */
  wordDescriptions: z.partialRecord(z.enum(CATEGORIES), RuleDescription).default({}),
  terms: z.array(TermSchema).default([]),
  /** Innocent words that contain a bad substring (Scunthorpe, cocktail, assassin). */
  allow: z.array(z.string()).default([]),
  /**
   * Phrases (same syntax as phrase patterns) inside which no lexicon word counts: idioms and
   * names such as "a chink in the armour" or "Pussy Riot".
   */
  allowPhrases: z.array(z.string()).default([]),
  macros: z.record(z.string(), z.array(z.string())).default({}),
  phrases: z.array(PhraseSchema).default([]),
  /** The words of identity attacks without slurs (group + predicate), read by the racism rule. */
  identity: IdentityVocabularySchema.optional(),
  /** What the violence rule's clause reader reads: intents, harms, targets and exemptions. */
  threats: ThreatLexiconSchema.optional(),
  /**
   * Word lists taken from an npm package at load time (resolved by src/policies.ts, never by the
   * engine): every entry becomes a `word` term unless excluded or already covered.
   */
  imports: z
    .array(
      z.object({
        package: z.enum(['bad-words']),
        category: z.enum(CATEGORIES),
        severity: z.enum(['low', 'medium', 'high']),
        /** What an imported word is, for a moderator. */
        description: RuleDescription.optional(),
        exclude: z.array(z.string()).default([]),
      }),
    )
    .default([]),
});
export type Lexicon = z.infer<typeof LexiconSchema>;

export function actionFor(policy: PolicyDocument, category: Category, severity: Severity): Decision {
  return policy.actions[category][severity];
}
