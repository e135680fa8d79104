/**
 * The container every snapshot version shares (docs/snapshot-format.md § Layout): the fixed header, the
 * section table, 16-byte aligned sections laid out back to back, and the content hash. Reading checks every
 * header field and table entry against the buffer; writing is deterministic. Which sections a version holds
 * and what is in them is up to read.ts / write.ts (version 1) and read-serving.ts / write-serving.ts
 * (version 2). Pure: no DOM or Node imports.
 */
import { sha256 } from '../sha256.ts';
import {
  alignUp,
  DTYPE_BYTES,
  DTYPE_CODE,
  FIXED_HEADER_BYTES,
  HASHED_FROM,
  HEADER,
  MAX_SECTIONS,
  SECTION_ENTRY_BYTES,
  SECTION_KIND_CODE,
  SECTION_NAME_BYTES,
  type SectionDtype,
  type SectionInfo,
  type SectionKind,
  SNAPSHOT_MAGIC,
} from './format.ts';

export type Fail = (problem: string) => never;

/** A whole number ≥ 0 (counts, widths, dimensions in the JSON sections). */
export const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** The `meta.dataset` both versions carry: a name and a known format. */
export function isDatasetInfo(d: unknown): boolean {
  const x = d as { name?: unknown; format?: unknown } | null;
  return typeof x?.name === 'string' && ['ml-100k', 'ml-1m', 'ml-latest'].includes(x.format as string);
}

/** A typed-array class that can view a buffer (Int32Array, Float64Array, …). */
export type ArrayView<T> = { new (b: ArrayBufferLike, o: number, n: number): T; BYTES_PER_ELEMENT: number };

/**
 * The sections of an opened container by name, each checked against what its version expects (kind and
 * allowed element types): zero-copy typed views, and JSON sections parsed. Both readers use it.
 */
export function sectionReader<N extends string>(
  data: Uint8Array,
  sections: readonly SectionInfo[],
  expected: (name: N) => { kind: SectionKind; dtypes: readonly SectionDtype[] },
  fail: Fail,
) {
  const byName = new Map(sections.map((s) => [s.name, s]));
  const section = (name: N): SectionInfo => {
    const s = byName.get(name);
    if (!s) return fail(`section "${name}" is missing`);
    const e = expected(name);
    if (s.kind !== e.kind || !e.dtypes.includes(s.dtype)) {
      fail(`section "${name}" is ${s.kind}/${s.dtype}, expected ${e.kind}/${e.dtypes.join(' or ')}`);
    }
    return s;
  };
  const view = <T>(name: N, Ctor: ArrayView<T>): T => {
    const s = section(name);
    return new Ctor(data.buffer, data.byteOffset + s.offset, s.byteLength / Ctor.BYTES_PER_ELEMENT);
  };
  const json = (name: N): unknown => {
    const bytes = view(name, Uint8Array);
    try {
      return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch {
      return fail(`section "${name}" is not valid UTF-8 JSON`);
    }
  };
  return { has: (name: N) => byName.has(name), section, view, json };
}

export interface ContainerHeader {
  version: number;
  headerLength: number;
  sectionCount: number;
  fileLength: number;
  contentHash: Uint8Array;
}

export const IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The bytes as a Uint8Array whose start is 16-byte aligned in its buffer (copied only when it is not). */
export function alignedBytes(bytes: ArrayBuffer | Uint8Array): Uint8Array {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return u8.byteOffset % 16 === 0 ? u8 : u8.slice();
}

/**
 * The fixed header. `versionProblem` says what is wrong with a version this caller does not read (null for
 * one it does).
 */
export function readHeader(
  data: Uint8Array,
  fail: Fail,
  versionProblem: (version: number) => string | null,
): ContainerHeader {
  const startsWithMagic = data.length >= 8 && SNAPSHOT_MAGIC.every((b, i) => data[i] === b);
  if (!startsWithMagic) {
    const start = new TextDecoder('latin1').decode(data.subarray(0, 64)).trimStart();
    if (start.startsWith('<')) {
      fail('this looks like an HTML page, not a snapshot (the server answered with a page instead of the file)');
    }
    if (data.length < 8 && SNAPSHOT_MAGIC.subarray(0, data.length).every((b, i) => data[i] === b)) {
      fail(`truncated: ${data.length} bytes, the header alone needs ${FIXED_HEADER_BYTES}`);
    }
    fail('not a CineSage snapshot (wrong magic bytes)');
  }
  if (data.length < FIXED_HEADER_BYTES) {
    fail(`truncated: ${data.length} bytes, the header alone needs ${FIXED_HEADER_BYTES}`);
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const version = view.getUint32(HEADER.version, true);
  const problem = versionProblem(version);
  if (problem !== null) fail(problem);
  const headerLength = view.getUint32(HEADER.headerLength, true);
  const sectionCount = view.getUint32(HEADER.sectionCount, true);
  if (view.getUint32(HEADER.reserved, true) !== 0) fail('reserved header field is not zero');
  const fileLength = readU64(view, HEADER.fileLength, 'file length', fail);
  if (fileLength > data.length) fail(`truncated: the header says ${fileLength} bytes, got ${data.length}`);
  if (fileLength < data.length) fail(`${data.length - fileLength} bytes of unexpected data after the end`);
  if (sectionCount > MAX_SECTIONS) fail(`section count ${sectionCount} is implausible (max ${MAX_SECTIONS})`);
  if (headerLength !== alignUp(FIXED_HEADER_BYTES + sectionCount * SECTION_ENTRY_BYTES)) {
    fail(`header length ${headerLength} does not fit ${sectionCount} sections`);
  }
  if (headerLength > fileLength) fail(`truncated: the header needs ${headerLength} bytes, the file has ${fileLength}`);
  return {
    version,
    headerLength,
    sectionCount,
    fileLength,
    contentHash: data.slice(HEADER.contentHash, HEADER.contentHash + 32),
  };
}

function readU64(view: DataView, offset: number, what: string, fail: Fail): number {
  const lo = view.getUint32(offset, true);
  const hi = view.getUint32(offset + 4, true);
  if (hi >= 2 ** 21) fail(`${what} ${hi}·2^32 is implausibly large`);
  return hi * 2 ** 32 + lo;
}

const KIND_BY_CODE = invert(SECTION_KIND_CODE);
const DTYPE_BY_CODE = invert(DTYPE_CODE);

function invert<K extends string>(table: Record<K, number>): Map<number, K> {
  return new Map(Object.entries(table).map(([k, v]) => [v as number, k as K]));
}

/**
 * The section table: names unique, kinds and element types known (`dtypes`: those of the file's version),
 * sections laid out back to back (16-aligned).
 */
export function readSectionTable(
  data: Uint8Array,
  header: ContainerHeader,
  fail: Fail,
  dtypes: ReadonlySet<SectionDtype>,
): SectionInfo[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const sections: SectionInfo[] = [];
  const names = new Set<string>();
  let end = header.headerLength;
  for (let i = 0; i < header.sectionCount; i++) {
    const entry = FIXED_HEADER_BYTES + i * SECTION_ENTRY_BYTES;
    const name = readName(data.subarray(entry, entry + SECTION_NAME_BYTES));
    if (name === null) fail(`section ${i} has an unreadable name`);
    const label = `section ${i} ("${name}")`;
    if (names.has(name as string)) fail(`${label} appears twice`);
    names.add(name as string);
    const kind = KIND_BY_CODE.get(view.getUint32(entry + 32, true)) as SectionKind | undefined;
    const dtype = DTYPE_BY_CODE.get(view.getUint32(entry + 36, true)) as SectionDtype | undefined;
    if (!kind || !dtype || !dtypes.has(dtype)) fail(`${label} has an unknown kind or element type`);
    const offset = readU64(view, entry + 40, `${label} offset`, fail);
    const byteLength = readU64(view, entry + 48, `${label} length`, fail);
    if (view.getUint32(entry + 56, true) !== 0 || view.getUint32(entry + 60, true) !== 0) {
      fail(`${label} reserved field is not zero`);
    }
    if (offset !== alignUp(end)) fail(`${label} starts at ${offset}, expected ${alignUp(end)}`);
    if (offset + byteLength > header.fileLength) {
      fail(`${label} is out of bounds: ${offset}+${byteLength} is past the end of the ${header.fileLength}-byte file`);
    }
    if (byteLength % DTYPE_BYTES[dtype as SectionDtype] !== 0) {
      fail(`${label} length ${byteLength} is not a whole number of ${dtype}`);
    }
    sections.push({
      name: name as string,
      kind: kind as SectionKind,
      dtype: dtype as SectionDtype,
      offset,
      byteLength,
    });
    end = offset + byteLength;
  }
  if (alignUp(end) !== header.fileLength) fail(`the sections end at ${end}, the file at ${header.fileLength}`);
  return sections;
}

/** An ASCII name NUL-padded to its field, or null. */
function readName(field: Uint8Array): string | null {
  let n = 0;
  while (n < field.length && field[n] !== 0) n++;
  if (n === 0) return null;
  for (let i = n; i < field.length; i++) if (field[i] !== 0) return null;
  let s = '';
  for (let i = 0; i < n; i++) {
    if (field[i] < 0x20 || field[i] > 0x7e) return null;
    s += String.fromCharCode(field[i]);
  }
  return s;
}

/** One section to write: its table entry and its bytes. */
export interface SectionToWrite {
  name: string;
  kind: SectionKind;
  dtype: SectionDtype;
  data: ArrayBufferView;
}

/** Lays the sections out in the given order behind the header and table, and hashes them. */
export function encodeContainer(version: number, sections: SectionToWrite[], who: string): Uint8Array {
  const headerLength = alignUp(FIXED_HEADER_BYTES + sections.length * SECTION_ENTRY_BYTES);
  const offsets: number[] = [];
  let end = headerLength;
  for (const s of sections) {
    const offset = alignUp(end);
    offsets.push(offset);
    end = offset + s.data.byteLength;
  }
  const fileLength = alignUp(end);
  const out = new Uint8Array(fileLength);
  const view = new DataView(out.buffer);

  out.set(SNAPSHOT_MAGIC, HEADER.magic);
  view.setUint32(HEADER.version, version, true);
  view.setUint32(HEADER.headerLength, headerLength, true);
  view.setUint32(HEADER.sectionCount, sections.length, true);
  setU64(view, HEADER.fileLength, fileLength);

  const encoder = new TextEncoder();
  sections.forEach(({ name, kind, dtype, data }, i) => {
    const entry = FIXED_HEADER_BYTES + i * SECTION_ENTRY_BYTES;
    if (data.byteLength % DTYPE_BYTES[dtype] !== 0) throw new Error(`${who}: ${name} is not whole ${dtype}s`);
    out.set(encoder.encode(name).subarray(0, SECTION_NAME_BYTES), entry);
    view.setUint32(entry + 32, SECTION_KIND_CODE[kind], true);
    view.setUint32(entry + 36, DTYPE_CODE[dtype], true);
    setU64(view, entry + 40, offsets[i]);
    setU64(view, entry + 48, data.byteLength);
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offsets[i]);
  });
  out.set(sha256(out.subarray(HASHED_FROM)), HEADER.contentHash);
  return out;
}

function setU64(view: DataView, offset: number, value: number): void {
  view.setUint32(offset, value % 2 ** 32, true);
  view.setUint32(offset + 4, Math.floor(value / 2 ** 32), true);
}
