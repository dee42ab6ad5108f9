import type { Analysis } from '../../analyze';
import { type CompiledIdentity, type Entry, markBit, PREDICATE_KINDS } from './vocabulary';

/**
 * What the identity vocabulary makes of one word: a pure function of its text, worked out once
 * per distinct word and kept in its memo record, so reading a comment costs a field read per
 * word instead of table lookups.
 */
export interface IdentityWord {
  /** The table's entries whose first word is this one (its possessive 's dropped). */
  entries: readonly Entry[];
  /** The marks of those entries (markBit), or-ed together. */
  marks: number;
  /** Whether the word begins a phrase a claim needs (CompiledIdentity.triggers). */
  trigger: boolean;
}

/** Marks that can begin a people: the reader's subjects start with one (subjects.ts). */
export const PEOPLE_MARKS = markBit('group') | markBit('member') | markBit('adjective');

/** Marks that can make a claim: predicates, leading predicates, vices, stereotype markers (reader.ts). */
export const CLAIM_MARKS =
  PREDICATE_KINDS.reduce((bits, k) => bits | markBit(k) | markBit(`lead:${k}`), 0) | markBit('vice') | markBit('stereotype');

const NOTHING: IdentityWord = Object.freeze({ entries: Object.freeze([]), marks: 0, trigger: false });

/** The word as the vocabulary is matched against it: no possessive 's. */
export function wordOf(text: string): string {
  return text.endsWith("'s") ? text.slice(0, -2) : text;
}

function identityWord(v: CompiledIdentity, text: string): IdentityWord {
  const word = wordOf(text);
  // A word that is only a possessive ending ("'s") matches nothing, as in markComment before.
  const entries = word === '' ? NOTHING.entries : v.table.entriesFor(word);
  const trigger = v.triggers.starts(text);
  if (entries.length === 0 && !trigger) return NOTHING;
  let marks = 0;
  for (const e of entries) marks |= e.bit;
  return { entries, marks, trigger };
}

/** What the vocabulary makes of token i: nothing unless it is a word; from its memo record when it has one. */
export function identityWordAt(a: Analysis, i: number, v: CompiledIdentity): IdentityWord {
  const tok = a.tokens[i];
  if (tok.kind !== 'word') return NOTHING;
  const memo = a.words[i];
  if (memo === undefined) return identityWord(v, tok.text);
  if (memo.identityOf !== v) {
    memo.identity = identityWord(v, tok.text);
    memo.identityOf = v;
  }
  return memo.identity!;
}
