import type { Token } from '../../normalize/tokenize';
import type { CompiledThreats } from './compile';
import type { Sentence } from './pattern';
import type { Layout } from './sentences';

/** How a comment's words look to the reader: leetspeak read (k1ll), everything else as folded. */
export function formOf(t: Token): string {
  if (t.kind === 'mention') return '<user>';
  return t.variants.length > 0 && t.script === 'latin' ? t.variants[0] : t.text;
}

/**
 * A comment's words as the reader sees them, with the sentence being read ([lo, hi)) and who
 * in it may be the person threatened.
 */
export class Words implements Sentence {
  readonly forms: string[];
  lo = 0;
  hi = 0;

  constructor(
    readonly tokens: readonly Token[],
    readonly layout: Layout,
    readonly t: CompiledThreats,
    forms?: string[],
  ) {
    this.forms = forms ?? tokens.map(formOf);
  }

  private nameLike(i: number, w: string): boolean {
    if (this.t.names.has(w)) return true;
    const tok = this.tokens[i];
    return tok.capitalized && !tok.sentenceStart && w.length > 1 && !this.t.notNames.has(w) && !(i > 0 && this.forms[i - 1] === 'the');
  }

  /** A person: a pronoun, a role or group, a known name, a capitalised name, an @mention. */
  isTarget(i: number): boolean {
    const w = this.forms[i];
    if (this.tokens[i].kind === 'mention') return true;
    if (this.tokens[i].kind !== 'word' || w.endsWith("'s")) return false;
    if (this.t.withWho.has(w) && i + 1 < this.hi && this.forms[i + 1] === 'who') return true;
    return this.t.targetWords.has(w) || this.nameLike(i, w);
  }

  /** His, your, Assad's, the journalist's. */
  isPossessive(i: number): boolean {
    const w = this.forms[i];
    if (this.t.possessive.has(w)) return true;
    if (!w.endsWith("'s")) return false;
    const owner = w.slice(0, -2);
    return this.t.targetWords.has(owner) || this.nameLike(i, owner);
  }

  /** A person after the harm ("kill him", "slit Assad's throat"): the index found, or -1. */
  objectAfter(end: number): number {
    const last = Math.min(this.hi, end + this.t.window.object);
    for (let j = end; j < last; j++) {
      if (this.isTarget(j) && !this.t.subjectOnly.has(this.forms[j])) return j;
      if (this.isPossessive(j) && j + 1 < this.hi && this.t.possessed.has(this.forms[j + 1])) return j + 1;
    }
    return -1;
  }

  /** A person before `from` but not before `floor` ("Putin should hang"), or -1. */
  subjectBefore(from: number, floor: number, possessive: boolean): number {
    const first = Math.max(this.lo, floor);
    for (let j = from - 1; j >= first; j--) if (this.isTarget(j) || (possessive && this.isPossessive(j))) return j;
    return -1;
  }
}
