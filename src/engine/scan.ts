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
   * [children, outFrom, outTo, segment length, segment..., children...]. The segment is the run
   * of character codes that leads to the node after the first one, which its parent's edge
   * names (chains of one-child nodes are one node). Then, with up to SPARSE children, their
   * columns then their offsets; with more (children = DENSE), a row of `width` offsets, -1 for
   * no child. The strings ending at the node are outIds[outFrom .. outTo).
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
    const packed = new Packer(literals, this.columns, width).pack();
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
    const nodes = this.nodes;
    const columns = this.columns;
    const n = text.length;
    let node = this.top;
    // i === n stands for the pad after the text.
    for (let i = space + 1; i <= n; i++) {
      const col = columns[i === n ? 32 : text.charCodeAt(i)];
      if (col === 0) break;
      const children = nodes[node];
      const kids = node + 4 + nodes[node + 3];
      let next = -1;
      if (children === DENSE) next = nodes[kids + col];
      else {
        for (let k = 0; k < children; k++) {
          if (nodes[kids + k] === col) {
            next = nodes[kids + children + k];
            break;
          }
        }
      }
      if (next < 0) break;
      // The rest of the edge's run of characters must follow in the text.
      const length = nodes[next + 3];
      let k = 0;
      while (k < length && i + 1 + k <= n && nodes[next + 4 + k] === (i + 1 + k === n ? 32 : text.charCodeAt(i + 1 + k))) k++;
      if (k < length) break;
      i += length;
      node = next;
      const to = nodes[node + 2];
      for (let o = nodes[node + 1]; o < to; o++) count = this.record(this.outIds[o], i + 1, count); // end in the padded text
    }
    return count;
  }

  private record(id: number, end: number, count: number): number {
    if (count === this.hitIds.length) this.grow(count + 1);
    this.hitIds[count] = id;
    this.hitEnds[count] = end;
    return count + 1;
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

/**
 * Lays the trie out depth first in one array, straight from the sorted strings (the strings
 * below a node are a contiguous range of them): a walk goes down one branch, and a node's first
 * child comes right after it, so the next step is usually in the same or the next cache line.
 */
class Packer {
  private readonly nodes: number[] = [];
  readonly outIds: number[] = [];
  private readonly order: number[];

  constructor(
    private readonly literals: readonly string[],
    private readonly columns: Uint16Array,
    private readonly width: number,
  ) {
    this.order = literals.map((_, id) => id).sort((a, b) => (literals[a] < literals[b] ? -1 : literals[a] > literals[b] ? 1 : a - b));
  }

  pack(): { nodes: Int32Array; outIds: Int32Array } {
    if (this.order.length > 0) this.node(0, this.order.length, 1, 0);
    return { nodes: Int32Array.from(this.nodes), outIds: Int32Array.from(this.outIds) };
  }

  /**
   * The node for order[lo .. hi), which share their first `depth` characters and were reached
   * by the edge for the character at depth - segment - 1 and the `segment` characters after it.
   * Returns its offset.
   */
  private node(lo: number, hi: number, depth: number, segment: number): number {
    const { literals, order } = this;
    // Strings that end here sort first; then the children, one range per next character.
    let i = lo;
    const outFrom = this.outIds.length;
    while (i < hi && literals[order[i]].length === depth) this.outIds.push(order[i++]);
    const kids: [number, number, number][] = []; // character, from, to
    while (i < hi) {
      const c = literals[order[i]].charCodeAt(depth);
      let j = i + 1;
      while (j < hi && literals[order[j]].charCodeAt(depth) === c) j++;
      kids.push([c, i, j]);
      i = j;
    }
    const at = this.nodes.length;
    const dense = kids.length > SPARSE;
    const first = literals[order[lo]];
    this.nodes.push(dense ? DENSE : kids.length, outFrom, this.outIds.length, segment);
    for (let k = depth - segment; k < depth; k++) this.nodes.push(first.charCodeAt(k));
    const slots = this.nodes.length;
    for (let k = 0; k < (dense ? this.width : 2 * kids.length); k++) this.nodes.push(dense ? -1 : 0);
    kids.forEach(([c, from, to], k) => {
      // A chain of one-child nodes without strings ending on it becomes one node.
      const end = this.chainEnd(from, to, depth + 1);
      const child = this.node(from, to, end, end - depth - 1);
      const col = this.columns[c];
      if (dense) this.nodes[slots + col] = child;
      else {
        this.nodes[slots + k] = col;
        this.nodes[slots + kids.length + k] = child;
      }
    });
    return at;
  }

  /** How far order[lo .. hi) go on together from `depth` with no string ending on the way. */
  private chainEnd(lo: number, hi: number, depth: number): number {
    const { literals, order } = this;
    const a = literals[order[lo]];
    const b = literals[order[hi - 1]];
    let d = depth;
    // The first string is the shortest; the strings between the first and last share their prefix.
    while (d < a.length && d < b.length && a.charCodeAt(d) === b.charCodeAt(d)) d++;
    return d;
  }
}
