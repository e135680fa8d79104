import { describe, expect, test } from 'vitest';
import { encodeNpyFloat32 } from '../../pipeline/eval/npy.ts';

/** The header numpy.save writes for a float32 C-order matrix, as produced by NumPy itself. */
function numpyHeader(shape: string): Uint8Array {
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`;
  const text = `\x93NUMPY\x01\x00\x76\x00${dict.padEnd(117, ' ')}\n`;
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

describe('encodeNpyFloat32', () => {
  test('header is byte-for-byte what numpy.save writes; data little-endian float32', () => {
    const bytes = encodeNpyFloat32(Float32Array.of(0.5, -1, 3.25, 1e-3, 2, 7), 2, 3);
    expect(bytes.length).toBe(128 + 24);
    expect([...bytes.subarray(0, 128)]).toEqual([...numpyHeader('(2, 3)')]);
    // Bytes of np.array([[0.5, -1, 3.25], [1e-3, 2, 7]], '<f4') after the header, from NumPy.
    expect([...bytes.subarray(128)]).toEqual([
      0, 0, 0, 63, 0, 0, 128, 191, 0, 0, 80, 64, 111, 18, 131, 58, 0, 0, 0, 64, 0, 0, 224, 64,
    ]);
  });

  test('the ML-100K export shapes keep the data 64-byte aligned', () => {
    const users = encodeNpyFloat32(new Float32Array(943 * 128), 943, 128);
    expect([...users.subarray(0, 128)]).toEqual([...numpyHeader('(943, 128)')]);
    const items = encodeNpyFloat32(new Float32Array(1682 * 64), 1682, 64);
    expect(items.length).toBe(128 + 1682 * 64 * 4);
    expect(items[127]).toBe(0x0a);
  });

  test('rejects data that does not fit the shape', () => {
    expect(() => encodeNpyFloat32(new Float32Array(5), 2, 3)).toThrow(RangeError);
  });
});
