import { describe, expect, test } from 'vitest';
import {
  chooseHeldOutUsers,
  transductiveSplit,
  u1Split,
  validationSplit,
  visitorSplit,
  visitorSplitOf,
} from '../../pipeline/eval/protocols.ts';
import { movieLensDir } from '../support/movielens.ts';
import { ratingTable, tinyDataset } from './eval-fixtures.ts';

describe('visitor protocol on a hand-made data set', () => {
  const ds = tinyDataset();

  test('held-out users are not nodes; each reveals its earliest ratings (ties by movie id)', () => {
    const seeded = visitorSplitOf('t', ds, ds.ratings, { seed: 7, revealed: 3 });
    expect(seeded.heldOutUserIds.length).toBe(2); // round(0.2 · 10)
    expect([...seeded.heldOutUserIds]).toEqual([
      ...chooseHeldOutUsers(
        [...Array(10).keys()].map((i) => i + 1),
        0.2,
        7,
      ),
    ]);
    // User 3 has the timestamp tie.
    const split = visitorSplitOf('t', ds, ds.ratings, { heldOutUserIds: [8, 3], revealed: 3 });
    expect(split.users.map((u) => u.userId)).toEqual([3, 8]);
    const graphUsers = new Set(split.graph.userIds);
    for (const id of split.heldOutUserIds) expect(graphUsers.has(id)).toBe(false);
    expect(split.graph.numUsers).toBe(8);
    for (let i = 0; i < split.trainRatings.length; i++) {
      expect(split.heldOutUserIds.includes(split.trainRatings.user[i])).toBe(false);
    }
    for (const user of split.users) {
      const u = user.userId;
      // Movie index = id − 1 here. User u rated u, u+1, … (mod 12) at increasing times.
      const rated = Array.from({ length: 7 }, (_, k) => ((u + k - 1) % 12) + 1);
      const expectedRevealed = u === 3 ? [3, 12, 4] : rated.slice(0, 3); // 12 ties with 3 at t=3000, 3 < 12
      expect([...user.revealedMovies].map((m) => m + 1)).toEqual(expectedRevealed);
      expect(user.userIndex).toBe(-1);
      const all = u === 3 ? [...rated, 12] : rated;
      const stars = (id: number): number => (u === 3 && id === 12 ? 5 : 1 + ((u + rated.indexOf(id)) % 5));
      const rest = all.filter((id) => !expectedRevealed.includes(id));
      expect([...user.positives].map((m) => m + 1)).toEqual(rest.filter((id) => stars(id) >= 4).sort((a, b) => a - b));
      expect([...user.exclude].map((m) => m + 1)).toEqual([...expectedRevealed].sort((a, b) => a - b));
      // Hidden: every remaining rating with its stars; dislikes: those ≤ 2.
      expect([...user.hiddenMovies].map((m) => m + 1).sort((a, b) => a - b)).toEqual(rest.sort((a, b) => a - b));
      user.hiddenMovies.forEach((m, i) => {
        expect(user.hiddenRatings[i]).toBe(stars(m + 1));
      });
      expect([...user.dislikes].map((m) => m + 1)).toEqual(rest.filter((id) => stars(id) <= 2).sort((a, b) => a - b));
      expect(user.dislikes.length).toBeGreaterThan(0);
      expect([...user.revealedRatings]).toEqual(expectedRevealed.map(stars));
    }
    expect(split.testUsers).toEqual(split.users);
  });

  test('the held-out draw is fixed by the seed', () => {
    const ids = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([...chooseHeldOutUsers(ids, 0.2, 3)]).toEqual([...chooseHeldOutUsers(ids.reverse(), 0.2, 3)]);
    expect([...chooseHeldOutUsers(ids, 0.2, 3)]).not.toEqual([...chooseHeldOutUsers(ids, 0.2, 4)]);
    expect(chooseHeldOutUsers(ids, 0.2, 3).length).toBe(20);
  });
});

describe('transductive protocol on a hand-made data set', () => {
  test('positives are test ratings ≥ 4 not rated in training; users without one are skipped', () => {
    const ds = tinyDataset();
    const test = ratingTable([
      [1, 10, 5, 1], // positive
      [1, 11, 3, 1], // not positive
      [1, 12, 2, 1], // a dislike
      [1, 9, 1, 1], // a dislike
      [1, 2, 1, 1], // rated in training (movie 2): not rankable, not a positive, not a dislike, not hidden
      [2, 11, 2, 1], // user 2 has no positive: not ranked, but a test user (a hidden dislike)
      [2, 12, 3, 1],
    ]);
    const split = transductiveSplit('t', ds, ds.ratings, test);
    expect(split.users.map((u) => u.userId)).toEqual([1]);
    const [u] = split.users;
    expect([...u.positives]).toEqual([9]);
    expect([...u.dislikes]).toEqual([8, 11]);
    expect([...u.hiddenMovies]).toEqual([9, 10, 11, 8]);
    expect([...u.hiddenRatings]).toEqual([5, 3, 2, 1]);
    expect([...u.exclude].map((m) => m + 1)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(u.userIndex).toBe(0);
    expect(split.testUsers.map((t) => t.userId)).toEqual([1, 2]);
    const u2 = split.testUsers[1];
    expect([u2.userIndex, [...u2.hiddenMovies], [...u2.hiddenRatings], [...u2.dislikes]]).toEqual([
      1,
      [10, 11],
      [2, 3],
      [10],
    ]);
  });
});

const dir = movieLensDir();
describe('protocols on the real ML-100K', () => {
  test('u1: 456 users, training masks disjoint from positives; its validation split uses u1.base only', async () => {
    const split = await u1Split(dir);
    expect(split.users.length).toBe(456);
    expect(split.graph.numUsers).toBe(943);
    expect(split.graph.numMovies).toBe(1682);
    expect(split.graph.numEdges).toBe(80000);
    for (const u of split.users) {
      const ex = new Set(u.exclude);
      for (const m of u.positives) expect(ex.has(m)).toBe(false);
    }
    // Star prediction covers all 20,000 u1.test ratings (459 users, 3 of them without a positive).
    expect(split.testUsers.length).toBe(459);
    expect(split.testUsers.reduce((s, u) => s + u.hiddenMovies.length, 0)).toBe(20000);
    expect(split.users.filter((u) => u.dislikes.length > 0).length).toBe(393);
    expect(split.testUsers.reduce((s, u) => s + u.dislikes.length, 0)).toBe(3583);
    const val = validationSplit(split);
    expect(val.graph.numEdges).toBe(64000);
    expect(val.testUsers.reduce((s, u) => s + u.hiddenMovies.length, 0)).toBe(16000);
    expect(val.trainRatings.length + 16000).toBe(split.trainRatings.length);
  });

  test('visitor (seed 42): 189 of 943 users held out, all 189 evaluated, 10 revealed each', async () => {
    const split = await visitorSplit(dir, 42);
    expect(split.heldOutUserIds.length).toBe(189);
    expect(split.graph.numUsers).toBe(754);
    expect(split.users.length).toBe(189);
    expect(split.graph.numEdges).toBe(82311);
    for (const u of split.users) expect(u.revealedMovies.length).toBe(10);
    // Hidden: every held-out user's ratings but the 10 revealed.
    const heldOut = new Set(split.heldOutUserIds);
    const all = split.dataset.ratings;
    let heldOutRatings = 0;
    for (let i = 0; i < all.length; i++) if (heldOut.has(all.user[i])) heldOutRatings++;
    expect(split.testUsers.reduce((s, u) => s + u.hiddenMovies.length, 0)).toBe(heldOutRatings - 10 * 189);
    expect(split.users.filter((u) => u.dislikes.length > 0).length).toBe(171);
    // The validation split holds out 20% of the 754 training users and never the test visitors.
    const val = validationSplit(split);
    expect(val.heldOutUserIds.length).toBe(151);
    const outer = new Set(split.heldOutUserIds);
    for (const id of val.graph.userIds) expect(outer.has(id)).toBe(false);
    for (const id of val.heldOutUserIds) expect(outer.has(id)).toBe(false);
    expect(val.graph.numUsers).toBe(603);
  });
});
