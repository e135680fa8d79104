/**
 * Rows derived from a method without training it again: `shareFit` memoises a method's fit per (split,
 * training seed), and `likesOnly` gives the fitted method only a visitor's revealed ratings ≥ 4 (README
 * § Quality's "told only the likes" row; the harness still excludes every revealed movie from the ranking, as in the full row).
 */
import { POSITIVE_MIN_STARS, type Split } from './protocols.ts';
import type { FitContext, Method, Recommender } from './recommender.ts';

/** `method` with its fit computed once per (split, seed) and shared by every row built on it. */
export function shareFit(method: Method): Method {
  const fits = new WeakMap<Split, Map<number, Promise<Recommender>>>();
  return {
    ...method,
    fit(ctx: FitContext): Promise<Recommender> {
      let bySeed = fits.get(ctx.split);
      if (!bySeed) {
        bySeed = new Map();
        fits.set(ctx.split, bySeed);
      }
      let fit = bySeed.get(ctx.seed);
      if (!fit) {
        fit = Promise.resolve(method.fit(ctx));
        bySeed.set(ctx.seed, fit);
      }
      return fit;
    },
  };
}

/** The revealed ratings with at least POSITIVE_MIN_STARS stars, in their order. */
export function likedOnly(movies: Int32Array, ratings: Float32Array): { movies: Int32Array; ratings: Float32Array } {
  const keep = (_: number, i: number) => ratings[i] >= POSITIVE_MIN_STARS;
  return { movies: movies.filter(keep), ratings: ratings.filter(keep) };
}

/** A recommender that sees only the liked part of a new user's revealed ratings. */
export function likesOnlyRecommender(rec: Recommender): Recommender {
  const { predictUser, predictNewUser } = rec;
  return {
    scoreUser: (u, out) => rec.scoreUser(u, out),
    scoreNewUser(movies, ratings, out) {
      const liked = likedOnly(movies, ratings);
      rec.scoreNewUser(liked.movies, liked.ratings, out);
    },
    ...(predictUser && { predictUser: (u, movies, out) => predictUser.call(rec, u, movies, out) }),
    ...(predictNewUser && {
      predictNewUser(revealed, stars, movies, out) {
        const liked = likedOnly(revealed, stars);
        predictNewUser.call(rec, liked.movies, liked.ratings, movies, out);
      },
    }),
    info: rec.info,
  };
}

/**
 * "<name> (likes only)": `method` given only each visitor's revealed likes; inductive splits only. Wrap a
 * `shareFit` method to reuse its fit instead of training again.
 */
export function likesOnly(method: Method): Method {
  return {
    name: `${method.name} (likes only)`,
    deterministic: method.deterministic,
    kinds: ['inductive'],
    async fit(ctx) {
      return likesOnlyRecommender(await method.fit(ctx));
    },
  };
}
