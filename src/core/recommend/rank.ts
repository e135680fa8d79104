/**
 * Scoring and top-N selection over the cached movie embeddings: exact dot-product scores for every movie,
 * then the N best that are not in an exclusion bitset (bit m set = movie m excluded, e.g. rated). The
 * bitset is bytes, little-endian bit order within a byte (bit m at bits[m >> 3] & (1 << (m & 7))), the
 * layout the profile store persists. Pure: no DOM or Node imports.
 */

/** A cleared bitset for n items. */
export function createBitset(n: number): Uint8Array {
  return new Uint8Array((n + 7) >> 3);
}

export function setBit(bits: Uint8Array, i: number, on = true): void {
  if (on) bits[i >> 3] |= 1 << (i & 7);
  else bits[i >> 3] &= ~(1 << (i & 7));
}

export function hasBit(bits: Uint8Array, i: number): boolean {
  return (bits[i >> 3] & (1 << (i & 7))) !== 0;
}

/**
 * out[m] = scale · (z · movieEmb[m]) for every movie (D = embedding width). Use scale = 1/temperature for
 * the model's score; ranking does not depend on it.
 */
export function scoreAll(
  z: ArrayLike<number>,
  movieEmb: ArrayLike<number>,
  dim: number,
  out: Float32Array,
  scale = 1,
): Float32Array {
  const n = out.length;
  if (movieEmb.length < n * dim || z.length < dim) throw new RangeError('scoreAll: embedding sizes do not match');
  for (let m = 0; m < n; m++) {
    const o = m * dim;
    let s = 0;
    for (let j = 0; j < dim; j++) s += z[j] * movieEmb[o + j];
    out[m] = s * scale;
  }
  return out;
}

/**
 * Indices of the n highest scores whose bit is not set in `exclude`, best first; ties go to the lower
 * index. NaN scores are never returned. O(M log n) with a small binary min-heap.
 */
export function topN(scores: ArrayLike<number>, n: number, exclude?: Uint8Array): Int32Array {
  const heap = new Int32Array(Math.max(0, n));
  let size = 0;
  // "a is worse than b": lower score, or equal score and higher index.
  const worse = (a: number, b: number): boolean => scores[a] < scores[b] || (scores[a] === scores[b] && a > b);
  const siftDown = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < size && worse(heap[l], heap[w])) w = l;
      if (r < size && worse(heap[r], heap[w])) w = r;
      if (w === i) return;
      const t = heap[i];
      heap[i] = heap[w];
      heap[w] = t;
      i = w;
    }
  };
  for (let m = 0; m < scores.length && n > 0; m++) {
    if (exclude && hasBit(exclude, m)) continue;
    if (Number.isNaN(scores[m])) continue;
    if (size < n) {
      let i = size++;
      heap[i] = m;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!worse(heap[i], heap[p])) break;
        const t = heap[i];
        heap[i] = heap[p];
        heap[p] = t;
        i = p;
      }
    } else if (worse(heap[0], m)) {
      heap[0] = m;
      siftDown(0);
    }
  }
  const out = heap.slice(0, size);
  out.sort((a, b) => scores[b] - scores[a] || a - b);
  return out;
}
