import { expect, test } from 'vitest';
import { pca2d, project } from '../../src/core/projection.ts';

test('PCA finds the directions of largest spread and projects new points consistently', () => {
  // Points spread widely along (1,1,0), less along (0,0,1), barely along (1,-1,0).
  const rows = 200;
  const data = new Float32Array(rows * 3);
  for (let r = 0; r < rows; r++) {
    // Whole periods: the three signals are exactly uncorrelated over the sample.
    const t = (2 * Math.PI * r) / rows;
    const a = Math.sin(t) * 10;
    const b = Math.cos(3 * t) * 3;
    const c = Math.sin(5 * t) * 0.1;
    data.set([a + c + 5, a - c + 5, b], r * 3);
  }
  const p = pca2d(data, rows, 3);
  expect(Math.abs(p.axes[0][0])).toBeCloseTo(Math.SQRT1_2, 3);
  expect(Math.abs(p.axes[0][2])).toBeLessThan(1e-3);
  expect(Math.abs(p.axes[1][2])).toBeCloseTo(1, 3);
  const [x, y] = project(p, data.subarray(3, 6));
  expect(x).toBeCloseTo(p.points[2], 4);
  expect(y).toBeCloseTo(p.points[3], 4);
});

test('a strided sample gives the same axes as all rows on regular data', () => {
  const rows = 4000;
  const data = new Float32Array(rows * 2);
  for (let r = 0; r < rows; r++)
    data.set([Math.sin((2 * Math.PI * r) / rows) * 5, Math.cos((2 * Math.PI * r) / rows)], r * 2);
  const all = pca2d(data, rows, 2, { maxSampleRows: rows });
  const sample = pca2d(data, rows, 2, { maxSampleRows: 400 });
  expect(Math.abs(sample.axes[0][0])).toBeCloseTo(Math.abs(all.axes[0][0]), 4);
  expect(sample.points.length).toBe(rows * 2);
});

test('a trailing score column is left out: the same plane as the taste columns alone, visitor included', () => {
  const rows = 300;
  const taste = new Float32Array(rows * 2);
  const withScore = new Float32Array(rows * 3);
  for (let r = 0; r < rows; r++) {
    const t = (2 * Math.PI * r) / rows;
    taste.set([Math.sin(t), 0.5 * Math.cos(t)], r * 2);
    // A popularity-like column with far more spread than the taste columns.
    withScore.set([Math.sin(t), 0.5 * Math.cos(t), 20 * (r % 7)], r * 3);
  }
  const plain = pca2d(taste, rows, 2);
  const p = pca2d(withScore, rows, 3, { width: 2 });
  expect(Array.from(p.points)).toEqual(Array.from(plain.points));
  // The visitor's row has 1 in the score column; only the taste columns place it.
  expect(project(p, [0.3, -0.2, 1])).toEqual(project(plain, [0.3, -0.2]));
  // Without the width, the score column would be the main axis.
  expect(Math.abs(pca2d(withScore, rows, 3).axes[0][2])).toBeGreaterThan(0.99);
});
