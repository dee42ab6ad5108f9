import { z } from 'zod';
import { SEVERITIES, type Severity } from '../../categories';
import { foldTerm } from '../../lexicon';

/**
 * Entries are words or phrases of words as a comment would write them; a word ending in "*"
 * matches any word it begins ("breed*": breeds, breeding).
 */
const Phrases = z.array(z.string().min(1)).default([]);

/** What a group is said to be, strongest first: the order decides a finding's rule id. */
export const PREDICATE_KINDS = ['dehumanising', 'exclusion', 'essentialising', 'sweeping'] as const;
export type PredicateKind = (typeof PREDICATE_KINDS)[number];

const Predicates = z.object({
  /** Animals, vermin, disease: "are rats", "breed like", "a cancer". */
  dehumanising: Phrases,
  /** Calls to expel or keep out: "should be sent back", "don't belong here". */
  exclusion: Phrases,
  /** A trait said to be inborn: "genetically", "by nature", "in their blood", "mentality". */
  essentialising: Phrases,
  /** A negative trait pinned on every member: "thieves", "lazy", "mentally ill". */
  sweeping: Phrases,
});

const SeverityByKind = z.object(
  Object.fromEntries(PREDICATE_KINDS.map((k) => [k, z.enum(SEVERITIES).default(k === 'sweeping' ? 'medium' : 'high')])) as Record<
    PredicateKind,
    z.ZodDefault<z.ZodEnum<{ low: 'low'; medium: 'medium'; high: 'high' }>>
  >,
);

/**
 * The words the identity reader (racism rule) works from: who a comment can talk about as a
 * group, what it can say of them, and the words that show it reports or condemns the saying.
 */
export const IdentityVocabularySchema = z.object({
  /** Plural nouns naming a people: "russians", "jews", "women", "migrants". */
  groups: Phrases,
  /** One member of a people ("chechen", "jew", "woman"): a group only after a quantifier. */
  members: Phrases,
  /** Words that name a people before a noun: "russian", "muslim", "gay", "disabled". */
  adjectives: Phrases,
  /** After an adjective, a people: "people", "men", "immigrants", "speakers". */
  peopleNouns: Phrases,
  /** After an adjective, an institution, which may be criticised: "army", "government". */
  institutionNouns: Phrases,
  /** Institutions and their figureheads on their own: "the kremlin", "putin". */
  institutions: Phrases,
  /** Before a member, make it stand for its people: "every", "typical", "an". */
  quantifiers: Phrases,
  /** Before a member followed by a pause, a stereotype on its own: "Typical Jew." */
  stereotypeMarkers: Phrases,
  /** Before a group, a handful of its members rather than all: "two", "several", "some". */
  specifiers: Phrases,
  /** Before a group, the writer counts themself in it: "as a", "i am". */
  selfIdentification: Phrases,
  predicates: Predicates.default(Predicates.parse({})),
  /** Predicates written before the group: "deport all ...", "never trust a ...". */
  leading: Predicates.partial().default({}),
  /**
   * What may stand between a group and a sweeping or one-word dehumanising predicate, so that
   * "Syrians are dirty thieves" counts and "Syrians drinking dirty water" does not.
   */
  links: Phrases,
  /** Verbs that say what a group is ("are", "remain"): what follows one is said of the group. */
  copulas: Phrases,
  /** Habits that make a sweeping claim when two or more are listed: "steal, drink, lie". */
  vices: Phrases,
  /** Refer back to a group named up to `pronounReach` sentences earlier: "they", "their". */
  pronouns: Phrases,
  /** Inside a predicate, refer back like a pronoun ("in their blood"); before one, they own it ("their slaves"). */
  possessives: Phrases,
  /** Between the group and the predicate, or right before the group ("not all"). */
  negations: Phrases,
  /** Between the group and a predicate, hand the predicate to someone else: "who", "fleeing". */
  breaks: Phrases,
  /** In the same sentence, mark the claim as condemned or reported: "racist", "stereotype". */
  condemnations: Phrases,
  /** Phrases that contain a condemnation word but are not one: "not racist", "call me racist". */
  notCondemnations: Phrases,
  /** Before the group, quote the claim to discuss it: "calling", "refer to". */
  reportFrames: Phrases,
  /** Right before a slur, the slur is being talked about: "the word", "the term". */
  mentionFrames: Phrases,
  /** Right after a quoted slur, the slur is being talked about: "is", "means". */
  mentionVerbs: Phrases,
  severity: SeverityByKind.default(SeverityByKind.parse({})),
  /** How many words may stand between a group and what is said of it. */
  reach: z.number().int().positive().default(10),
  /** How many sentences back a pronoun may find its group. */
  pronounReach: z.number().int().nonnegative().default(2),
});
export type IdentityVocabulary = z.infer<typeof IdentityVocabularySchema>;

export const MARKS = [
  'group',
  'member',
  'adjective',
  'people',
  'institutionNoun',
  'institution',
  'quantifier',
  'stereotype',
  'specifier',
  'self',
  'link',
  'copula',
  'vice',
  'pronoun',
  'possessive',
  'negation',
  'break',
  'condemnation',
  'notCondemnation',
  'report',
  'mentionFrame',
  'mentionVerb',
  ...PREDICATE_KINDS,
  ...PREDICATE_KINDS.map((k) => `lead:${k}` as const),
] as const;
export type Mark = (typeof MARKS)[number];

export interface Entry {
  /** The words after the first; a word with `prefix` set matches any word it begins. */
  rest: { word: string; prefix: boolean }[];
  mark: Mark;
  /** The mark's bit (markBit), so a word's marks are one number. */
  bit: number;
}

/** A mark as one bit of a 32-bit set: there are fewer than 32 marks. */
export function markBit(mark: Mark): number {
  return 1 << MARKS.indexOf(mark);
}

const NO_ENTRIES: readonly Entry[] = Object.freeze([]);

/** Marks that the reader works from; the slur-mention ones are looked up only around a slur. */
const MENTION_MARKS: ReadonlySet<Mark> = new Set(['mentionFrame', 'mentionVerb']);

/** A phrase table over words: the first word is a Map key (or a prefix), the rest compared in place. */
export class PhraseTable {
  private readonly words = new Map<string, Entry[]>();
  private readonly prefixes = new Map<string, Entry[]>();
  private prefixLens: number[] = [];
  /**
   * Per signature of a word (signatureOf), 1 if some entry's first word has it: most words of a
   * comment begin no entry, and this turns them away without a lookup in `words`.
   */
  private readonly signatures = new Uint8Array(SIGNATURES);

  add(phrase: string, mark: Mark): void {
    const parts = phrase.trim().split(/\s+/).map(foldWord);
    const [first, ...rest] = parts;
    const entry: Entry = { rest, mark, bit: markBit(mark) };
    const table = first.prefix ? this.prefixes : this.words;
    const list = table.get(first.word);
    if (list) list.push(entry);
    else table.set(first.word, [entry]);
    if (!first.prefix) this.signatures[signatureOf(first.word)] = 1;
    if (first.prefix && !this.prefixLens.includes(first.word.length)) this.prefixLens = [...this.prefixLens, first.word.length].sort((a, b) => a - b);
  }

  /** Whether any entry begins with this word: most words of a comment begin none. */
  starts(word: string): boolean {
    if (this.signatures[signatureOf(word)] !== 0 && this.words.has(word)) return true;
    if (this.prefixLens.length === 0) return false;
    for (const len of this.prefixLens) {
      if (len > word.length) break;
      if (this.prefixes.has(word.slice(0, len))) return true;
    }
    return false;
  }

  /**
   * The entries whose first word is `word`, in the order a match is looked for: those keyed by
   * the word, then those keyed by its prefixes, shortest first. Worked out once per distinct
   * word (word-facts.ts), so the reader does no lookups per word of a comment.
   */
  entriesFor(word: string): readonly Entry[] {
    const list = this.signatures[signatureOf(word)] === 0 ? undefined : this.words.get(word);
    let out: Entry[] | null = null;
    for (const len of this.prefixLens) {
      if (len > word.length) break;
      const byPrefix = this.prefixes.get(word.slice(0, len));
      if (byPrefix) out = [...(out ?? list ?? []), ...byPrefix];
    }
    return out ?? list ?? NO_ENTRIES;
  }
}

/** How many word signatures there are: a power of two. */
const SIGNATURES = 1 << 16;

/** A word's length, first and last code units, hashed into [0, SIGNATURES). */
function signatureOf(w: string): number {
  const n = w.length;
  if (n === 0) return 0;
  return (Math.imul(n, 0x9e3779b1) ^ Math.imul(w.charCodeAt(0), 0x85ebca6b) ^ Math.imul(w.charCodeAt(n - 1), 0xc2b2ae35)) >>> 16;
}

/**
 * Appends { mark, from: at, to } for every one of `entries` (PhraseTable.entriesFor of
 * words[at]) of the marks in `marks` (markBit, or-ed) that matches words[at ...], in order.
 */
export function collectEntries(
  entries: readonly Entry[],
  words: readonly string[],
  at: number,
  out: { mark: Mark; from: number; to: number }[],
  marks: number,
): void {
  for (let k = 0; k < entries.length; k++) {
    const e = entries[k];
    if ((e.bit & marks) !== 0 && restMatches(e, words, at + 1)) out.push({ mark: e.mark, from: at, to: at + e.rest.length + 1 });
  }
}

/** Whether the words after an entry's first one follow from `from` on. */
export function restMatches(e: Entry, words: readonly string[], from: number): boolean {
  const rest = e.rest;
  if (from + rest.length > words.length) return false;
  for (let k = 0; k < rest.length; k++) {
    const r = rest[k];
    const w = words[from + k];
    if (r.prefix ? !w.startsWith(r.word) : w !== r.word) return false;
  }
  return true;
}

function foldWord(w: string): { word: string; prefix: boolean } {
  const prefix = w.length > 1 && w.endsWith('*');
  return { word: foldTerm(prefix ? w.slice(0, -1) : w), prefix };
}

/** The vocabulary of a policy's lexicons merged and compiled, built once at policy load. */
export interface CompiledIdentity {
  table: PhraseTable;
  /** The slur-mention words, apart: looked up only next to a slur. */
  mentions: PhraseTable;
  /**
   * The phrases a claim needs (predicates, vices, stereotype markers): a comment with no word
   * that begins one is not read further, which is most comments.
   */
  triggers: PhraseTable;
  severity: Record<PredicateKind, Severity>;
  reach: number;
  pronounReach: number;
}

const LIST_MARKS: [keyof IdentityVocabulary, Mark][] = [
  ['groups', 'group'],
  ['members', 'member'],
  ['adjectives', 'adjective'],
  ['peopleNouns', 'people'],
  ['institutionNouns', 'institutionNoun'],
  ['institutions', 'institution'],
  ['quantifiers', 'quantifier'],
  ['stereotypeMarkers', 'stereotype'],
  ['specifiers', 'specifier'],
  ['selfIdentification', 'self'],
  ['links', 'link'],
  ['copulas', 'copula'],
  ['vices', 'vice'],
  ['pronouns', 'pronoun'],
  ['possessives', 'possessive'],
  ['negations', 'negation'],
  ['breaks', 'break'],
  ['condemnations', 'condemnation'],
  ['notCondemnations', 'notCondemnation'],
  ['reportFrames', 'report'],
  ['mentionFrames', 'mentionFrame'],
  ['mentionVerbs', 'mentionVerb'],
];

/**
 * Merges the identity sections of a policy's lexicons (lists add up; the first lexicon with a
 * section sets the severities and reaches), or null when none has one.
 */
export function compileIdentity(vocabularies: readonly IdentityVocabulary[]): CompiledIdentity | null {
  if (vocabularies.length === 0) return null;
  const table = new PhraseTable();
  const mentions = new PhraseTable();
  const triggers = new PhraseTable();
  for (const v of vocabularies) {
    for (const [key, mark] of LIST_MARKS) {
      for (const phrase of v[key] as string[]) (MENTION_MARKS.has(mark) ? mentions : table).add(phrase, mark);
    }
    for (const kind of PREDICATE_KINDS) {
      for (const phrase of v.predicates[kind]) table.add(phrase, kind);
      for (const phrase of v.leading[kind] ?? []) table.add(phrase, `lead:${kind}`);
    }
    for (const phrase of [...Object.values(v.predicates).flat(), ...Object.values(v.leading).flat(), ...v.vices, ...v.stereotypeMarkers]) {
      triggers.add(phrase, 'vice');
    }
  }
  const first = vocabularies[0];
  return { table, mentions, triggers, severity: first.severity, reach: first.reach, pronounReach: first.pronounReach };
}
