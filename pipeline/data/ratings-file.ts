/**
 * Streams a MovieLens ratings file (`u.data`, `ratings.dat`, `ratings.csv`) into a `RatingTable`: bytes are
 * split into lines and parsed field by field straight from the chunk buffers, so a 25M-line file is never
 * held as text (let alone twice) and never becomes an array of objects.
 */
import { createReadStream } from 'node:fs';
import type { RatingTable } from '../../src/core/dataset.ts';
import { DatasetParseError } from '../../src/core/errors.ts';
import { RatingTableBuilder } from './rating-table.ts';

export interface RatingsFileFormat {
  /** Field separator: `\t` (ML-100K), `::` (ML-1M), `,` (ML-latest). */
  separator: string;
  /** The exact header line the file starts with, or null when it has none. */
  header: string | null;
}

const NEWLINE = 0x0a;
const CR = 0x0d;

/** Reads and parses a ratings file from disk. `label` names it in errors (defaults to the path). */
export async function readRatingsFile(path: string, format: RatingsFileFormat, label = path): Promise<RatingTable> {
  return parseRatingsStream(createReadStream(path, { highWaterMark: 1 << 20 }), format, label);
}

/** Parses ratings from a byte stream whose chunks may split lines (and separators) anywhere. */
export async function parseRatingsStream(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  format: RatingsFileFormat,
  file: string,
): Promise<RatingTable> {
  const parser = new RatingLineParser(format, file);
  let carry: Uint8Array | null = null;
  for await (const chunk of chunks) {
    let start = 0;
    let nl = chunk.indexOf(NEWLINE);
    if (carry !== null) {
      if (nl < 0) {
        carry = concat(carry, chunk);
        continue;
      }
      const line = concat(carry, chunk.subarray(0, nl));
      parser.line(line, 0, line.length);
      carry = null;
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    while (nl >= 0) {
      parser.line(chunk, start, nl);
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) carry = chunk.slice(start);
  }
  if (carry !== null) parser.line(carry, 0, carry.length);
  return parser.finish();
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

class RatingLineParser {
  private readonly sep: Uint8Array;
  private readonly headerBytes: Uint8Array | null;
  private readonly file: string;
  private readonly table = new RatingTableBuilder();
  private lineNo = 0;
  private readonly fieldStart = new Int32Array(4);
  private readonly fieldEnd = new Int32Array(4);

  constructor(format: RatingsFileFormat, file: string) {
    this.sep = new TextEncoder().encode(format.separator);
    this.headerBytes = format.header === null ? null : new TextEncoder().encode(format.header);
    this.file = file;
  }

  line(buf: Uint8Array, start: number, end: number): void {
    this.lineNo++;
    if (end > start && buf[end - 1] === CR) end--;
    if (this.lineNo === 1 && this.headerBytes !== null) {
      if (!bytesEqual(buf, start, end, this.headerBytes)) {
        this.fail(`expected the header "${new TextDecoder().decode(this.headerBytes)}"`, buf, start, end);
      }
      return;
    }
    if (end === start) return;
    if (!this.split(buf, start, end)) this.fail('expected 4 fields: user, movie, rating, timestamp', buf, start, end);
    const user = parseId(buf, this.fieldStart[0], this.fieldEnd[0]);
    const movie = parseId(buf, this.fieldStart[1], this.fieldEnd[1]);
    const rating = parseStars(buf, this.fieldStart[2], this.fieldEnd[2]);
    const timestamp = parseUnsigned(buf, this.fieldStart[3], this.fieldEnd[3]);
    if (user < 1) this.fail('user id is not a positive integer', buf, start, end);
    if (movie < 1) this.fail('movie id is not a positive integer', buf, start, end);
    if (!(rating >= 0.5 && rating <= 5 && Number.isInteger(rating * 2))) {
      this.fail('rating is not 0.5–5 in half stars', buf, start, end);
    }
    if (timestamp < 0 || timestamp > 0xffffffff) this.fail('timestamp is not unix seconds', buf, start, end);
    this.table.push(user, movie, rating, timestamp);
  }

  finish(): RatingTable {
    return this.table.finish();
  }

  /** Finds the 4 fields of a line; false when there are more or fewer. */
  private split(buf: Uint8Array, start: number, end: number): boolean {
    const sep = this.sep;
    let field = 0;
    let fieldStart = start;
    for (let i = start; i <= end - sep.length; i++) {
      let match = true;
      for (let k = 0; k < sep.length; k++) {
        if (buf[i + k] !== sep[k]) {
          match = false;
          break;
        }
      }
      if (!match) continue;
      if (field >= 3) return false;
      this.fieldStart[field] = fieldStart;
      this.fieldEnd[field] = i;
      field++;
      i += sep.length - 1;
      fieldStart = i + 1;
    }
    if (field !== 3) return false;
    this.fieldStart[3] = fieldStart;
    this.fieldEnd[3] = end;
    return true;
  }

  private fail(problem: string, buf: Uint8Array, start: number, end: number): never {
    const text = new TextDecoder('latin1').decode(buf.subarray(start, Math.min(end, start + 120)));
    throw new DatasetParseError(`${this.file}:${this.lineNo}: ${problem}, got "${text}"`);
  }
}

function bytesEqual(buf: Uint8Array, start: number, end: number, expected: Uint8Array): boolean {
  // A UTF-8 byte order mark before the header is tolerated.
  if (end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
  if (end - start !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (buf[start + i] !== expected[i]) return false;
  return true;
}

/** Decimal digits only; -1 when empty or not digits (or too long to be exact). */
function parseUnsigned(buf: Uint8Array, start: number, end: number): number {
  if (end <= start || end - start > 15) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i] - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** A positive id that fits an Int32Array; -1 otherwise. */
function parseId(buf: Uint8Array, start: number, end: number): number {
  const v = parseUnsigned(buf, start, end);
  return v > 0x7fffffff ? -1 : v;
}

/** `4`, `4.5`, `4.0`; NaN for anything else. */
function parseStars(buf: Uint8Array, start: number, end: number): number {
  let dot = -1;
  for (let i = start; i < end; i++) {
    if (buf[i] === 0x2e) {
      dot = i;
      break;
    }
  }
  if (dot < 0) {
    const v = parseUnsigned(buf, start, end);
    return v < 0 ? Number.NaN : v;
  }
  const whole = parseUnsigned(buf, start, dot);
  const frac = parseUnsigned(buf, dot + 1, end);
  if (whole < 0 || frac < 0) return Number.NaN;
  return whole + frac / 10 ** (end - dot - 1);
}
