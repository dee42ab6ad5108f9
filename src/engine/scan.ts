/**
 * Finds every occurrence of many strings in a text in one pass: an Aho–Corasick automaton, with
 * the transitions of every state precomputed into one table so the scan does a single array read
 * per character. Columns are the characters the strings use; every other character shares
 * column 0, so the table stays small (a few thousand states by a hundred columns).
 */
export class LiteralScanner {
  readonly literals: readonly string[];
  readonly lengths: Int32Array;
  /** Character code to column. */
  private readonly columns: Uint16Array;
  private readonly width: number;
  /** next[state * width + column]: the state after reading that character. */
  private readonly next: Int32Array;
  /** The literals that end in a state: outIds[outStart[state] .. outStart[state + 1]). */
  private readonly outStart: Int32Array;
  private readonly outIds: Int32Array;
  /** Occurrences found by the last scan: literal id and the index of its last character. */
  hitIds = new Int32Array(256);
  hitEnds = new Int32Array(256);

  constructor(literals: readonly string[]) {
    this.literals = literals;
    this.lengths = Int32Array.from(literals, (s) => s.length);
    this.columns = new Uint16Array(65536);
    let width = 1;
    for (const s of literals) {
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (this.columns[c] === 0) this.columns[c] = width++;
      }
    }
    this.width = width;
    const trie = buildTrie(literals, this.columns);
    const { next, outStart, outIds } = buildAutomaton(trie, width);
    this.next = next;
    this.outStart = outStart;
    this.outIds = outIds;
  }

  /**
   * Scans `pad + text + pad` (pad: a character code, or -1 for none) and returns how many
   * occurrences it found; they are in hitIds/hitEnds, ends as indexes into the padded text.
   * The buffers are reused by the next scan.
   */
  scan(text: string, pad: number): number {
    const { next, columns, width, outStart, outIds } = this;
    let ids = this.hitIds;
    let ends = this.hitEnds;
    let count = 0;
    let state = 0;
    // With a pad, i runs from -1 (the pad before) to text.length (the pad after).
    const padded = pad >= 0 ? 1 : 0;
    for (let i = -padded, last = text.length - 1 + padded; i <= last; i++) {
      const code = i < 0 || i === text.length ? pad : text.charCodeAt(i);
      state = next[state * width + columns[code]];
      let k = outStart[state];
      const to = outStart[state + 1];
      if (k === to) continue;
      if (count + (to - k) > ids.length) {
        this.grow(count + (to - k));
        ids = this.hitIds;
        ends = this.hitEnds;
      }
      for (; k < to; k++) {
        ids[count] = outIds[k];
        ends[count] = i + padded;
        count++;
      }
    }
    return count;
  }

  private grow(needed: number): void {
    const size = Math.max(needed, this.hitIds.length * 2);
    const ids = new Int32Array(size);
    const ends = new Int32Array(size);
    ids.set(this.hitIds);
    ends.set(this.hitEnds);
    this.hitIds = ids;
    this.hitEnds = ends;
  }
}

interface Trie {
  /** Per state, its children by column. */
  children: Map<number, number>[];
  /** Per state, the literals that end exactly there. */
  ends: number[][];
}

function buildTrie(literals: readonly string[], columns: Uint16Array): Trie {
  const children: Map<number, number>[] = [new Map()];
  const ends: number[][] = [[]];
  literals.forEach((s, id) => {
    let state = 0;
    for (let i = 0; i < s.length; i++) {
      const col = columns[s.charCodeAt(i)];
      let child = children[state].get(col);
      if (child === undefined) {
        child = children.length;
        children.push(new Map());
        ends.push([]);
        children[state].set(col, child);
      }
      state = child;
    }
    ends[state].push(id);
  });
  return { children, ends };
}

/** Failure links, breadth first, folded into a full transition table and output lists. */
function buildAutomaton(trie: Trie, width: number): { next: Int32Array; outStart: Int32Array; outIds: Int32Array } {
  const states = trie.children.length;
  const next = new Int32Array(states * width);
  const fail = new Int32Array(states);
  const outputs: number[][] = new Array(states);
  outputs[0] = trie.ends[0];
  const queue: number[] = [];
  for (const [col, child] of trie.children[0]) {
    next[col] = child;
    queue.push(child);
  }
  for (let q = 0; q < queue.length; q++) {
    const s = queue[q];
    // A state also reports what its longest proper suffix in the trie reports.
    outputs[s] = trie.ends[s].length ? [...trie.ends[s], ...outputs[fail[s]]] : outputs[fail[s]];
    const row = s * width;
    const failRow = fail[s] * width;
    for (let col = 0; col < width; col++) {
      const child = trie.children[s].get(col);
      if (child === undefined) {
        next[row + col] = next[failRow + col];
      } else {
        next[row + col] = child;
        fail[child] = next[failRow + col];
        queue.push(child);
      }
    }
  }
  const outStart = new Int32Array(states + 1);
  for (let s = 0; s < states; s++) outStart[s + 1] = outStart[s] + outputs[s].length;
  const outIds = new Int32Array(outStart[states]);
  for (let s = 0; s < states; s++) outIds.set(outputs[s], outStart[s]);
  return { next, outStart, outIds };
}
