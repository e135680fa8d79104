/**
 * Ranking metrics and top-K selection for offline evaluation (DESIGN §4). Pure: no DOM or Node imports.
 *
 * Definitions, for a ranked list `ranked` (best first) and a set of positive items P:
 * - Recall@K = |top-K ∩ P| / |P|
 * - NDCG@K   = DCG@K / IDCG@K with binary gain, DCG = Σ_{r<K, ranked[r]∈P} 1/log2(r+2) and
 *              IDCG the DCG of an ideal list: Σ_{r<min(K,|P|)} 1/log2(r+2)
 * - HR@K     = 1 if any of the top K is in P, else 0
 * Each metric is 0 when P is empty (callers evaluate only users with at least one positive).
 */

/** Membership test for positives: a Set of item indices or a 0/1 mask indexed by item. */
export type PositiveSet = ReadonlySet<number> | Uint8Array;

function has(pos: PositiveSet, item: number): boolean {
  return pos instanceof Uint8Array ? pos[item] !== 0 : pos.has(item);
}

function hitsAt(ranked: ArrayLike<number>, pos: PositiveSet, k: number): number {
  const n = Math.min(k, ranked.length);
  let hits = 0;
  for (let r = 0; r < n; r++) if (has(pos, ranked[r])) hits++;
  return hits;
}

/** Recall@K: hits in the top K over the number of positives. */
export function recallAtK(ranked: ArrayLike<number>, pos: PositiveSet, numPositives: number, k: number): number {
  if (numPositives <= 0) return 0;
  return hitsAt(ranked, pos, k) / numPositives;
}

/** NDCG@K with binary gain; IDCG over min(K, numPositives) ideal hits. */
export function ndcgAtK(ranked: ArrayLike<number>, pos: PositiveSet, numPositives: number, k: number): number {
  if (numPositives <= 0) return 0;
  const n = Math.min(k, ranked.length);
  let dcg = 0;
  for (let r = 0; r < n; r++) if (has(pos, ranked[r])) dcg += 1 / Math.log2(r + 2);
  let idcg = 0;
  const ideal = Math.min(k, numPositives);
  for (let r = 0; r < ideal; r++) idcg += 1 / Math.log2(r + 2);
  return dcg / idcg;
}

/** HR@K: 1 if any of the top K is positive. */
export function hitRateAtK(ranked: ArrayLike<number>, pos: PositiveSet, k: number): number {
  return hitsAt(ranked, pos, k) > 0 ? 1 : 0;
}

/**
 * The indices of the k highest scores, best first, skipping items whose `exclude` entry is non-zero
 * (and NaN scores). Ties go to the lower index, so the result is deterministic. O(n log k) with a
 * binary min-heap of size k; returns fewer than k when fewer items are eligible.
 */
export function topK(scores: Float32Array | Float64Array, k: number, exclude?: Uint8Array): Int32Array {
  const n = scores.length;
  if (exclude && exclude.length < n) throw new RangeError(`exclude mask has ${exclude.length} entries, need ${n}`);
  if (k <= 0) return new Int32Array(0);
  // heap[0] is the worst kept item: lowest score, and among equal scores the highest index.
  const heap = new Int32Array(k);
  let size = 0;
  const worse = (a: number, b: number): boolean => scores[a] < scores[b] || (scores[a] === scores[b] && a > b);
  const siftDown = (start: number): void => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) return;
      const r = l + 1;
      const c = r < size && worse(heap[r], heap[l]) ? r : l;
      if (!worse(heap[c], heap[i])) return;
      const t = heap[i];
      heap[i] = heap[c];
      heap[c] = t;
      i = c;
    }
  };
  for (let item = 0; item < n; item++) {
    if (exclude && exclude[item] !== 0) continue;
    const s = scores[item];
    if (Number.isNaN(s)) continue;
    if (size < k) {
      let i = size++;
      heap[i] = item;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!worse(heap[i], heap[p])) break;
        const t = heap[i];
        heap[i] = heap[p];
        heap[p] = t;
        i = p;
      }
    } else if (worse(heap[0], item)) {
      heap[0] = item;
      siftDown(0);
    }
  }
  // Pop worst-first into the back of the result.
  const out = new Int32Array(size);
  for (let j = size - 1; j >= 0; j--) {
    out[j] = heap[0];
    heap[0] = heap[--size];
    siftDown(0);
  }
  return out;
}
