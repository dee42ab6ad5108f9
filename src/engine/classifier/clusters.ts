import type { Token } from '../normalize/tokenize';
import type { ClusterMap } from './features';
import { nameHash } from './features';

// Word clusters for the classifier (FeatureConfig.clusters), learned from the training texts
// without their labels: words used in the same contexts ("you are a ___") share a cluster, so an
// insult the labelled rows rarely show borrows what its neighbours taught. Each word's vector is
// its positive PMI with the most frequent words within ±window, randomly projected (seeded) to a
// few dimensions; spherical k-means then groups the words at each granularity. Deterministic:
// the same texts and options give the same clusters. Training calls this; the scorer only reads
// the table it produced (`clusterMap`).

export interface ClusterOptions {
  /** Words seen fewer times get no cluster. */
  minCount: number;
  /** Context words: this many of the most frequent. */
  contexts: number;
  window: number;
  /** Dimensions of the random projection. */
  dims: number;
  /** Cluster counts, one granularity each (at most 65,536). */
  ks: number[];
  iterations: number;
  seed: number;
}

export const DEFAULT_CLUSTER_OPTIONS: ClusterOptions = { minCount: 3, contexts: 1000, window: 2, dims: 64, ks: [64, 256, 1024], iterations: 12, seed: 20240601 };

/** The clusters as the model file stores them: word hashes ascending, and ks.length ids per word. */
export interface ClusterTable {
  words: Uint32Array;
  ids: Uint16Array;
}

/** The text a token is clustered by: a word's text, a tag's body; null for links and mentions. */
function wordOf(t: Token): string | null {
  if (t.kind === 'word') return t.text;
  if (t.kind === 'hashtag') return t.text.slice(1);
  return null;
}

/** Small, seeded, and the same in every JavaScript engine (as train.ts's). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function learnClusters(texts: readonly (readonly Token[])[], o: ClusterOptions): ClusterTable {
  const counts = new Map<string, number>();
  for (const tokens of texts) {
    for (const t of tokens) {
      const w = wordOf(t);
      if (w !== null) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
  }
  // Most frequent first, ties by text: the order fixes the initial centres, so it must be stable.
  const vocab = [...counts.entries()]
    .filter(([, c]) => c >= o.minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([w]) => w);
  const V = vocab.length;
  const C = Math.min(o.contexts, V);
  const D = o.dims;
  const index = new Map(vocab.map((w, i) => [w, i]));
  const co = new Float32Array(V * C);
  for (const tokens of texts) {
    const ids = tokens.map((t) => {
      const w = wordOf(t);
      return w === null ? -1 : (index.get(w) ?? -1);
    });
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] < 0) continue;
      const hi = Math.min(ids.length - 1, i + o.window);
      for (let j = Math.max(0, i - o.window); j <= hi; j++) if (j !== i && ids[j] >= 0 && ids[j] < C) co[ids[i] * C + ids[j]]++;
    }
  }
  const rowSum = new Float64Array(V);
  const colSum = new Float64Array(C);
  let total = 0;
  for (let v = 0; v < V; v++) {
    for (let c = 0; c < C; c++) {
      const x = co[v * C + c];
      rowSum[v] += x;
      colSum[c] += x;
      total += x;
    }
  }
  const rand = mulberry32(o.seed);
  const R = new Float32Array(C * D);
  for (let i = 0; i < R.length; i++) R[i] = rand() < 0.5 ? -1 : 1;
  const X = new Float64Array(V * D);
  for (let v = 0; v < V; v++) {
    const at = v * D;
    for (let c = 0; c < C; c++) {
      const n = co[v * C + c];
      if (n === 0) continue;
      const pmi = Math.log((n * total) / (rowSum[v] * colSum[c]));
      if (pmi <= 0) continue;
      for (let d = 0; d < D; d++) X[at + d] += pmi * R[c * D + d];
    }
    let norm = 0;
    for (let d = 0; d < D; d++) norm += X[at + d] * X[at + d];
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < D; d++) X[at + d] /= norm;
  }
  const K = o.ks.length;
  const assigned = new Uint16Array(V * K);
  o.ks.forEach((k, g) => {
    const n = Math.max(1, Math.min(k, V, 65536));
    // Initial centres: words spread evenly over the frequency ranking.
    const cen = new Float64Array(n * D);
    for (let j = 0; j < n; j++) {
      const v = Math.floor((j * V) / n);
      for (let d = 0; d < D; d++) cen[j * D + d] = X[v * D + d];
    }
    const assign = new Int32Array(V);
    for (let it = 0; it < o.iterations; it++) {
      for (let v = 0; v < V; v++) {
        let best = 0;
        let bestScore = -Infinity;
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let d = 0; d < D; d++) s += X[v * D + d] * cen[j * D + d];
          if (s > bestScore) {
            bestScore = s;
            best = j;
          }
        }
        assign[v] = best;
      }
      cen.fill(0);
      for (let v = 0; v < V; v++) for (let d = 0; d < D; d++) cen[assign[v] * D + d] += X[v * D + d];
      for (let j = 0; j < n; j++) {
        let norm = 0;
        for (let d = 0; d < D; d++) norm += cen[j * D + d] ** 2;
        norm = Math.sqrt(norm) || 1;
        for (let d = 0; d < D; d++) cen[j * D + d] /= norm;
      }
    }
    for (let v = 0; v < V; v++) assigned[v * K + g] = assign[v];
  });
  // Keyed by the word's hash, ascending; on the rare hash collision the more frequent word wins.
  const byHash = new Map<number, number>();
  vocab.forEach((w, v) => {
    const h = nameHash(w);
    if (!byHash.has(h)) byHash.set(h, v);
  });
  const words = Uint32Array.from(byHash.keys()).sort();
  const ids = new Uint16Array(words.length * K);
  words.forEach((h, i) => ids.set(assigned.subarray(byHash.get(h)! * K, byHash.get(h)! * K + K), i * K));
  return { words, ids };
}

/** The lookup features.ts reads, from a stored table of `k` granularities. */
export function clusterMap(table: ClusterTable, k: number): ClusterMap {
  if (table.ids.length !== table.words.length * k) {
    throw new Error(`classifier model: ${table.ids.length} cluster ids for ${table.words.length} words x ${k} granularities`);
  }
  const map = new Map<number, Uint16Array>();
  for (let i = 0; i < table.words.length; i++) map.set(table.words[i], table.ids.subarray(i * k, i * k + k));
  return map;
}
