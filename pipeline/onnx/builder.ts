/**
 * A tiny typed helper over onnx-proto for authoring ONNX graphs: add nodes, initializers and
 * inputs/outputs with symbolic dims, then serialise to bytes. Opset 17 (ScatterND reduction='add' needs
 * ≥ 16; ReduceL2 still takes `axes` as an attribute at 17). No Node imports, so it also runs in a browser.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export const OPSET = 17;
/** IR version 8 pairs with opset 17 (ONNX 1.12). */
export const IR_VERSION = 8;

export const DataType = {
  FLOAT: 1,
  INT8: 3,
  INT64: 7,
  FLOAT16: 10,
} as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

/** A dimension: a fixed size or a symbolic name such as 'U'. */
export type Dim = number | string;

export type AttrValue = number | string | number[] | { float: number };

type TensorData = Float32Array | Int8Array | BigInt64Array | Uint16Array;

export class GraphBuilder {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly metadata: onnxProto.onnx.IStringStringEntryProto[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  /** A fresh value name with the given prefix. */
  fresh(prefix: string): string {
    let name: string;
    do name = `${prefix}_${this.counter++}`;
    while (this.names.has(name));
    this.names.add(name);
    return name;
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`ONNX builder: duplicate value name ${name}`);
    this.names.add(name);
    return name;
  }

  input(name: string, type: DataTypeCode, dims: Dim[]): string {
    this.inputs.push(valueInfo(this.claim(name), type, dims));
    return name;
  }

  /** Declares `value` a graph output (its name is kept). */
  output(value: string, type: DataTypeCode, dims: Dim[]): void {
    this.outputs.push(valueInfo(value, type, dims));
  }

  /** Adds a constant tensor; raw little-endian bytes, the layout ORT loads fastest. */
  initializer(name: string, type: DataTypeCode, dims: number[], data: TensorData): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== data.length) throw new Error(`ONNX builder: ${name} has ${data.length} values, dims say ${count}`);
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    this.initializers.push({ name: this.claim(name), dataType: type, dims, rawData: bytes });
    return name;
  }

  /** Adds a node with one output (named `out` or a fresh name) and returns the output's name. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, out?: string): string {
    const output = out === undefined ? this.fresh(opType.toLowerCase()) : this.claim(out);
    this.nodes.push({
      opType,
      name: `${opType}_${this.nodes.length}`,
      input: inputs,
      output: [output],
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return output;
  }

  meta(key: string, value: string): void {
    this.metadata.push({ key, value });
  }

  toBytes(graphName: string): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: 'cinesage',
      producerVersion: '1',
      graph: {
        name: graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
      metadataProps: this.metadata,
    });
    // A plain, unshared Uint8Array (in Node protobufjs returns a Buffer that may view a shared pool).
    return new Uint8Array(onnx.ModelProto.encode(model).finish());
  }
}

function valueInfo(name: string, elemType: DataTypeCode, dims: Dim[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, v: AttrValue): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`ONNX builder: attribute ${name}: use { float } for non-integers`);
    return { name, type: T.INT, i: v };
  }
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  return { name, type: T.FLOAT, f: v.float };
}
