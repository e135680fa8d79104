/**
 * The visitor model's weights as a serving snapshot stores them (sections `model.params`, `model.weights`,
 * `model.movieBias`): the config and calibration scalars as JSON, every dense tensor as float32 in one fixed
 * order whose shapes follow from the config, so the browser's exact update needs no model file. The values
 * are the ones `readModelParams` reads from the model file (int8 weights already dequantised), bit for bit.
 * Pure: no DOM or Node imports.
 */

import {
  baseEmbeddingDim,
  type Dense,
  type ModelConfig,
  movieInputDim,
  neighbourWidth,
  type RatingCalibration,
  type SageConvParams,
  type VisitorParams,
} from '../model/params.ts';
import { type Fail, isCount } from './container.ts';

/** Contents of the `model.params` section. */
export interface ServingParamsJson {
  config: ModelConfig;
  userFeatureDim: number;
  movieFeatureDim: number;
  numMovies: number;
  calibration: Omit<RatingCalibration, 'movieBias' | 'bilinear'>;
  /** The rating head has a bilinear term (stored last in `model.weights`). */
  bilinear: boolean;
  /** Float32 values in `model.weights` (a check on the shapes the config implies). */
  weightCount: number;
  /** Bits per value of the scoring codes (`codes.*`). */
  codeBits: number;
}

type Shape = [rows: number, cols: number];

/** The dense tensors in storage order, with the shapes the config implies (`readModelParams`' shapes). */
function layout(j: Omit<ServingParamsJson, 'weightCount' | 'codeBits'>): [string, Shape][] {
  const c = j.config;
  const fu = j.userFeatureDim;
  const xm = movieInputDim(j);
  const h = c.hiddenDim;
  const n = (width: number) => neighbourWidth(c, width);
  const conv = (name: string, selfIn: number, neighIn: number, out: number): [string, Shape][] => [
    [`${name}.self`, [selfIn, out]],
    [`${name}.neigh`, [neighIn, out]],
    [`${name}.bias`, [1, out]],
  ];
  const b = baseEmbeddingDim(c);
  return [
    ...conv('l1.user', fu, n(xm), h),
    ...conv('l1.movie', xm, n(fu), h),
    ...conv('l2.user', h, n(h), c.outDim),
    ...conv('l2.movie', h, n(h), c.outDim),
    ...(j.bilinear ? ([['calibration.bilinear', [b, b]]] as [string, Shape][]) : []),
  ];
}

/** The three sections' contents for `p` (the per-movie id embeddings and score biases are not among them). */
export function encodeServingParams(
  p: VisitorParams,
  codeBits: number,
): {
  json: ServingParamsJson;
  weights: Float32Array;
  movieBias: Float32Array;
} {
  const { movieBias, bilinear, ...scalars } = p.calibration;
  const head = {
    config: p.config,
    userFeatureDim: p.userFeatureDim,
    movieFeatureDim: p.movieFeatureDim,
    numMovies: p.numMovies,
    calibration: scalars,
    bilinear: bilinear !== undefined && bilinear.length > 0,
  };
  const tensors: Record<string, Float32Array> = {};
  const add = (name: string, conv: SageConvParams) => {
    tensors[`${name}.self`] = conv.self.weight;
    tensors[`${name}.neigh`] = conv.neigh.weight;
    tensors[`${name}.bias`] = conv.bias;
  };
  add('l1.user', p.layer1.user);
  add('l1.movie', p.layer1.movie);
  add('l2.user', p.layer2.user);
  add('l2.movie', p.layer2.movie);
  if (head.bilinear && bilinear) tensors['calibration.bilinear'] = bilinear;
  const order = layout(head);
  const weights = new Float32Array(order.reduce((n, [, [r, c]]) => n + r * c, 0));
  let at = 0;
  for (const [name, [r, c]] of order) {
    const t = tensors[name];
    if (t.length !== r * c) throw new RangeError(`encodeServingParams: ${name} has ${t.length} values, not ${r}×${c}`);
    weights.set(t, at);
    at += t.length;
  }
  return { json: { ...head, weightCount: weights.length, codeBits }, weights, movieBias };
}

/** The visitor model back from the sections (validated; `fail` names the file's problem). */
export function decodeServingParams(
  json: unknown,
  weights: Float32Array,
  movieBias: Float32Array,
  fail: Fail,
): VisitorParams {
  const j = json as ServingParamsJson;
  const c = j?.config;
  if (
    typeof j !== 'object' ||
    j === null ||
    typeof c !== 'object' ||
    c === null ||
    !isCount(c.hiddenDim) ||
    !isCount(c.outDim) ||
    !isCount(c.movieIdEmbeddingDim) ||
    !['none', 'sum', 'concat'].includes(c.skip) ||
    typeof c.normalize !== 'boolean' ||
    !(typeof c.temperature === 'number' && c.temperature > 0) ||
    !isCount(j.userFeatureDim) ||
    !isCount(j.movieFeatureDim) ||
    !isCount(j.numMovies) ||
    typeof j.calibration !== 'object' ||
    j.calibration === null ||
    typeof j.bilinear !== 'boolean'
  ) {
    fail('section "model.params" does not describe the model (config, feature widths, calibration)');
  }
  for (const [k, v] of Object.entries(j.calibration)) {
    if (!(typeof v === 'number' && Number.isFinite(v))) fail(`model.params calibration.${k} is ${v}`);
  }
  const order = layout(j);
  const expected = order.reduce((n, [, [r, cols]]) => n + r * cols, 0);
  if (weights.length !== expected || j.weightCount !== expected) {
    fail(`model.weights has ${weights.length} values; the model's config needs ${expected}`);
  }
  if (movieBias.length !== j.numMovies) fail(`model.movieBias has ${movieBias.length} values, not ${j.numMovies}`);
  for (let i = 0; i < weights.length; i++)
    if (!Number.isFinite(weights[i])) fail(`model.weights[${i}] is ${weights[i]}`);
  for (let i = 0; i < movieBias.length; i++) {
    if (!Number.isFinite(movieBias[i])) fail(`model.movieBias[${i}] is ${movieBias[i]}`);
  }
  const t: Record<string, Float32Array> = {};
  let at = 0;
  for (const [name, [r, cols]] of order) {
    t[name] = weights.subarray(at, at + r * cols);
    at += r * cols;
  }
  const dense = (name: string): Dense => {
    const [, [r, cols]] = order.find(([n]) => n === name) as [string, Shape];
    return { inDim: r, outDim: cols, weight: t[name] };
  };
  const conv = (name: string): SageConvParams => ({
    self: dense(`${name}.self`),
    neigh: dense(`${name}.neigh`),
    bias: t[`${name}.bias`],
  });
  return {
    config: j.config,
    userFeatureDim: j.userFeatureDim,
    movieFeatureDim: j.movieFeatureDim,
    numMovies: j.numMovies,
    layer1: { user: conv('l1.user'), movie: conv('l1.movie') },
    layer2: { user: conv('l2.user'), movie: conv('l2.movie') },
    calibration: { ...j.calibration, movieBias, ...(j.bilinear ? { bilinear: t['calibration.bilinear'] } : {}) },
  };
}
