/**
 * A minimal NumPy `.npy` writer (format version 1.0) for float32 matrices: magic `\x93NUMPY`, version 1 0,
 * a little-endian uint16 header length, an ASCII dict header padded with spaces and ended by `\n` so the
 * data starts at a multiple of 64 bytes, then the row-major little-endian float32 data. The padding follows
 * `numpy.save` (spare room for the first axis to grow to 21 digits), so the bytes equal what NumPy writes.
 */

/** The .npy bytes of a rows × cols float32 matrix (row-major `data`). */
export function encodeNpyFloat32(data: Float32Array, rows: number, cols: number): Uint8Array {
  if (data.length !== rows * cols) throw new RangeError(`npy: ${data.length} values for shape (${rows}, ${cols})`);
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new RangeError(`npy: bad shape (${rows}, ${cols})`);
  }
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const growth = Math.max(0, 21 - String(rows).length); // numpy's GROWTH_AXIS_MAX_DIGITS
  const unpadded = 10 + dict.length + growth + 1; // magic 6 + version 2 + length 2, dict, spare, '\n'
  const headerLen = unpadded - 10 + ((64 - (unpadded % 64)) % 64);
  const out = new Uint8Array(10 + headerLen + data.length * 4);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, headerLen & 0xff, headerLen >> 8]);
  const header = dict.padEnd(headerLen - 1, ' ').concat('\n');
  for (let i = 0; i < headerLen; i++) out[10 + i] = header.charCodeAt(i);
  const view = new DataView(out.buffer, 10 + headerLen);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return out;
}
