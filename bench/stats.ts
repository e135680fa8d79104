/**
 * Summaries and physical bounds for the benchmark report. Medians with min–max (the machine is shared and
 * noisy), and the bytes and FLOPs each measured operation must at least move or do. Pure: no DOM or Node
 * imports (the benchmark page uses it too).
 */

export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function summarize(xs: readonly number[]): Summary {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length };
}

/** Shapes a forward pass works on. */
export interface ForwardShape {
  users: number;
  items: number;
  edges: number;
  userFeatureDim: number;
  /** Width of x_m (movie features + id embedding). */
  movieInputDim: number;
  hiddenDim: number;
  outDim: number;
}

export interface ForwardBound {
  /** Multiply-adds of the dense SAGE steps (self + neighbour projections, both layers, both node types). */
  macs: number;
  /** Sum of the widths the four neighbour aggregations gather per edge (each gathers min(in, out)). */
  gatherWidth: number;
  /**
   * Bytes the ONNX formulation must move: every gathered [E, w] message written and read back by ScatterND,
   * and the int64 source/destination index of each edge read by each aggregation.
   */
  onnxBytes: number;
  /**
   * Bytes a fused CSR kernel (no [E, w] intermediate) must move: int32 adjacency read once per layer and
   * direction, and each node's input and output rows once per layer.
   */
  fusedBytes: number;
}

export function forwardBound(s: ForwardShape): ForwardBound {
  const { users: u, items: m, edges: e, userFeatureDim: fu, movieInputDim: dx, hiddenDim: h, outDim: o } = s;
  const macs = u * (fu * h + dx * h) + m * (dx * h + fu * h) + (u + m) * (h * o + h * o);
  const gatherWidth = Math.min(dx, h) + Math.min(fu, h) + Math.min(h, o) + Math.min(h, o);
  const onnxBytes = e * gatherWidth * 4 * 2 + 4 * e * 16;
  const fusedBytes = 4 * e * 4 + 4 * (u * (fu + h + h + o) + m * (dx + h + h + o));
  return { macs, gatherWidth, onnxBytes, fusedBytes };
}

/** Bytes an exact top-N over n float32 embeddings of width dim streams per query. */
export function exactScoringBytes(n: number, dim: number): number {
  return n * dim * 4;
}

/** Bytes the IVF query streams: the scanned int8 codes and their scales, plus the float32 re-rank rows. */
export function annScoringBytes(scanned: number, dim: number, rerank: number): number {
  return scanned * (dim + 4) + rerank * dim * 4;
}
