/**
 * Finds every occurrence of many strings in a text, where every string starts with a space: the
 * strings the phrase filters look for all begin at a word boundary (prefilter.ts), so instead of
 * an automaton fed every character, a trie is walked from each space of the text until it has no
 * branch for the next character. Most walks end after a character or two, and the trie is packed
 * into one small array, so the scan touches little memory; a full transition table for every
 * state of an Aho–Corasick automaton was megabytes, and reading it cost a cache miss per
 * character.
 */
export class LiteralScanner {
  readonly literals: readonly string[];
  readonly lengths: Int32Array;
  /** Character code to column; 0 for characters no string uses. */
  private readonly columns: Uint16Array;
  private readonly width: number;
  /**
   * The trie, one node after another; a node is referred to by its offset. A node is
   * [children, outFrom, outTo, ...]: with up to SPARSE children, their columns then their
   * offsets; with more (children = DENSE), a row of `width` offsets, -1 for no child. The
   * strings ending at the node are outIds[outFrom .. outTo).
   */
  private readonly nodes: Int32Array;
  private readonly outIds: Int32Array;
  /** The node for the leading space that every string starts with, or -1 with no strings. */
  private readonly top: number;
  /** Occurrences found by the last scan: string id and the index of its last character. */
  hitIds = new Int32Array(256);
  hitEnds = new Int32Array(256);

  constructor(literals: readonly string[]) {
    for (const s of literals) if (s[0] !== ' ') throw new Error(`scan: "${s}" does not start with a space`);
    this.literals = literals;
    this.lengths = Int32Array.from(literals, (s) => s.length);
    this.columns = new Uint16Array(65536);
    let width = 1;
    for (const s of literals) {
      for (let i = 1; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (this.columns[c] === 0) this.columns[c] = width++;
      }
    }
    this.width = width;
    const packed = pack(buildTrie(literals, this.columns), width);
    this.nodes = packed.nodes;
    this.outIds = packed.outIds;
    this.top = literals.length > 0 ? 0 : -1;
  }

  /**
   * Scans `' ' + text + ' '` and returns how many occurrences it found; they are in
   * hitIds/hitEnds, ends as indexes into that padded text. The buffers are reused by the next scan.
   */
  scan(text: string): number {
    if (this.top < 0) return 0;
    // From each space of the padded text: the one before the text, then those inside it.
    let count = this.walk(text, -1, 0);
    for (let space = text.indexOf(' '); space !== -1; space = text.indexOf(' ', space + 1)) count = this.walk(text, space, count);
    return count;
  }

  /** Follows the trie from the space at text[space] (-1: the pad) and records what ends on the way. */
  private walk(text: string, space: number, count: number): number {
    const { nodes, columns, width } = this;
    let node = this.top;
    // text.length stands for the pad after the text.
    for (let i = space + 1; i <= text.length; i++) {
      const col = columns[i === text.length ? 32 : text.charCodeAt(i)];
      if (col === 0) break;
      const children = nodes[node];
      let next = -1;
      if (children === DENSE) next = nodes[node + 3 + col];
      else for (let k = 0; k < children; k++) if (nodes[node + 3 + k] === col) next = nodes[node + 3 + children + k];
      if (next < 0) break;
      node = next;
      const from = nodes[node + 1];
      const to = nodes[node + 2];
      if (from === to) continue;
      if (count + (to - from) > this.hitIds.length) this.grow(count + (to - from));
      for (let k = from; k < to; k++) {
        this.hitIds[count] = this.outIds[k];
        this.hitEnds[count] = i + 1; // in the padded text
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

/** Children above this many get a full row: the first letters after the space, mostly. */
const SPARSE = 6;
const DENSE = -1;

interface Trie {
  /** Per node, its children by column; node 0 is the leading space. */
  children: Map<number, number>[];
  /** Per node, the strings that end exactly there. */
  ends: number[][];
}

function buildTrie(literals: readonly string[], columns: Uint16Array): Trie {
  const children: Map<number, number>[] = [new Map()];
  const ends: number[][] = [[]];
  literals.forEach((s, id) => {
    let node = 0;
    for (let i = 1; i < s.length; i++) {
      const col = columns[s.charCodeAt(i)];
      let child = children[node].get(col);
      if (child === undefined) {
        child = children.length;
        children.push(new Map());
        ends.push([]);
        children[node].set(col, child);
      }
      node = child;
    }
    ends[node].push(id);
  });
  return { children, ends };
}

/** Lays the nodes out breadth first (the shallow ones, visited most, together) in one array. */
function pack(trie: Trie, width: number): { nodes: Int32Array; outIds: Int32Array } {
  const order = [0];
  for (let q = 0; q < order.length; q++) for (const child of trie.children[order[q]].values()) order.push(child);
  const size = (n: number) => 3 + (trie.children[n].size > SPARSE ? width : 2 * trie.children[n].size);
  const offset = new Int32Array(trie.children.length);
  let total = 0;
  for (const n of order) {
    offset[n] = total;
    total += size(n);
  }
  const nodes = new Int32Array(total);
  const outIds: number[] = [];
  for (const n of order) {
    const o = offset[n];
    const kids = [...trie.children[n]].sort((a, b) => a[0] - b[0]);
    nodes[o + 1] = outIds.length;
    outIds.push(...trie.ends[n]);
    nodes[o + 2] = outIds.length;
    if (kids.length > SPARSE) {
      nodes[o] = DENSE;
      nodes.fill(-1, o + 3, o + 3 + width);
      for (const [col, child] of kids) nodes[o + 3 + col] = offset[child];
    } else {
      nodes[o] = kids.length;
      kids.forEach(([col, child], k) => {
        nodes[o + 3 + k] = col;
        nodes[o + 3 + kids.length + k] = offset[child];
      });
    }
  }
  return { nodes, outIds: Int32Array.from(outIds) };
}
