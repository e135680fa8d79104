import { describe, expect, test } from 'vitest';
import { dislikeAtK, hitRateAtK, ndcgAtK, ratingErrors, recallAtK } from '../../src/core/metrics.ts';

describe('ranking metrics, hand-computed', () => {
  // Ranked list 5,3,9,1,7; positives {3,7,8}: hits at ranks 1 (0-based) and 4.
  const ranked = [5, 3, 9, 1, 7];
  const pos = new Set([3, 7, 8]);

  test('Recall@K divides hits by the number of positives', () => {
    expect(recallAtK(ranked, pos, 3, 5)).toBeCloseTo(2 / 3, 12);
    expect(recallAtK(ranked, pos, 3, 2)).toBeCloseTo(1 / 3, 12);
    expect(recallAtK(ranked, pos, 3, 1)).toBe(0);
  });

  test('NDCG@K uses binary gain and IDCG over min(K, positives)', () => {
    // DCG@5 = 1/log2(3) + 1/log2(6); IDCG@5 = 1 + 1/log2(3) + 1/2 (three positives).
    const dcg5 = 1 / Math.log2(3) + 1 / Math.log2(6);
    expect(ndcgAtK(ranked, pos, 3, 5)).toBeCloseTo(dcg5 / (1 + 1 / Math.log2(3) + 0.5), 12);
    // K=2: DCG = 1/log2(3), IDCG = 1 + 1/log2(3) (min(2,3)=2 ideal hits).
    expect(ndcgAtK(ranked, pos, 3, 2)).toBeCloseTo(1 / Math.log2(3) / (1 + 1 / Math.log2(3)), 12);
    // One positive at the top: 1.
    expect(ndcgAtK([4, 1], new Set([4]), 1, 20)).toBe(1);
    // One positive at rank 2 (0-based): 1/log2(4) = 0.5.
    expect(ndcgAtK([0, 1, 4], new Set([4]), 1, 20)).toBeCloseTo(0.5, 12);
  });

  test('HR@K is 1 on any hit in the top K', () => {
    expect(hitRateAtK(ranked, pos, 1)).toBe(0);
    expect(hitRateAtK(ranked, pos, 2)).toBe(1);
  });

  test('a 0/1 mask works as the positive set', () => {
    const mask = new Uint8Array(10);
    mask[3] = mask[7] = mask[8] = 1;
    expect(recallAtK(ranked, mask, 3, 5)).toBeCloseTo(2 / 3, 12);
    expect(ndcgAtK(ranked, mask, 3, 5)).toBeCloseTo(ndcgAtK(ranked, pos, 3, 5), 12);
  });

  test('no positives gives 0, not NaN', () => {
    expect(recallAtK(ranked, new Set(), 0, 5)).toBe(0);
    expect(ndcgAtK(ranked, new Set(), 0, 5)).toBe(0);
  });
});

describe('Dislike@K and rating errors, hand-computed', () => {
  test('Dislike@K is the share of hidden dislikes in the top K', () => {
    // Dislikes {9, 1, 4}: 9 at rank 2 and 1 at rank 3 are in the top 5, 4 is not ranked.
    const ranked = [5, 3, 9, 1, 7];
    const dislikes = new Set([9, 1, 4]);
    expect(dislikeAtK(ranked, dislikes, 3, 5)).toBeCloseTo(2 / 3, 12);
    expect(dislikeAtK(ranked, dislikes, 3, 3)).toBeCloseTo(1 / 3, 12);
    expect(dislikeAtK(ranked, dislikes, 3, 2)).toBe(0);
    expect(dislikeAtK(ranked, new Set(), 0, 5)).toBe(0);
  });

  test('RMSE and MAE of predicted stars', () => {
    // Errors 1, −2, 0, 0.5: squares 1, 4, 0, 0.25.
    const e = ratingErrors([4, 1, 3, 4.5], Float32Array.of(3, 3, 3, 4));
    expect(e.rmse).toBeCloseTo(Math.sqrt(5.25 / 4), 12);
    expect(e.mae).toBeCloseTo(3.5 / 4, 12);
    expect(Number.isNaN(ratingErrors([], []).rmse)).toBe(true);
    expect(() => ratingErrors([1], [])).toThrow(RangeError);
  });
});
