import { type ParseCache, phraseFilter } from './prefilter';
import { LiteralScanner } from './scan';

/**
 * Which phrase patterns can match a comment, and where a match can start, from one scan of the
 * phrase text for the strings the patterns need (prefilter.ts). A pattern whose required
 * strings are absent is not run at all; one that can run is tried only where one of its
 * possible beginnings occurs, instead of at every character. Both are only ever necessary
 * conditions, so the matches found are exactly those a full scan would find.
 */
export interface PhraseIndex {
  scanner: LiteralScanner;
  /** Per literal, the groups it belongs to: litGroups[litGroupStart[id] .. litGroupStart[id + 1]). */
  litGroupStart: Int32Array;
  litGroups: Int32Array;
  /** Per literal, the patterns a match of which may begin with it. */
  litStartStart: Int32Array;
  litStarts: Int32Array;
  /** Per pattern, its groups: groupStart[p] .. groupStart[p + 1] (numbered consecutively). */
  groupStart: Int32Array;
  /** Per pattern, whether its beginnings are known (else it is tried at every token boundary). */
  hasStarts: Uint8Array;
  /** Per pattern, whether a match may also start one word before its start strings. */
  lead: Uint8Array;
  /** Scratch for one comment, reset after each use: literals seen, groups satisfied, patterns open. */
  seen: Uint8Array;
  touched: Int32Array;
  satisfied: Uint8Array;
  open: Uint8Array;
}

const SPACE = 32;

/** Builds the index of a list of pattern sources (each as written inside the token-boundary wrapper). */
export function buildPhraseIndex(sources: readonly string[]): PhraseIndex {
  const ids = new Map<string, number>();
  const literalId = (s: string) => {
    let id = ids.get(s);
    if (id === undefined) ids.set(s, (id = ids.size));
    return id;
  };
  const groupMembers: number[][] = [];
  const startMembers: number[][] = [];
  const groupStart = new Int32Array(sources.length + 1);
  const hasStarts = new Uint8Array(sources.length);
  const lead = new Uint8Array(sources.length);
  const parsed: ParseCache = new Map();
  sources.forEach((source, p) => {
    const filter = phraseFilter(source, parsed);
    for (const g of filter.groups) groupMembers.push(g.map(literalId));
    groupStart[p + 1] = groupMembers.length;
    startMembers.push(filter.starts ? filter.starts.map(literalId) : []);
    hasStarts[p] = filter.starts ? 1 : 0;
    lead[p] = filter.lead;
  });
  const literals = [...ids.keys()];
  const byGroup = invert(groupMembers, literals.length);
  const byStart = invert(startMembers, literals.length);
  return {
    scanner: new LiteralScanner(literals),
    litGroupStart: byGroup.start,
    litGroups: byGroup.items,
    litStartStart: byStart.start,
    litStarts: byStart.items,
    groupStart,
    hasStarts,
    lead,
    seen: new Uint8Array(literals.length),
    touched: new Int32Array(literals.length),
    satisfied: new Uint8Array(groupMembers.length),
    open: new Uint8Array(sources.length),
  };
}

/** From "list i has literals a, b" to "literal a is in lists i, ...", as flat arrays. */
function invert(lists: number[][], literals: number): { start: Int32Array; items: Int32Array } {
  const start = new Int32Array(literals + 1);
  for (const list of lists) for (const id of list) start[id + 1]++;
  for (let id = 0; id < literals; id++) start[id + 1] += start[id];
  const fill = start.slice(0, literals);
  const items = new Int32Array(start[literals]);
  lists.forEach((list, i) => {
    for (const id of list) items[fill[id]++] = i;
  });
  return { start, items };
}

/**
 * Per pattern (same order as the sources), the positions in `text` where a match may start, in
 * increasing order, or null when the pattern cannot match `text` at all.
 */
export function phraseCandidates(index: PhraseIndex, text: string): (number[] | null)[] {
  const { scanner, seen, satisfied, touched } = index;
  const hits = scanner.scan(text);
  let distinct = 0;
  for (let k = 0; k < hits; k++) {
    const id = scanner.hitIds[k];
    if (seen[id]) continue;
    seen[id] = 1;
    touched[distinct++] = id;
    for (let g = index.litGroupStart[id]; g < index.litGroupStart[id + 1]; g++) satisfied[index.litGroups[g]] = 1;
  }
  const patterns = index.hasStarts.length;
  const out: (number[] | null)[] = new Array(patterns).fill(null);
  const open = index.open;
  let boundaries: number[] | null = null;
  for (let p = 0; p < patterns; p++) {
    let ok = 1;
    for (let g = index.groupStart[p]; g < index.groupStart[p + 1] && ok; g++) ok = satisfied[g];
    open[p] = ok;
    if (ok && !index.hasStarts[p]) out[p] = boundaries ??= tokenBoundaries(text);
  }
  for (let k = 0; k < hits; k++) {
    const id = scanner.hitIds[k];
    for (let s = index.litStartStart[id]; s < index.litStartStart[id + 1]; s++) {
      const p = index.litStarts[s];
      // The literal starts with the space before the match; in the padded text that space is at
      // the match's own index in `text`.
      if (!open[p]) continue;
      const start = scanner.hitEnds[k] - scanner.lengths[id] + 1;
      const list = (out[p] ??= []);
      list.push(start);
      // The word before: it ends with the space at start - 1.
      if (index.lead[p] && start >= 2) list.push(text.lastIndexOf(' ', start - 2) + 1);
    }
  }
  for (let p = 0; p < patterns; p++) if (index.hasStarts[p] && out[p]) sortUnique(out[p]!);
  for (let k = 0; k < distinct; k++) seen[touched[k]] = 0;
  satisfied.fill(0);
  return out;
}

/** Where a match may start when nothing better is known: the text's start and after each space. */
function tokenBoundaries(text: string): number[] {
  const out = text.length > 0 ? [0] : [];
  for (let i = 1; i < text.length; i++) if (text.charCodeAt(i - 1) === SPACE) out.push(i);
  return out;
}

/** Few entries, nearly in order: insertion sort, dropping repeats. */
function sortUnique(list: number[]): void {
  for (let i = 1; i < list.length; i++) {
    const v = list[i];
    let j = i - 1;
    while (j >= 0 && list[j] > v) {
      list[j + 1] = list[j];
      j--;
    }
    list[j + 1] = v;
  }
  let w = 0;
  for (let i = 0; i < list.length; i++) if (i === 0 || list[i] !== list[w - 1]) list[w++] = list[i];
  if (w < list.length) list.length = w;
}

/**
 * Where a match of the sticky pattern `re` (flag y) starting at `at` ends, or -1 for none.
 * test() rather than exec(): it leaves the end in lastIndex without building a match array.
 */
export function matchEnd(re: RegExp, text: string, at: number): number {
  re.lastIndex = at;
  return re.test(text) ? re.lastIndex : -1;
}
