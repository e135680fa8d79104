/**
 * The reference system's `predict_rating`: a calibrated star rating for a (user, movie) pair from the
 * model's score (z_u·z_m / temperature), the user's mean-rating offset and the movie's learned bias
 * (`RatingCalibration` in params.ts). Pure: no DOM or Node imports.
 */
import type { ModelParams } from './params.ts';

/**
 * stars = clamp(intercept + slope·score + userBiasWeight·userMeanOffset + movieBias[movie], min, max);
 * userMeanOffset is the user's mean rating minus calibration.globalMean (0 when they have no ratings).
 */
export function predictRating(params: ModelParams, score: number, userMeanOffset: number, movieIndex: number): number {
  const c = params.calibration;
  const bias = movieIndex >= 0 && movieIndex < c.movieBias.length ? c.movieBias[movieIndex] : 0;
  const stars = c.intercept + c.slope * score + c.userBiasWeight * userMeanOffset + bias;
  return Math.min(c.maxStars, Math.max(c.minStars, stars));
}

/** The user-mean offset of someone with these ratings (0 with none). */
export function userMeanOffset(params: ModelParams, ratings: ArrayLike<number>): number {
  if (ratings.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < ratings.length; i++) s += ratings[i];
  return s / ratings.length - params.calibration.globalMean;
}
