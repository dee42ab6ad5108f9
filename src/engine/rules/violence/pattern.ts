/**
 * Token patterns (schema.ts): matched word by word over a sentence's tokens, never as regular
 * expressions, so a pattern's cost is bounded by its gaps, whatever the comment.
 */
export type Item =
  | { kind: 'word'; words: ReadonlySet<string>; optional: boolean; base: string }
  | { kind: 'gap'; max: number }
  | { kind: 'target' }
  | { kind: 'poss' };

export interface TokenPattern {
  source: string;
  items: Item[];
  /** The words the pattern can start with (its first item's). */
  first: readonly string[];
}

export function parsePattern(source: string, fold: (s: string) => string): TokenPattern {
  const items: Item[] = source.split(' ').map((part): Item => {
    if (part === '{target}') return { kind: 'target' };
    if (part === '{poss}') return { kind: 'poss' };
    if (/^~[1-9]$/.test(part)) return { kind: 'gap', max: Number(part.slice(1)) };
    const alts = part.split('|');
    const words = alts.filter((a) => a.length > 0).map(fold);
    return { kind: 'word', words: new Set(words), optional: words.length < alts.length, base: words[0] };
  });
  const head = items[0];
  if (head.kind !== 'word' || head.optional) throw new Error(`threat pattern "${source}" must start with a word`);
  return { source, items, first: [...head.words] };
}

/** What a pattern is matched against: one sentence's word forms, and who in it may be a target. */
export interface Sentence {
  forms: readonly string[];
  /** [lo, hi) of the sentence within forms. */
  lo: number;
  hi: number;
  isTarget(i: number): boolean;
  isPossessive(i: number): boolean;
}

/** Words a {target} may carry before the person it names: "the whole Kremlin gang". */
const TARGET_LEAD = 3;

/**
 * Where a match of `p` starting at token `at` ends (exclusive), or -1. Gaps and optional words
 * try the shortest reading first. `found` gets whether a {target} or {poss} took part.
 */
export function matchAt(p: TokenPattern, s: Sentence, at: number, found?: { slot: boolean }): number {
  return step(p.items, 0, s, at, found);
}

function step(items: Item[], k: number, s: Sentence, i: number, found?: { slot: boolean }): number {
  if (k === items.length) return i;
  const item = items[k];
  switch (item.kind) {
    case 'word': {
      if (i < s.hi && item.words.has(s.forms[i])) {
        const end = step(items, k + 1, s, i + 1, found);
        if (end >= 0) return end;
      }
      return item.optional ? step(items, k + 1, s, i, found) : -1;
    }
    case 'gap':
      for (let n = 0; n <= item.max && i + n <= s.hi; n++) {
        const end = step(items, k + 1, s, i + n, found);
        if (end >= 0) return end;
      }
      return -1;
    case 'target':
      for (let n = 0; n <= TARGET_LEAD && i + n < s.hi; n++) {
        if (!s.isTarget(i + n)) continue;
        const end = step(items, k + 1, s, i + n + 1, found);
        if (end >= 0) {
          if (found) found.slot = true;
          return end;
        }
      }
      return -1;
    case 'poss': {
      if (i >= s.hi || !s.isPossessive(i)) return -1;
      const end = step(items, k + 1, s, i + 1, found);
      if (end >= 0 && found) found.slot = true;
      return end;
    }
  }
}

/** Whether the pattern names its own target. */
export function hasSlot(p: TokenPattern): boolean {
  return p.items.some((i) => i.kind === 'target' || i.kind === 'poss');
}
