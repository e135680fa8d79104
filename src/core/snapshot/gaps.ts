/**
 * Increasing integer lists as varint gaps, the serving snapshot's compact form of its sorted sections
 * (`movies.ids`, `movies.titleOffsets`, `visitor.raters`; docs/snapshot-format.md): each list is stored as
 * its first value, then each difference (minus one where the list is strictly increasing), every number an
 * unsigned LEB128 varint (7 bits a byte, low bits first, high bit set when more follow). The gaps of these
 * lists are small, so most take one byte: ML-100K's rater lists are 99 KB (60 KB gzipped) where int32 was
 * 391 KB (100 KB gzipped) — bytes the first lists wait for. Pure: no DOM or Node imports.
 */

/** How the lists of one section are laid out and what they may hold. */
export interface GapLists {
  /** The section's name, for messages. */
  section: string;
  /** Each value exceeds the one before (else: is at least it). */
  strict: boolean;
  /** Every value is below this. */
  below: number;
  /** Names list k in messages (default "list k"). */
  label?: (k: number) => string;
}

/** Where each list starts in the concatenated values, from the lists' lengths (a CSR pointer, length + 1). */
export function listStarts(lengths: ArrayLike<number>): Int32Array {
  const ptr = new Int32Array(lengths.length + 1);
  for (let k = 0; k < lengths.length; k++) ptr[k + 1] = ptr[k] + lengths[k];
  return ptr;
}

/** Encodes the lists values[ptr[k] .. ptr[k+1]), list after list; throws when one is not increasing. */
export function encodeGaps(ptr: ArrayLike<number>, values: ArrayLike<number>, strict: boolean): Uint8Array {
  let out = new Uint8Array(Math.max(16, values.length + (values.length >> 2)));
  let n = 0;
  const put = (value: number): void => {
    if (n + 5 > out.length) {
      const grown = new Uint8Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    let v = value;
    while (v >= 0x80) {
      out[n++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 0x80);
    }
    out[n++] = v;
  };
  const step = strict ? 1 : 0;
  for (let k = 0; k + 1 < ptr.length; k++) {
    for (let a = ptr[k]; a < ptr[k + 1]; a++) {
      const gap = a === ptr[k] ? values[a] : values[a] - values[a - 1] - step;
      if (a === ptr[k] && !(gap >= 0)) throw new RangeError(`gaps: list ${k} starts at ${gap}, below 0`);
      if (!(Number.isInteger(gap) && gap >= 0 && gap <= 0xffffffff)) {
        throw new RangeError(`gaps: list ${k} is not ${strict ? 'strictly ' : ''}increasing at entry ${a}`);
      }
      put(gap);
    }
  }
  return out.slice(0, n);
}

/**
 * Decodes lists of the given lengths from `bytes` into `values` (Int32Array for values below 2^31,
 * Uint32Array below 2^32), checking that every value is below `lists.below` and that the bytes end exactly
 * with the last one; `fail` is called with what is wrong otherwise. Returns the lists' start pointers and
 * their values, concatenated.
 */
export function decodeGaps<T extends Int32Array | Uint32Array>(
  bytes: Uint8Array,
  lengths: ArrayLike<number>,
  lists: GapLists,
  values: (count: number) => T,
  fail: (problem: string) => never,
): { ptr: Int32Array; values: T } {
  const { section, below } = lists;
  const label = lists.label ?? ((k: number) => `list ${k}`);
  const step = lists.strict ? 1 : 0;
  const ptr = listStarts(lengths);
  const out = values(ptr[lengths.length]);
  let p = 0;
  for (let k = 0; k < lengths.length; k++) {
    let previous = 0;
    for (let a = ptr[k]; a < ptr[k + 1]; a++) {
      let v = 0;
      let scale = 1;
      for (let length = 1; ; length++) {
        if (p >= bytes.length) fail(`${section} ends inside ${label(k)} (value ${a + 1} of ${out.length})`);
        if (length > 5) fail(`${section} has a number longer than 5 bytes at byte ${p} (${label(k)})`);
        const b = bytes[p++];
        v += (b & 0x7f) * scale;
        if (b < 0x80) break;
        scale *= 0x80;
      }
      const value = a === ptr[k] ? v : previous + step + v;
      if (!(value < below)) fail(`${section} has ${value} in ${label(k)}, not below ${below}`);
      out[a] = value;
      previous = value;
    }
  }
  if (p !== bytes.length) fail(`${section} has ${bytes.length - p} bytes after the last value`);
  return { ptr, values: out };
}
