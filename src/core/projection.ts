/**
 * A 2-D projection of embedding vectors for the taste map: principal components by power iteration with
 * deflation on the D×D covariance (D is small, so this is fast for any catalog), and a projector that places
 * any further vector (the visitor) in the same plane. Deterministic. Pure: no DOM or Node imports.
 *
 * Rows are `dim` apart; only their first `width` columns are projected (the taste part of an embedding: a
 * trailing score column such as the popularity prior's would otherwise be the main axis).
 */

export interface Projection2D {
  mean: Float64Array;
  /** Two unit axes of length D. */
  axes: [Float64Array, Float64Array];
  /** x, y of each input row. */
  points: Float32Array;
}

export interface PcaOptions {
  /** Power iterations per axis (default 100). */
  iterations?: number;
  /** Rows sampled (evenly strided) for the mean and covariance (default 20,000). */
  maxSampleRows?: number;
  /** Leading columns projected (default all `dim`). */
  width?: number;
}

export function pca2d(
  data: Float32Array,
  rows: number,
  dim: number,
  { iterations = 100, maxSampleRows = 20_000, width = dim }: PcaOptions = {},
): Projection2D {
  if (width < dim) {
    const taste = new Float32Array(rows * width);
    for (let r = 0; r < rows; r++) taste.set(data.subarray(r * dim, r * dim + width), r * width);
    return pca2d(taste, rows, width, { iterations, maxSampleRows });
  }
  // Mean and covariance from an evenly strided sample: O(sample × D²), so a 1M-item catalog stays fast.
  const stride = Math.max(1, Math.ceil(rows / maxSampleRows));
  let sampled = 0;
  const mean = new Float64Array(dim);
  for (let r = 0; r < rows; r += stride, sampled++) for (let d = 0; d < dim; d++) mean[d] += data[r * dim + d];
  for (let d = 0; d < dim; d++) mean[d] /= Math.max(sampled, 1);
  const cov = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let r = 0; r < rows; r += stride) {
    for (let d = 0; d < dim; d++) centred[d] = data[r * dim + d] - mean[d];
    for (let i = 0; i < dim; i++) {
      const ci = centred[i];
      if (ci === 0) continue;
      for (let j = 0; j < dim; j++) cov[i * dim + j] += ci * centred[j];
    }
  }
  const axes: Float64Array[] = [];
  for (let k = 0; k < 2; k++) {
    let v = new Float64Array(dim);
    for (let d = 0; d < dim; d++) v[d] = 1 / Math.sqrt(dim) + (d % 3) * 1e-3 * (k + 1);
    for (let it = 0; it < iterations; it++) {
      const next = new Float64Array(dim);
      for (let i = 0; i < dim; i++) {
        let s = 0;
        for (let j = 0; j < dim; j++) s += cov[i * dim + j] * v[j];
        next[i] = s;
      }
      for (const prev of axes) {
        let dot = 0;
        for (let d = 0; d < dim; d++) dot += next[d] * prev[d];
        for (let d = 0; d < dim; d++) next[d] -= dot * prev[d];
      }
      const norm = Math.hypot(...next);
      if (norm === 0) break;
      for (let d = 0; d < dim; d++) next[d] /= norm;
      v = next;
    }
    axes.push(v);
  }
  const projection: Projection2D = { mean, axes: [axes[0], axes[1]], points: new Float32Array(rows * 2) };
  for (let r = 0; r < rows; r++) {
    const [x, y] = project(projection, data.subarray(r * dim, (r + 1) * dim));
    projection.points[2 * r] = x;
    projection.points[2 * r + 1] = y;
  }
  return projection;
}

/** Places `vector` in the plane (its first `mean.length` columns: the projected width). */
export function project(p: Pick<Projection2D, 'mean' | 'axes'>, vector: ArrayLike<number>): [number, number] {
  let x = 0;
  let y = 0;
  for (let d = 0; d < p.mean.length; d++) {
    const c = vector[d] - p.mean[d];
    x += c * p.axes[0][d];
    y += c * p.axes[1][d];
  }
  return [x, y];
}
