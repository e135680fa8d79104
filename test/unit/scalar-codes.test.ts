/**
 * The scoring codes (src/core/recommend/scalar-codes.ts): the grid covers each column exactly at its ends,
 * every value decodes within half a step, the bits bound the codes, constant columns and empty inputs work,
 * and a damaged set of codes is named.
 */
import { expect, test } from 'vitest';
import { decodeScalarCodes, encodeScalarCodes, scalarCodesProblem } from '../../src/core/recommend/scalar-codes.ts';
import { rng } from '../helpers/random-model.ts';

const random = (count: number, dim: number, seed: number) => {
  const r = rng(seed);
  return Float32Array.from({ length: count * dim }, (_, i) => (i % dim === 2 ? 0.25 : (r() - 0.5) * (1 + (i % dim))));
};

test('each value decodes within half a grid step; column ends are exact; codes fit the bits', () => {
  const dim = 5;
  const v = random(300, dim, 3);
  for (const bits of [1, 4, 6, 8]) {
    const c = encodeScalarCodes(v, 300, dim, bits);
    const back = decodeScalarCodes(c, 300);
    for (let i = 0; i < v.length; i++) {
      expect(Math.abs(back[i] - v[i])).toBeLessThanOrEqual(c.step[i % dim] / 2 + 1e-6);
      expect(c.values[i]).toBeLessThan(2 ** bits);
    }
    // Column-major: row 5's value of column 3 is at 3·count + 5.
    expect(back[5 * dim + 3]).toBe(Math.fround(c.min[3] + c.values[3 * 300 + 5] * c.step[3]));
    for (let j = 0; j < dim; j++) {
      const column = Array.from({ length: 300 }, (_, i) => v[i * dim + j]);
      expect(c.min[j]).toBe(Math.min(...column));
    }
    // Column 2 is constant: no step, every code 0, decoded exactly.
    expect(c.step[2]).toBe(0);
    expect(back[2]).toBe(0.25);
    expect(scalarCodesProblem(c, 300)).toBeNull();
  }
  // More bits, less error.
  const err = (bits: number) => {
    const back = decodeScalarCodes(encodeScalarCodes(v, 300, dim, bits), 300);
    return v.reduce((a, x, i) => a + (x - back[i]) ** 2, 0);
  };
  expect(err(6)).toBeLessThan(err(4) / 10);
});

test('bad inputs and damaged codes are named', () => {
  expect(() => encodeScalarCodes(new Float32Array(6), 2, 3, 9)).toThrow(/9 bits/);
  expect(() => encodeScalarCodes(new Float32Array(5), 2, 3, 6)).toThrow(/not 2 × 3/);
  expect(() => encodeScalarCodes(Float32Array.of(1, Number.NaN), 1, 2, 6)).toThrow(/NaN/);
  const empty = encodeScalarCodes(new Float32Array(0), 0, 3, 6);
  expect(decodeScalarCodes(empty, 0)).toEqual(new Float32Array(0));
  const c = encodeScalarCodes(random(10, 4, 1), 10, 4, 6);
  expect(scalarCodesProblem(c, 11)).toMatch(/40 codes, not 11 movies × 4/);
  expect(scalarCodesProblem({ ...c, bits: 0 }, 10)).toMatch(/0 bits/);
  expect(scalarCodesProblem({ ...c, step: Float32Array.of(1, -1, 0, 0) }, 10)).toMatch(/column 1/);
  const high = c.values.slice();
  high[7] = 64;
  expect(scalarCodesProblem({ ...c, values: high }, 10)).toMatch(/code 64 at 7 exceeds 63/);
});
