/**
 * Trained parameters as one JSON document with base64 float32 tensors: a bit-exact, comparable form of
 * the weights (the tests compare runs with it). The shipped weights live in the ONNX file.
 */
import { baseEmbeddingDim, type ModelParams } from '../../src/core/model/params.ts';
import { createParamBuffer } from './param-buffer.ts';

export const PARAMS_FORMAT = 'cinesage-model-params';
export const PARAMS_VERSION = 1;

function toBase64(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function fromBase64(s: string, expected: number, what: string): Float32Array {
  const bytes = Buffer.from(s, 'base64');
  if (bytes.byteLength !== expected * 4)
    throw new Error(`${what}: ${bytes.byteLength} bytes, expected ${expected * 4}`);
  const out = new Float32Array(expected);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** Serialises params (tensors in the flat-buffer order of param-buffer.ts) with optional metadata. */
export function paramsToJson(p: ModelParams, meta: Record<string, unknown> = {}): string {
  const buf = createParamBuffer(p, (n) => new Float32Array(n));
  const tensors: Record<string, string> = {};
  for (const t of buf.tensors) if (t.size > 0) tensors[t.name] = toBase64(tensorOf(p, t.name));
  const { movieBias, bilinear, ...calibration } = p.calibration;
  return JSON.stringify({
    format: PARAMS_FORMAT,
    version: PARAMS_VERSION,
    meta,
    config: p.config,
    userFeatureDim: p.userFeatureDim,
    movieFeatureDim: p.movieFeatureDim,
    numMovies: p.numMovies,
    tensors,
    calibration: {
      ...calibration,
      movieBias: toBase64(movieBias),
      ...(bilinear && bilinear.length > 0 ? { bilinear: toBase64(bilinear) } : {}),
    },
  });
}

/** Parses what `paramsToJson` wrote, checking the format, version and every tensor's size. */
export function paramsFromJson(text: string): ModelParams {
  const doc = JSON.parse(text);
  if (doc.format !== PARAMS_FORMAT || doc.version !== PARAMS_VERSION) {
    throw new Error(`not a ${PARAMS_FORMAT} v${PARAMS_VERSION} document`);
  }
  const buf = createParamBuffer(doc, (n) => new Float32Array(n));
  for (const t of buf.tensors) {
    const s = doc.tensors[t.name];
    if (t.size === 0) continue;
    if (typeof s !== 'string') throw new Error(`tensor ${t.name} missing`);
    buf.flat.set(fromBase64(s, t.size, t.name), t.offset);
  }
  const c = doc.calibration;
  const b = baseEmbeddingDim(doc.config);
  return {
    ...buf.params,
    calibration: {
      ...c,
      movieBias: fromBase64(c.movieBias, doc.numMovies, 'calibration.movieBias'),
      ...(c.bilinear ? { bilinear: fromBase64(c.bilinear, b * b, 'calibration.bilinear') } : {}),
    },
  };
}

/** The tensor named as in param-buffer.ts ("layer1.user.self", "movieIdEmbedding", …). */
function tensorOf(p: ModelParams, name: string): Float32Array {
  if (name === 'movieIdEmbedding') return p.movieIdEmbedding;
  if (name === 'movieScoreBias') return p.movieScoreBias;
  const [layer, side, part] = name.split('.') as ['layer1' | 'layer2', 'user' | 'movie', 'self' | 'neigh' | 'bias'];
  const conv = p[layer][side];
  return part === 'bias' ? conv.bias : conv[part].weight;
}
