/**
 * The visitor's profile as a file: export to JSON and a strict import that validates everything before
 * anything is replaced (a bad file changes nothing). Accepts CineSage's own export and the plain list the
 * CLI uses (`[{"movieId": 50, "rating": 5}]`). Pure: no DOM or Node imports.
 */
import type { VisitorRating } from './api.ts';
import { ProfileImportError } from './errors.ts';

export const PROFILE_FORMAT = 'cinesage-ratings';
export const PROFILE_VERSION = 1;

export interface RatingRules {
  /** Is this data set movie id in the catalog? */
  hasMovie(movieId: number): boolean;
  minStars: number;
  maxStars: number;
  /** 1 for whole stars, 0.5 for half stars. */
  step: number;
}

/** Why `stars` is not a valid rating under `rules`, or null when it is. */
export function ratingProblem(stars: unknown, rules: RatingRules): string | null {
  if (typeof stars !== 'number' || !Number.isFinite(stars))
    return `the rating ${JSON.stringify(stars)} is not a number`;
  if (stars < rules.minStars || stars > rules.maxStars) {
    return `the rating ${stars} is outside ${rules.minStars}–${rules.maxStars} stars`;
  }
  const steps = (stars - rules.minStars) / rules.step;
  if (Math.abs(steps - Math.round(steps)) > 1e-9) {
    return `the rating ${stars} is not in steps of ${rules.step === 1 ? 'whole stars' : `${rules.step} stars`}`;
  }
  return null;
}

export function exportProfile(ratings: readonly VisitorRating[], dataset: string): string {
  return JSON.stringify(
    {
      format: PROFILE_FORMAT,
      version: PROFILE_VERSION,
      dataset,
      exportedAt: new Date().toISOString(),
      ratings: [...ratings].sort((a, b) => a.movieId - b.movieId),
    },
    null,
    2,
  );
}

/** Parses and validates a ratings file; throws `ProfileImportError` naming the first problem. */
export function parseProfile(text: string, rules: RatingRules, now = Date.now()): VisitorRating[] {
  if (text.length > 20_000_000)
    throw new ProfileImportError('The file is larger than 20 MB; it is not a ratings export.');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ProfileImportError(`The file is not valid JSON (${(err as Error).message}).`);
  }
  let list: unknown;
  if (Array.isArray(json)) list = json;
  else if (json && typeof json === 'object' && (json as { format?: unknown }).format === PROFILE_FORMAT) {
    const version = (json as { version?: unknown }).version;
    if (version !== PROFILE_VERSION) {
      throw new ProfileImportError(
        `The file is a CineSage export of version ${String(version)}; this site reads version ${PROFILE_VERSION}.`,
      );
    }
    list = (json as { ratings?: unknown }).ratings;
    if (!Array.isArray(list)) throw new ProfileImportError('The file has no "ratings" list.');
  } else {
    throw new ProfileImportError(
      'The file is neither a CineSage ratings export nor a list of {"movieId", "rating"} entries.',
    );
  }
  const seen = new Set<number>();
  const out: VisitorRating[] = [];
  (list as unknown[]).forEach((entry, i) => {
    const where = `Entry ${i + 1}`;
    if (!entry || typeof entry !== 'object') throw new ProfileImportError(`${where} is not an object.`);
    const e = entry as Record<string, unknown>;
    const movieId = e.movieId;
    if (typeof movieId !== 'number' || !Number.isInteger(movieId)) {
      throw new ProfileImportError(`${where} has no whole-number "movieId".`);
    }
    if (!rules.hasMovie(movieId)) throw new ProfileImportError(`${where}: movie ${movieId} is not in this catalog.`);
    if (seen.has(movieId)) throw new ProfileImportError(`${where}: movie ${movieId} is rated twice.`);
    seen.add(movieId);
    const stars = e.stars ?? e.rating;
    const problem = ratingProblem(stars, rules);
    if (problem) throw new ProfileImportError(`${where} (movie ${movieId}): ${problem}.`);
    const time = typeof e.time === 'number' && Number.isFinite(e.time) && e.time > 0 ? e.time : now;
    out.push({ movieId, stars: stars as number, time });
  });
  return out;
}
