import { z } from 'zod';

/**
 * A token pattern: words separated by spaces. `a|b` is one word among several (a trailing `|`
 * makes the word optional), `~N` skips up to N words, `{target}` is a person, name, pronoun or
 * group with up to three words before it, `{poss}` a possessive (his, your, Assad's). The first
 * item is a word: patterns are looked up by their first word.
 */
const TokenPattern = z.string().regex(/^[^\s{~|][^\s|]*(?:\|[^\s|]*)*(?: (?:~[1-9]|\{target\}|\{poss\}|[^\s{~]\S*))*$/, 'a token pattern starts with a word');

const Entry = z.object({
  pattern: TokenPattern,
  severity: z.enum(['low', 'medium', 'high']).default('medium'),
  /**
   * Where the person threatened is, when the pattern has no {target} or {poss} of its own:
   * after it (the object), before it (the subject: "his days are numbered"), or nowhere needed.
   */
  target: z.enum(['object', 'subject', 'none']).default('object'),
});

/** The clause reader's word lists (lexicon field `threats`); lists of several lexicons are merged. */
export const ThreatLexiconSchema = z.object({
  /** How many words may sit between an intent and its harm, before a subject, after an object. */
  window: z
    .object({ intentToHarm: z.number().int().min(0).max(8), subject: z.number().int().min(1).max(8), object: z.number().int().min(1).max(8) })
    .optional(),
  /** Words that make a clause a threat, a call or a wish rather than a report. */
  intents: z
    .object({
      first_person: z.array(TokenPattern).default([]),
      obligation: z.array(TokenPattern).default([]),
      call: z.array(TokenPattern).default([]),
      wish: z.array(TokenPattern).default([]),
    })
    .default({ first_person: [], obligation: [], call: [], wish: [] }),
  /** Words that may come before a clause-opening verb without stopping it being an order ("just kill him"). */
  imperativeLead: z.array(z.string().min(1)).default([]),
  /** Verbs opening an order that a second order may follow after "and" ("Go to the hotel and shoot them"). */
  orderOpeners: z.array(z.string().min(1)).default([]),
  harm: z
    .object({
      /** Harm done to someone named after it ("kill him"), unless the pattern names them itself. */
      object: z.array(TokenPattern).default([]),
      /** Harm that happens to the subject ("he should hang", "Putin deserves to be shot"). */
      subject: z.array(TokenPattern).default([]),
    })
    .default({ object: [], subject: [] }),
  /** Veiled harm ("take him out", "put them against the wall"): needs an intent like a harm verb. */
  euphemisms: z.array(Entry).default([]),
  /** Threats in their own right, intent included ("we know where you live", "watch your back"). */
  standalone: z.array(Entry).default([]),
  targets: z
    .object({
      /** Pronouns, people, roles and groups. */
      words: z.array(z.string().min(1)).default([]),
      /** Names known without a capital letter; any capitalised word not in `notNames` is a name too. */
      names: z.array(z.string().min(1)).default([]),
      possessive: z.array(z.string().min(1)).default([]),
      /** What a possessive must own to make the owner the one harmed ("slit Assad's throat", not "kill Trump's tariffs"). */
      possessed: z.array(z.string().min(1)).default([]),
      /** Capitalised words that are places, institutions or days, not people. */
      notNames: z.array(z.string().min(1)).default([]),
      /** Words that are people when "who" follows ("those who shelled Kharkiv", not "burn those bridges"). */
      withWho: z.array(z.string().min(1)).default([]),
      /** Pronouns that are a target before the harm only ("he should hang", never "burn where they belong"). */
      subjectOnly: z.array(z.string().min(1)).default([]),
    })
    .default({ words: [], names: [], possessive: [], possessed: [], notNames: [], withWho: [], subjectOnly: [] }),
  /** Before the harm, these cancel it: "should not be executed", "must stop bombing". */
  negations: z.array(z.string().min(1)).default([]),
  /** Verbs of saying: the clause reports someone else's words ("Medvedev posted that ..."). */
  reporting: z.array(z.string().min(1)).default([]),
  /** A reporting verb after these is not a report: the commenter's own voice ("I say we hang them"), a relative clause ("the reporter who wrote this"). */
  speakers: z.array(z.string().min(1)).default([]),
  /** Figurative uses of harm words: their words are never a harm ("chokes on his own lies", "kill the bill"). */
  idioms: z.array(TokenPattern).default([]),
});
export type ThreatLexicon = z.infer<typeof ThreatLexiconSchema>;
