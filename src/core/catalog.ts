/**
 * The movie catalog of one snapshot (full or serving), as the recommender and the `recommend` CLI see it:
 * id ↔ index maps for movies, titles, the most-rated order, mean ratings, the catalog's rating rules (whole stars,
 * or half stars for the MovieLens "latest" format), movie summaries (with IMDb/TMDB links where the
 * snapshot has them), genre lookups, browsing and title search. Built once per snapshot; read-only
 * afterwards. Pure: no DOM or Node imports.
 */
import type { MovieSummary } from './api.ts';
import { InvalidRatingError } from './errors.ts';
import type { FeatureSpec } from './features.ts';
import type { RatingRules } from './profile-io.ts';
import type { CandidateFilter, CatalogFacts } from './recommend/candidates.ts';
import { TitleIndex } from './search/title-index.ts';
import {
  LINK_WORDS,
  SERVING_FORMAT_VERSION,
  type ServingCatalog,
  type ServingSnapshot,
  type Snapshot,
  type SnapshotMovies,
} from './snapshot/format.ts';

/** A movie's IMDb page from the number after `tt` (zero-padded to IMDb's 7 digits); null for 0 (unknown). */
export function imdbUrl(imdbId: number): string | null {
  return imdbId > 0 ? `https://www.imdb.com/title/tt${String(imdbId).padStart(7, '0')}/` : null;
}

/** A movie's TMDB page; null for 0 (unknown). */
export function tmdbUrl(tmdbId: number): string | null {
  return tmdbId > 0 ? `https://www.themoviedb.org/movie/${tmdbId}` : null;
}

/** What a recommendation request may narrow the candidates by, with genres by name. */
export interface NamedFilter {
  genres?: string[];
  years?: [number, number];
  minPopularity?: number;
}

/** The rating rules of a snapshot: whole stars 1–5, or half stars 0.5–5 for the "latest" format. */
export function ratingRulesOf(
  snapshot: Pick<Snapshot, 'dataset'>,
  hasMovie: (movieId: number) => boolean,
): RatingRules {
  const halfStars = snapshot.dataset.format === 'ml-latest';
  return { hasMovie, minStars: halfStars ? 0.5 : 1, maxStars: 5, step: halfStars ? 0.5 : 1 };
}

/** Mean stars of each movie over a graph's ratings (NaN for none), and over all of them. */
export function graphMeanRatings(g: Snapshot['graph']): { meanRating: Float32Array; globalMean: number } {
  const meanRating = new Float32Array(g.numMovies).fill(Number.NaN);
  let total = 0;
  for (let m = 0; m < g.numMovies; m++) {
    let s = 0;
    for (let k = g.moviePtr[m]; k < g.moviePtr[m + 1]; k++) s += g.edgeRating[g.movieAdjEdge[k]];
    total += s;
    if (g.moviePtr[m + 1] > g.moviePtr[m]) meanRating[m] = s / (g.moviePtr[m + 1] - g.moviePtr[m]);
  }
  return { meanRating, globalMean: g.numEdges > 0 ? total / g.numEdges : 3 };
}

/**
 * A catalog is built from either snapshot: the full graph (version 1: ids and mean ratings from its edges)
 * or the serving snapshot (version 2: the same facts stored, and no edges).
 */
export type CatalogSnapshot = Snapshot | ServingSnapshot | ServingCatalog;

export class Catalog {
  readonly dataset: Snapshot['dataset'];
  readonly featureSpec: FeatureSpec;
  movies: SnapshotMovies;
  /** Data-set id of each movie index. */
  readonly movieIds: Int32Array;
  /** Users, movies and ratings of the data set (for display). */
  readonly counts: { users: number; movies: number; ratings: number };
  readonly numMovies: number;
  readonly titles: string[];
  /** Movie indices, most-rated first (ties: lower index first). */
  readonly byPopularity: Int32Array;
  /** Mean stars of each movie in the snapshot; NaN for a movie nobody rated. */
  readonly meanRating: Float32Array;
  readonly rules: RatingRules;
  /** The arrays candidate filtering reads (src/core/recommend/candidates.ts). */
  readonly facts: CatalogFacts;
  readonly #movieIndexById = new Map<number, number>();
  #titleIndex: TitleIndex | null = null;
  readonly #globalMean: number;

  constructor(snapshot: CatalogSnapshot) {
    const movies = snapshot.movies;
    this.dataset = snapshot.dataset;
    this.featureSpec = snapshot.featureSpec;
    this.movies = movies;
    if (snapshot.formatVersion === SERVING_FORMAT_VERSION) {
      const serving = snapshot as Pick<ServingCatalog, 'movies' | 'globalMeanRating' | 'counts'>;
      this.movieIds = serving.movies.ids;
      this.meanRating = serving.movies.meanRating;
      this.#globalMean = serving.globalMeanRating;
      this.counts = { ...serving.counts, movies: movies.count };
    } else {
      const g = (snapshot as Snapshot).graph;
      this.movieIds = g.movieIds;
      ({ meanRating: this.meanRating, globalMean: this.#globalMean } = graphMeanRatings(g));
      this.counts = { users: g.numUsers, movies: g.numMovies, ratings: g.numEdges };
    }
    this.numMovies = movies.count;
    this.titles = movies.titles();
    this.byPopularity = Int32Array.from({ length: this.numMovies }, (_, i) => i).sort(
      (a, b) => movies.popularity[b] - movies.popularity[a] || a - b,
    );
    for (let m = 0; m < this.numMovies; m++) this.#movieIndexById.set(this.movieIds[m], m);
    this.rules = ratingRulesOf(snapshot, (id) => this.#movieIndexById.has(id));
    this.facts = {
      numMovies: movies.count,
      genreMask: movies.genreMask,
      genreWords: movies.genreWords,
      year: movies.year,
      popularity: movies.popularity,
    };
  }

  /**
   * Stars the catalog alone expects for movie m: its mean rating shrunk towards the catalog's mean by 5
   * pseudo-ratings (what the popular list shows before the model is in).
   */
  priorStars(m: number): number {
    const n = this.movies.popularity[m];
    const mean = this.meanRating[m];
    return n > 0 ? (mean * n + this.#globalMean * 5) / (n + 5) : this.#globalMean;
  }

  /** The index of a movie id, or undefined when the catalog does not have it. */
  findMovie(movieId: number): number | undefined {
    return this.#movieIndexById.get(movieId);
  }

  /** The index of a movie id; `InvalidRatingError` when the catalog does not have it. */
  movieIndex(movieId: number): number {
    const m = this.#movieIndexById.get(movieId);
    if (m === undefined) throw new InvalidRatingError(`Movie ${movieId} is not in this catalog.`);
    return m;
  }

  hasGenre(m: number, g: number): boolean {
    const movies = this.movies;
    return (movies.genreMask[m * movies.genreWords + (g >> 5)] & (1 << (g & 31))) !== 0;
  }

  /** The IMDb/TMDB links when they arrive after the catalog (a serving snapshot's follow its scoring codes). */
  attachLinks(links: Uint32Array | null): void {
    if (links && !this.movies.links) this.movies = { ...this.movies, links };
  }

  summary(m: number): MovieSummary {
    const movies = this.movies;
    const genres = movies.genres.filter((_, g) => this.hasGenre(m, g));
    const mean = this.meanRating[m];
    const links = movies.links;
    return {
      movieId: this.movieIds[m],
      title: this.titles[m],
      year: movies.year[m] || null,
      genres,
      popularity: movies.popularity[m],
      meanRating: Number.isNaN(mean) ? null : Math.round(mean * 100) / 100,
      imdbUrl: links ? imdbUrl(links[m * LINK_WORDS]) : null,
      tmdbUrl: links ? tmdbUrl(links[m * LINK_WORDS + 1]) : null,
    };
  }

  /** Earliest and latest known release year. */
  yearRange(): [number, number] {
    let lo = 9999;
    let hi = 0;
    for (const y of this.movies.year) {
      if (y === 0) continue;
      lo = Math.min(lo, y);
      hi = Math.max(hi, y);
    }
    return [lo, hi];
  }

  /** Most-rated movies first, optionally of one genre (`InvalidRatingError` for an unknown genre). */
  browse({ genre, limit = 20, offset = 0 }: { genre?: string; limit?: number; offset?: number } = {}): MovieSummary[] {
    const g = genre ? this.movies.genres.indexOf(genre) : -1;
    if (genre && g < 0) throw new InvalidRatingError(`There is no genre called ${genre}.`);
    const out: MovieSummary[] = [];
    let skipped = 0;
    for (const m of this.byPopularity) {
      if (g >= 0 && !this.hasGenre(m, g)) continue;
      if (skipped++ < offset) continue;
      out.push(this.summary(m));
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Title search, tolerant of case and accents (the index is built on first use). */
  search(query: string, limit = 20): MovieSummary[] {
    this.#titleIndex ??= new TitleIndex(this.titles, this.movies.popularity);
    return this.#titleIndex.search(query, limit).map((m) => this.summary(m));
  }

  /** A request's filters with genre names turned into indices (unknown names are ignored). */
  candidateFilter(filter: NamedFilter): CandidateFilter {
    const genres = (filter.genres ?? []).map((name) => this.movies.genres.indexOf(name)).filter((g) => g >= 0);
    return { genres, years: filter.years, minPopularity: filter.minPopularity };
  }
}
