/**
 * Exports the full-graph GraphSAGE forward (src/core/model/params.ts equations) to ONNX, in three weight
 * variants: fp32; int8 weight-only (per-column symmetric int8 + DequantizeLinear → MatMul, runs on every
 * EP); fp16 weights and compute (only for WebGPU adapters with `shader-f16`; the scatter-add accumulates in
 * fp32, the normalisation runs in fp32). Inputs and outputs are fp32 in every variant.
 *
 * Aggregation (the neighbour mean of params.ts): Gather(source rows by edge) → ScatterND(reduction='add') into zeros made
 * in-graph (Mul of the [N,1] inverse degree by a [1,width] zero row) → Mul by the inverse degree. Every
 * int64 tensor is a graph input computed in TypeScript (workers/runtime/ort-session.ts `buildGraphFeeds`).
 * Each SAGE neighbour term projects before aggregating when that narrows the gathered rows (exact in
 * real arithmetic; the float difference is ~1e-7). With rating-aware messages each gathered row is
 * concatenated with itself times the message's signed weight (the `m2u_sign` / `u2m_sign` inputs), so one
 * scatter yields [mean, signed mean], which the [2·in, out] neighbour weight then projects.
 *
 * The file is the single source of the weights in the browser: every parameter is a named initializer
 * and `metadata_props['cinesage.model']` holds the config, dims and calibration scalars as JSON;
 * src/core/model/onnx-weights.ts reads them back. No Node imports (the browser tests export in-page).
 */

import { toF16 } from '../../src/core/model/float16.ts';
import {
  INIT,
  MODEL_INPUTS,
  MODEL_METADATA_KEY,
  MODEL_OUTPUTS,
  type ModelMetadata,
  type ModelVariant,
} from '../../src/core/model/onnx-contract.ts';
import {
  baseEmbeddingDim,
  embeddingDim,
  type ModelParams,
  movieInputDim,
  type SageConvParams,
} from '../../src/core/model/params.ts';
import { DataType, GraphBuilder } from './builder.ts';

export interface ExportOptions {
  variant: ModelVariant;
}

/** int8 per-column symmetric quantisation of a row-major [rows, cols] matrix: w ≈ q[i,j]·scale[j]. */
export function quantizePerColumn(w: Float32Array, rows: number, cols: number): { q: Int8Array; scale: Float32Array } {
  const scale = new Float32Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) scale[j] = Math.max(scale[j], Math.abs(w[i * cols + j]));
  }
  for (let j = 0; j < cols; j++) scale[j] = scale[j] > 0 ? scale[j] / 127 : 1;
  const q = new Int8Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      q[i * cols + j] = Math.max(-127, Math.min(127, Math.round(w[i * cols + j] / scale[j])));
    }
  }
  return { q, scale };
}

export function exportFullGraphModel(params: ModelParams, opts: ExportOptions): Uint8Array {
  const { variant } = opts;
  const c = params.config;
  const fu = params.userFeatureDim;
  const fm = params.movieFeatureDim;
  const did = c.movieIdEmbeddingDim;
  if (fu < 1) throw new Error('exportFullGraphModel: users need at least one feature column');
  if (movieInputDim(params) < 1) throw new Error('exportFullGraphModel: movies need features or an id embedding');
  if (c.skip === 'sum' && c.hiddenDim !== c.outDim) throw new Error("skip 'sum' needs hiddenDim === outDim");
  if (c.movieScoreBias && did === 0) {
    throw new Error('exportFullGraphModel: movieScoreBias needs an id embedding (movie_index selects its rows)');
  }

  const b = new GraphBuilder();
  const toAct = (v: string) => (variant === 'fp16' ? b.op('Cast', [v], { to: DataType.FLOAT16 }) : v);
  const toF32 = (v: string) => (variant === 'fp16' ? b.op('Cast', [v], { to: DataType.FLOAT }) : v);

  /** A weight matrix [rows, cols] as a value of the compute type. */
  const matrix = (name: string, w: Float32Array, rows: number, cols: number): string => {
    if (variant === 'fp32') return b.initializer(name, DataType.FLOAT, [rows, cols], w);
    if (variant === 'fp16') return b.initializer(name, DataType.FLOAT16, [rows, cols], toF16(w));
    const { q, scale } = quantizePerColumn(w, rows, cols);
    const qName = b.initializer(`${name}.q`, DataType.INT8, [rows, cols], q);
    const sName = b.initializer(`${name}.scale`, DataType.FLOAT, [cols], scale);
    const zName = b.initializer(`${name}.zero`, DataType.INT8, [cols], new Int8Array(cols));
    return b.op('DequantizeLinear', [qName, sName, zName], { axis: 1 }, name);
  };
  const vector = (name: string, v: Float32Array): string =>
    variant === 'fp16'
      ? b.initializer(name, DataType.FLOAT16, [v.length], toF16(v))
      : b.initializer(name, DataType.FLOAT, [v.length], v);

  const zeroRows = new Map<number, string>();
  /** A [1, width] zero row (zeros of the scatter are made in-graph as inverse degree × this row). */
  const zeroRow = (width: number): string => {
    let zero = zeroRows.get(width);
    if (zero === undefined) {
      zero = b.initializer(`zero_row_${width}`, DataType.FLOAT, [1, width], new Float32Array(width));
      zeroRows.set(width, zero);
    }
    return zero;
  };
  /**
   * mean over incoming edges of rows[src]: Gather → ScatterND(add) into zeros → × inverse degree (fp32).
   * With `sign` ([E,1] per-message weights), each message is [row, sign·row] and the result 2·width wide.
   */
  const aggregate = (rows: string, width: number, src: string, dst: string, invDeg: string, sign: string): string => {
    const zero = zeroRow(sign ? 2 * width : width);
    const gathered = toF32(b.op('Gather', [rows, src], { axis: 0 }));
    const messages = sign ? b.op('Concat', [gathered, b.op('Mul', [gathered, sign])], { axis: 1 }) : gathered;
    const zeros = b.op('Mul', [invDeg, zero]);
    const sum = b.op('ScatterND', [zeros, dst, messages], { reduction: 'add' });
    return toAct(b.op('Mul', [sum, invDeg]));
  };

  const int64Consts = new Map<number, string>();
  /** A constant 1-element int64 tensor (Slice bounds), one initializer per value. */
  const int64Const = (v: number): string => {
    let name = int64Consts.get(v);
    if (name === undefined) {
      name = b.initializer(`int64_${v}`, DataType.INT64, [1], BigInt64Array.of(BigInt(v)));
      int64Consts.set(v, name);
    }
    return name;
  };

  /** mean over incoming edges of plain[src] + sign·signed[src] (both width wide), in fp32. */
  const signedAggregate = (
    plain: string,
    signed: string,
    width: number,
    e: { src: string; dst: string; invDeg: string; sign: string },
  ): string => {
    const gathered = (rows: string) => toF32(b.op('Gather', [rows, e.src], { axis: 0 }));
    const messages = b.op('Add', [gathered(plain), b.op('Mul', [gathered(signed), e.sign])]);
    const zeros = b.op('Mul', [e.invDeg, zeroRow(width)]);
    const sum = b.op('ScatterND', [zeros, e.dst, messages], { reduction: 'add' });
    return toAct(b.op('Mul', [sum, e.invDeg]));
  };

  const sage = (
    layer: 1 | 2,
    side: 'user' | 'movie',
    p: SageConvParams,
    dstRows: string,
    srcRows: string,
    edges: { src: string; dst: string; invDeg: string; sign: string },
  ): string => {
    const selfTerm = b.op('MatMul', [
      dstRows,
      matrix(INIT.conv(layer, side, 'self'), p.self.weight, p.self.inDim, p.self.outDim),
    ]);
    const wn = matrix(INIT.conv(layer, side, 'neigh'), p.neigh.weight, p.neigh.inDim, p.neigh.outDim);
    const { src, dst, invDeg, sign } = edges;
    const inDim = sign ? p.neigh.inDim / 2 : p.neigh.inDim;
    // Projecting first narrows the gathered rows. With the signed channel, [mean x, mean s·x]·[Wp; Ws]
    // = mean (x·Wp + s·(x·Ws)): project by both halves of the weight, then one signed scatter.
    let neighTerm: string;
    if (p.neigh.outDim > inDim) neighTerm = b.op('MatMul', [aggregate(srcRows, inDim, src, dst, invDeg, sign), wn]);
    else if (!sign) neighTerm = aggregate(b.op('MatMul', [srcRows, wn]), p.neigh.outDim, src, dst, invDeg, '');
    else {
      const half = (from: number) => b.op('Slice', [wn, int64Const(from), int64Const(from + inDim), int64Const(0)]);
      const plain = b.op('MatMul', [srcRows, half(0)]);
      const signed = b.op('MatMul', [srcRows, half(inDim)]);
      neighTerm = signedAggregate(plain, signed, p.neigh.outDim, edges);
    }
    return b.op('Add', [b.op('Add', [selfTerm, neighTerm]), vector(INIT.conv(layer, side, 'bias'), p.bias)]);
  };

  const I = MODEL_INPUTS;
  const xu = toAct(b.input(I.userFeatures, DataType.FLOAT, ['U', fu]));
  const movieParts: string[] = [];
  if (fm > 0) movieParts.push(toAct(b.input(I.movieFeatures, DataType.FLOAT, ['M', fm])));
  const movieIndex = did > 0 ? b.input(I.movieIndex, DataType.INT64, ['M']) : '';
  if (did > 0) {
    const table = matrix(INIT.movieIdEmbedding, params.movieIdEmbedding, params.numMovies, did);
    movieParts.push(b.op('Gather', [table, movieIndex], { axis: 0 }));
  }
  const xm = movieParts.length === 1 ? movieParts[0] : b.op('Concat', movieParts, { axis: 1 });
  const m2uSrc = b.input(I.m2uSrc, DataType.INT64, ['E']);
  const m2uDst = b.input(I.m2uDst, DataType.INT64, ['E', 1]);
  const u2mSrc = b.input(I.u2mSrc, DataType.INT64, ['E']);
  const u2mDst = b.input(I.u2mDst, DataType.INT64, ['E', 1]);
  const invU = b.input(I.userInvDeg, DataType.FLOAT, ['U', 1]);
  const invM = b.input(I.movieInvDeg, DataType.FLOAT, ['M', 1]);
  const signed = c.ratingMessages !== undefined;
  const m2u = {
    src: m2uSrc,
    dst: m2uDst,
    invDeg: invU,
    sign: signed ? b.input(I.m2uSign, DataType.FLOAT, ['E', 1]) : '',
  };
  const u2m = {
    src: u2mSrc,
    dst: u2mDst,
    invDeg: invM,
    sign: signed ? b.input(I.u2mSign, DataType.FLOAT, ['E', 1]) : '',
  };

  const { layer1: l1, layer2: l2 } = params;
  const h1u = b.op('Relu', [sage(1, 'user', l1.user, xu, xm, m2u)]);
  const h1m = b.op('Relu', [sage(1, 'movie', l1.movie, xm, xu, u2m)]);
  const h2u = sage(2, 'user', l2.user, h1u, h1m, m2u);
  const h2m = sage(2, 'movie', l2.movie, h1m, h1u, u2m);

  const eps = c.normalize ? b.initializer('norm_eps', DataType.FLOAT, [1], new Float32Array([1e-12])) : '';
  // The score-bias column (params.ts): a constant 1 per user (made from the [U,1] inverse degree, whose
  // rows exist for every user), the learned c_m per movie (rows chosen by movie_index, like the id
  // embedding's; kept fp32 in every variant).
  const biasColumn = (side: 'user' | 'movie'): string => {
    if (side === 'movie') {
      const table = b.initializer(INIT.movieScoreBias, DataType.FLOAT, [params.numMovies, 1], params.movieScoreBias);
      return b.op('Gather', [table, movieIndex], { axis: 0 });
    }
    const zero = b.initializer('zero_scalar', DataType.FLOAT, [1], new Float32Array(1));
    const one = b.initializer('one_scalar', DataType.FLOAT, [1], Float32Array.of(1));
    return b.op('Add', [b.op('Mul', [invU, zero]), one]);
  };
  const finish = (h1: string, h2: string, out: string): void => {
    let z = c.skip === 'none' ? h2 : c.skip === 'sum' ? b.op('Add', [h1, h2]) : b.op('Concat', [h1, h2], { axis: 1 });
    z = toF32(z);
    if (c.normalize) {
      const norm = b.op('ReduceL2', [z], { axes: [1], keepdims: 1 });
      z = b.op('Div', [z, b.op('Max', [norm, eps])]);
    }
    if (c.movieScoreBias)
      z = b.op('Concat', [z, biasColumn(out === MODEL_OUTPUTS.user ? 'user' : 'movie')], { axis: 1 });
    b.output(b.op('Identity', [z], {}, out), DataType.FLOAT, [out === MODEL_OUTPUTS.user ? 'U' : 'M', embeddingDim(c)]);
  };
  finish(h1u, h2u, MODEL_OUTPUTS.user);
  finish(h1m, h2m, MODEL_OUTPUTS.movie);

  // Not used by the graph: the rating calibration's per-movie bias rides along so the file stays the
  // single source of every learned number.
  b.initializer(INIT.movieBias, DataType.FLOAT, [params.calibration.movieBias.length], params.calibration.movieBias);
  const { movieBias: _, bilinear, ...calibration } = params.calibration;
  if (bilinear && bilinear.length > 0) {
    const d = baseEmbeddingDim(c);
    b.initializer(INIT.ratingBilinear, DataType.FLOAT, [d, d], bilinear);
  }
  const meta: ModelMetadata = {
    format: 1,
    variant,
    config: c,
    userFeatureDim: fu,
    movieFeatureDim: fm,
    numMovies: params.numMovies,
    calibration,
  };
  b.meta(MODEL_METADATA_KEY, JSON.stringify(meta));
  return b.toBytes(`cinesage_graphsage_${variant}`);
}
