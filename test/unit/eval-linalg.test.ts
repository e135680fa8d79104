import { describe, expect, test } from 'vitest';
import { invertSpdInPlace } from '../../pipeline/eval/linalg.ts';
import { Rng } from '../../pipeline/train/rng.ts';

/** A random SPD matrix: XᵀX of a random 0/1 matrix plus λI. */
function randomSpd(n: number, seed: number, lambda: number): Float64Array {
  const rng = new Rng(seed);
  const m = 2 * n;
  const x = new Float64Array(m * n).map(() => (rng.float() < 0.3 ? 1 : 0));
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let r = 0; r < m; r++) s += x[r * n + i] * x[r * n + j];
      a[i * n + j] = s + (i === j ? lambda : 0);
    }
  }
  return a;
}

function maxErrorFromIdentity(a: Float64Array, inv: Float64Array, n: number): number {
  let err = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * inv[k * n + j];
      err = Math.max(err, Math.abs(s - (i === j ? 1 : 0)));
    }
  }
  return err;
}

describe('invertSpdInPlace', () => {
  test.each([
    [1, 8],
    [7, 8],
    [37, 8],
    [37, 1],
    [40, 16],
    [64, 8],
    [100, 32],
  ])('A·A⁻¹ ≈ I for n=%i, block %i', (n, block) => {
    const a = randomSpd(n, n * 31 + block, 0.5);
    const inv = invertSpdInPlace(a.slice(), n, block);
    expect(maxErrorFromIdentity(a, inv, n)).toBeLessThan(1e-9);
    // The inverse of a symmetric matrix is symmetric, exactly as mirrored.
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(inv[i * n + j]).toBe(inv[j * n + i]);
  });

  test('a 2×2 by hand', () => {
    // [[4, 2], [2, 3]]⁻¹ = [[3, -2], [-2, 4]] / 8
    const inv = invertSpdInPlace(Float64Array.of(4, 2, 2, 3), 2);
    expect([...inv].map((v) => v * 8)).toEqual([3, -2, -2, 4].map((v) => expect.closeTo(v, 12)));
  });

  test('rejects a matrix that is not positive definite, and a wrong size', () => {
    expect(() => invertSpdInPlace(Float64Array.of(1, 2, 2, 1), 2)).toThrow(/not positive definite/);
    expect(() => invertSpdInPlace(new Float64Array(5), 2)).toThrow(RangeError);
  });
});
