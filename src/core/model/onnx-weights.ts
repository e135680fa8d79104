/**
 * Reconstructs `ModelParams` from exported ONNX bytes, so the model file is the browser's single source
 * of weights (the exact visitor update reads them). A minimal protobuf wire-format reader, no library:
 * ModelProto → graph → initializers (raw_data, float_data or int32_data; f32, f16 → f32, int8 + per-column
 * scale dequantised exactly as DequantizeLinear does) and `metadata_props` (config, dims, calibration).
 * Pure: no DOM or Node imports.
 */
import { ArtifactFormatError } from '../errors.ts';
import { f16BitsToF32 } from './float16.ts';
import { INIT, MODEL_METADATA_KEY, type ModelMetadata } from './onnx-contract.ts';
import {
  baseEmbeddingDim,
  type Dense,
  type ModelParams,
  movieInputDim,
  neighbourWidth,
  type SageConvParams,
} from './params.ts';

const FLOAT = 1;
const INT8 = 3;
const FLOAT16 = 10;
/** Only as graph constants (Slice bounds); their values are not weights and are not read back. */
const INT64 = 7;

export interface RawTensor {
  dims: number[];
  dataType: number;
  /** Values widened to f32 (int8 as integers). */
  values: Float32Array;
}

/** One protobuf field: wire type 0 (varint as number; `bytes` its encoding), 1/5 (fixed bytes) or 2 (bytes). */
interface Field {
  no: number;
  wire: number;
  varint: number;
  bytes: Uint8Array;
}

class WireReader {
  private pos = 0;
  private readonly buf: Uint8Array;
  private readonly file: string;
  constructor(buf: Uint8Array, file: string) {
    this.buf = buf;
    this.file = file;
  }

  private fail(why: string): never {
    throw new ArtifactFormatError(this.file, `not a valid ONNX model (${why} at byte ${this.pos})`);
  }

  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) this.fail('truncated varint');
      const byte = this.buf[this.pos++];
      result += (byte & 0x7f) * mul;
      if (byte < 0x80) return result;
      mul *= 128;
    }
    this.fail('varint too long');
  }

  /** A varint's low 32 bits as a signed int (int32 fields: negatives are sign-extended to 10 bytes). */
  int32(): number {
    let result = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.pos >= this.buf.length) this.fail('truncated varint');
      const byte = this.buf[this.pos++];
      if (shift < 32) result |= (byte & 0x7f) << shift;
      if (byte < 0x80) return result | 0;
    }
    this.fail('varint too long');
  }

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  private take(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.buf.length) this.fail('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  *fields(): Generator<Field> {
    while (this.pos < this.buf.length) {
      const key = this.varint();
      const no = Math.floor(key / 8);
      const wire = key & 7;
      if (wire === 0) {
        const start = this.pos;
        const varint = this.varint();
        yield { no, wire, varint, bytes: this.buf.subarray(start, this.pos) };
      } else if (wire === 1) yield { no, wire, varint: 0, bytes: this.take(8) };
      else if (wire === 5) yield { no, wire, varint: 0, bytes: this.take(4) };
      else if (wire === 2) yield { no, wire, varint: 0, bytes: this.take(this.varint()) };
      else this.fail(`unsupported wire type ${wire}`);
    }
  }
}

const decoder = new TextDecoder();

/** Appends a repeated scalar field's values (packed or not) to `out`. */
function pushRepeated(f: Field, out: number[], file: string, kind: 'varint' | 'int32' | 'float'): void {
  if (f.wire === 2) {
    if (kind === 'float') {
      const view = new DataView(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength);
      for (let i = 0; i + 4 <= f.bytes.length; i += 4) out.push(view.getFloat32(i, true));
    } else {
      const r = new WireReader(f.bytes, file);
      while (!r.done) out.push(kind === 'int32' ? r.int32() : r.varint());
    }
  } else if (kind === 'float' && f.wire === 5) {
    out.push(new DataView(f.bytes.buffer, f.bytes.byteOffset, 4).getFloat32(0, true));
  } else if (f.wire === 0) out.push(kind === 'int32' ? new WireReader(f.bytes, file).int32() : f.varint);
}

function parseTensor(buf: Uint8Array, file: string): RawTensor & { name: string } {
  const dims: number[] = [];
  const floatData: number[] = [];
  const int32Data: number[] = [];
  let dataType = 0;
  let name = '';
  let raw: Uint8Array | undefined;
  for (const f of new WireReader(buf, file).fields()) {
    if (f.no === 1) pushRepeated(f, dims, file, 'varint');
    else if (f.no === 2) dataType = f.varint;
    else if (f.no === 4) pushRepeated(f, floatData, file, 'float');
    else if (f.no === 5) pushRepeated(f, int32Data, file, 'int32');
    else if (f.no === 8) name = decoder.decode(f.bytes);
    else if (f.no === 9) raw = f.bytes;
    else if (f.no === 14 && f.varint !== 0) throw new ArtifactFormatError(file, `initializer ${name} is external`);
  }
  const count = dims.reduce((a, b) => a * b, 1);
  if (raw && raw.length !== count * bytesPer(dataType)) {
    throw new ArtifactFormatError(
      file,
      `initializer ${name} has ${raw.length} bytes for dims [${dims}] of type ${dataType}`,
    );
  }
  const values = new Float32Array(count);
  if (dataType === FLOAT) {
    if (raw) values.set(new Float32Array(copyBuffer(raw)));
    else values.set(floatData);
  } else if (dataType === FLOAT16) {
    const bits = raw ? new Uint16Array(copyBuffer(raw)) : Uint16Array.from(int32Data);
    for (let i = 0; i < count; i++) values[i] = f16BitsToF32(bits[i]);
  } else if (dataType === INT8) {
    const q = raw ? new Int8Array(raw.buffer, raw.byteOffset, raw.byteLength) : Int8Array.from(int32Data);
    values.set(q);
  } else {
    return { name, dims, dataType, values: new Float32Array(0) };
  }
  if (!raw && (dataType === FLOAT ? floatData : int32Data).length !== count) {
    throw new ArtifactFormatError(file, `initializer ${name} has the wrong number of values`);
  }
  return { name, dims, dataType, values };
}

/** An aligned copy (the input may be an unaligned view, e.g. a Node Buffer from a pool). */
function copyBuffer(bytes: Uint8Array): ArrayBuffer {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out.buffer;
}

function bytesPer(dataType: number): number {
  return dataType === INT64 ? 8 : dataType === FLOAT ? 4 : dataType === FLOAT16 ? 2 : 1;
}

/** Parses a ModelProto's initializers (f32 / f16 / int8) and metadata_props. */
export function readOnnxInitializers(
  bytes: Uint8Array,
  file = 'model.onnx',
): { initializers: Map<string, RawTensor>; metadata: Map<string, string> } {
  const initializers = new Map<string, RawTensor>();
  const metadata = new Map<string, string>();
  let sawGraph = false;
  for (const f of new WireReader(bytes, file).fields()) {
    if (f.no === 7 && f.wire === 2) {
      sawGraph = true;
      for (const g of new WireReader(f.bytes, file).fields()) {
        if (g.no !== 5 || g.wire !== 2) continue;
        const { name, ...t } = parseTensor(g.bytes, file);
        initializers.set(name, t);
      }
    } else if (f.no === 14 && f.wire === 2) {
      let key = '';
      let value = '';
      for (const e of new WireReader(f.bytes, file).fields()) {
        if (e.no === 1) key = decoder.decode(e.bytes);
        else if (e.no === 2) value = decoder.decode(e.bytes);
      }
      metadata.set(key, value);
    }
  }
  if (!sawGraph) throw new ArtifactFormatError(file, 'not an ONNX model (no graph)');
  return { initializers, metadata };
}

/** Reads the model's weights back as `ModelParams` (int8 weights dequantised: q·scale in f32). */
export function readModelParams(
  bytes: Uint8Array,
  file = 'model.onnx',
): ModelParams & { variant: ModelMetadata['variant'] } {
  const { initializers, metadata } = readOnnxInitializers(bytes, file);
  const json = metadata.get(MODEL_METADATA_KEY);
  if (json === undefined)
    throw new ArtifactFormatError(file, `no "${MODEL_METADATA_KEY}" metadata: not a CineSage model`);
  const meta = JSON.parse(json) as ModelMetadata;
  if (meta.format !== 1) throw new ArtifactFormatError(file, `unsupported model metadata format ${meta.format}`);

  const tensor = (name: string, rows: number, cols: number): Float32Array => {
    const plain = initializers.get(name);
    let out: Float32Array;
    if (plain) out = plain.values;
    else {
      const q = initializers.get(`${name}.q`);
      const scale = initializers.get(`${name}.scale`);
      if (!q || !scale) throw new ArtifactFormatError(file, `missing initializer ${name}`);
      out = new Float32Array(q.values.length);
      for (let i = 0; i < out.length; i++) out[i] = q.values[i] * scale.values[i % cols];
    }
    if (out.length !== rows * cols) throw new ArtifactFormatError(file, `initializer ${name} has the wrong shape`);
    return out;
  };
  const dense = (name: string, inDim: number, outDim: number): Dense => ({
    inDim,
    outDim,
    weight: tensor(name, inDim, outDim),
  });
  const conv = (
    layer: 1 | 2,
    side: 'user' | 'movie',
    selfIn: number,
    neighIn: number,
    out: number,
  ): SageConvParams => ({
    self: dense(INIT.conv(layer, side, 'self'), selfIn, out),
    neigh: dense(INIT.conv(layer, side, 'neigh'), neighIn, out),
    bias: tensor(INIT.conv(layer, side, 'bias'), 1, out),
  });

  const c = meta.config;
  const fu = meta.userFeatureDim;
  const xm = movieInputDim(meta);
  const did = c.movieIdEmbeddingDim;
  const h = c.hiddenDim;
  const n = (width: number) => neighbourWidth(c, width);
  const b = baseEmbeddingDim(c);
  return {
    variant: meta.variant,
    config: c,
    userFeatureDim: fu,
    movieFeatureDim: meta.movieFeatureDim,
    numMovies: meta.numMovies,
    movieIdEmbedding: did > 0 ? tensor(INIT.movieIdEmbedding, meta.numMovies, did) : new Float32Array(0),
    movieScoreBias: c.movieScoreBias ? tensor(INIT.movieScoreBias, meta.numMovies, 1) : new Float32Array(0),
    layer1: { user: conv(1, 'user', fu, n(xm), h), movie: conv(1, 'movie', xm, n(fu), h) },
    layer2: { user: conv(2, 'user', h, n(h), c.outDim), movie: conv(2, 'movie', h, n(h), c.outDim) },
    calibration: {
      ...meta.calibration,
      movieBias: tensor(INIT.movieBias, 1, meta.numMovies),
      ...(initializers.has(INIT.ratingBilinear) ? { bilinear: tensor(INIT.ratingBilinear, b, b) } : {}),
    },
  };
}
