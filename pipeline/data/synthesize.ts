/**
 * Deterministic synthetic MovieLens data sets of a given shape, written as a "latest"-format folder
 * (`movies.csv`, `ratings.csv`, `links.csv`: exactly what `ml-latest.ts` reads; it reads no `tags.csv`, so
 * none is written). `npm run data -- synthesize --shape ml-32m --out DIR [--seed N]` makes a catalog of
 * ML-32M's size for scaling work without the real data (whose license forbids committing it).
 *
 * The shape is hit exactly: U users (ids 1…U, every one a rater), M movies (sparse sorted ids up to the real
 * release's largest id), E ratings. Like `bench/synthetic-graph.ts`, movie popularity is a power law over
 * shuffled ranks (Zipf–Mandelbrot, see `itemExponent`) and user activity is a minimum degree (20, as MovieLens guarantees) plus a Zipf share of the rest,
 * capped at a quarter of the catalog (the capped excess is water-filled onto the other users, and the
 * rounding remainder is handed out one rating at a time, so the degrees sum to E). Each user's movies are
 * distinct draws by popularity. Stars come from a latent score with signal a model can learn: a global mean,
 * a movie quality (higher for popular movies), a user bias, a user·movie factor product, the user's liking of
 * the movie's genres, and noise; about 60% of users rate in half stars (0.5–5.0), the rest in whole stars.
 * Each user's rows are written in time order with strictly increasing timestamps (sessions of seconds to
 * minutes, with gaps of days between them).
 *
 * Memory is bounded by the catalog, not the ratings: per-movie and per-user arrays, one user's rows at a time,
 * and a 1 MiB output buffer. Files are written to `*.partial` and renamed when complete.
 */
import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Rng } from '../train/rng.ts';

export interface SynthesisShape {
  users: number;
  movies: number;
  ratings: number;
  /** Largest movie id (ids are a sorted random sample of 1…maxMovieId; equal to `movies` means contiguous). */
  maxMovieId: number;
  /** First and last rating time (unix seconds). */
  firstTime: number;
  lastTime: number;
}

/** The real releases' counts (users, movies in movies.csv, ratings), largest movie id and rating period. */
export const SHAPES = {
  'ml-100k': {
    users: 943,
    movies: 1682,
    ratings: 100_000,
    maxMovieId: 1682,
    firstTime: 874_724_710,
    lastTime: 893_286_638,
  },
  'ml-latest-small': {
    users: 610,
    movies: 9742,
    ratings: 100_836,
    maxMovieId: 193_609,
    firstTime: 828_124_615,
    lastTime: 1_537_799_250,
  },
  'ml-32m': {
    users: 200_948,
    movies: 87_585,
    ratings: 32_000_204,
    maxMovieId: 292_757,
    firstTime: 789_652_009,
    lastTime: 1_697_164_147,
  },
} as const satisfies Record<string, SynthesisShape>;

export type ShapeName = keyof typeof SHAPES;

export interface SynthesizeOptions {
  shape: SynthesisShape;
  out: string;
  seed?: number;
  /**
   * Movie popularity is Zipf–Mandelbrot: weight (rank + 1 + itemOffset)^-itemExponent. The defaults, 1.2 and
   * 50, make the most popular movie rated by about half the users on every shape, as on MovieLens (ML-100K
   * 62%, ml-latest-small 54%, ML-32M 51%); the benchmarks' plain Zipf 0.9 gets it rated by nearly everyone.
   */
  itemExponent?: number;
  itemOffset?: number;
  /** Zipf exponent of user activity. Default 0.8. */
  userExponent?: number;
  /** Every user rates at least this many movies. Default 20. */
  minUserDegree?: number;
  /** Progress lines (stderr in the CLI); called about once a second while ratings are written. */
  progress?: (line: string) => void;
}

export interface SynthesizeResult {
  users: number;
  movies: number;
  ratings: number;
  /** Movies with at least one rating. */
  ratedMovies: number;
  maxUserDegree: number;
  files: string[];
  ms: number;
}

/** The MovieLens "latest" genres with their relative frequencies in ml-latest-small. */
const GENRES: [string, number][] = [
  ['Action', 1828],
  ['Adventure', 1263],
  ['Animation', 611],
  ['Children', 664],
  ['Comedy', 3756],
  ['Crime', 1199],
  ['Documentary', 440],
  ['Drama', 4361],
  ['Fantasy', 779],
  ['Film-Noir', 87],
  ['Horror', 978],
  ['IMAX', 158],
  ['Musical', 334],
  ['Mystery', 573],
  ['Romance', 1596],
  ['Sci-Fi', 980],
  ['Thriller', 1894],
  ['War', 382],
  ['Western', 167],
];
const NO_GENRES = '(no genres listed)';
/** Latent factors per user and movie. */
const FACTORS = 4;

/** Independent streams per part, so changing one part's draws never shifts another's. */
function stream(seed: number, part: number): Rng {
  return new Rng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(part + 1, 0x85ebca6b)) >>> 0);
}

/** Zipf weights (rank + 1)^-exponent on a seeded permutation; returns the weights and the rank order. */
function zipfWeights(n: number, exponent: number, rng: Rng, offset = 0): { weight: Float64Array; byRank: Int32Array } {
  const byRank = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const weight = new Float64Array(n);
  for (let r = 0; r < n; r++) weight[byRank[r]] = (r + 1 + offset) ** -exponent;
  return { weight, byRank };
}

/**
 * Degrees summing exactly to `total`, each in [min, cap]: min plus a share of the rest proportional to the
 * weight, the shares above the cap water-filled onto the others (ranks are in decreasing weight), then the
 * rounding remainder handed out one by one from the top rank.
 */
export function exactDegrees(
  weight: Float64Array,
  byRank: Int32Array,
  total: number,
  min: number,
  cap: number,
): Int32Array {
  const n = weight.length;
  if (total < n * min || total > n * cap) {
    throw new Error(`${total} ratings cannot be split over ${n} users with ${min}…${cap} each`);
  }
  const degree = new Int32Array(n);
  let extra = total - n * min;
  let rest = 0;
  for (let i = 0; i < n; i++) rest += weight[i];
  let r = 0;
  // Capped prefix: the heaviest users whose proportional share would pass the cap.
  for (; r < n; r++) {
    const u = byRank[r];
    if (min + (extra * weight[u]) / rest <= cap) break;
    degree[u] = cap;
    extra -= cap - min;
    rest -= weight[u];
  }
  let assigned = (cap - min) * r;
  const firstUncapped = r;
  for (; r < n; r++) {
    const u = byRank[r];
    const share = Math.floor((extra * weight[u]) / rest);
    degree[u] = min + share;
    assigned += share;
  }
  let remainder = total - n * min - assigned;
  for (r = firstUncapped; remainder > 0; r = r + 1 < n ? r + 1 : firstUncapped) {
    const u = byRank[r];
    if (degree[u] < cap) {
      degree[u]++;
      remainder--;
    }
  }
  return degree;
}

/** Smallest i with cdf[i] > x. */
function sampleCdf(cdf: Float64Array, x: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function cdfOf(weight: Float64Array): Float64Array {
  const cdf = new Float64Array(weight.length);
  let s = 0;
  for (let i = 0; i < weight.length; i++) {
    s += weight[i];
    cdf[i] = s;
  }
  for (let i = 0; i < cdf.length; i++) cdf[i] /= s;
  return cdf;
}

/** Buffered writes of ASCII to a file descriptor: numbers are encoded digit by digit, never as strings. */
class ByteSink {
  private readonly buf = Buffer.allocUnsafe(1 << 20);
  private pos = 0;
  private readonly digits = new Uint8Array(20);
  private readonly fd: number;
  bytes = 0;

  constructor(fd: number) {
    this.fd = fd;
  }

  text(s: string): void {
    if (this.pos + s.length * 3 > this.buf.length) this.flush();
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  byte(b: number): void {
    if (this.pos === this.buf.length) this.flush();
    this.buf[this.pos++] = b;
  }

  uint(n: number): void {
    let k = 0;
    do {
      this.digits[k++] = 48 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
    if (this.pos + k > this.buf.length) this.flush();
    while (k > 0) this.buf[this.pos++] = this.digits[--k];
  }

  flush(): void {
    let off = 0;
    while (off < this.pos) off += writeSync(this.fd, this.buf, off, this.pos - off);
    this.bytes += this.pos;
    this.pos = 0;
  }
}

/** Writes `name` through a sink into `dir` (as `name.partial`, renamed when done); returns the path. */
function writeFileStreamed(dir: string, name: string, body: (sink: ByteSink) => void): string {
  const path = join(dir, name);
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w');
  try {
    const sink = new ByteSink(fd);
    body(sink);
    sink.flush();
  } finally {
    closeSync(fd);
  }
  renameSync(partial, path);
  return path;
}

/** Sorted distinct ids: a uniform random `n`-subset of 1…max (selection sampling, Knuth's algorithm S). */
function sparseIds(n: number, max: number, rng: Rng): Int32Array {
  const ids = new Int32Array(n);
  let k = 0;
  for (let id = 1; id <= max && k < n; id++) {
    if ((max - id + 1) * rng.float() < n - k) ids[k++] = id;
  }
  return ids;
}

/** Word lists for titles (split on spaces). */
const WORDS = {
  adjective:
    'Silent Broken Golden Last Lost Dark Wild Hidden Burning Frozen Crimson Endless Little Midnight Secret Savage Bright Quiet Final Restless Electric Hollow Distant Forgotten Sweet Bitter Eternal Lonely Perfect Strange Blue Red White Iron'.split(
      ' ',
    ),
  noun: 'River Night City Heart Road Storm Garden Mirror Summer Winter Kingdom Shadow Island Promise Letter Stranger Dream Horizon Empire Game Harbor Journey Machine Ocean Witness Hunter Circus Station Frontier Detective Orchestra Crown Valley Planet Affair Secret Bridge Fortune Rebellion Voyage Killer Ghost Wedding'.split(
    ' ',
  ),
  name: 'Anna Max Rosa Jack Lena Victor Clara Hugo Maya Felix Nora Oscar Iris Leo Sofia Marcus Elena Jonah Ruby Theo Ingrid Kenji Amélie Zoë José'.split(
    ' ',
  ),
  place:
    'Paris Tokyo Chicago Berlin Texas Havana Brooklyn Marseille Bombay Alaska Rome Casablanca Seoul Vienna Dublin Montana Lagos Kyoto Nevada Lisbon'.split(
      ' ',
    ),
  foreign:
    'La Nuit Der Himmel El Amor Le Jour Il Sole Das Boot Los Olvidados Les Enfants Niebla Lumière Sehnsucht Ciudad'.split(
      ' ',
    ),
};

function pick<T>(list: readonly T[], rng: Rng): T {
  return list[rng.int(list.length)];
}

/** A plausible MovieLens title: English or foreign, the article moved to the end ("Road, The"), some sequels. */
function movieTitle(rng: Rng): string {
  const { adjective, noun, name, place, foreign } = WORDS;
  const k = rng.int(100);
  let title: string;
  if (k < 22) title = `${pick(adjective, rng)} ${pick(noun, rng)}, The`;
  else if (k < 36) title = `${pick(noun, rng)} of the ${pick(adjective, rng)} ${pick(noun, rng)}`;
  else if (k < 48) title = `${pick(name, rng)}'s ${pick(noun, rng)}`;
  else if (k < 58) title = `${pick(place, rng)} ${pick(noun, rng)}`;
  else if (k < 66) title = `${pick(noun, rng)}: ${pick(adjective, rng)} ${pick(noun, rng)}`;
  else if (k < 74) title = `${pick(adjective, rng)} ${pick(noun, rng)} ${2 + rng.int(3)}`;
  else if (k < 80) {
    const original = `${pick(foreign, rng)} ${pick(foreign, rng)}`;
    title = `${original} (${pick(adjective, rng)} ${pick(noun, rng)})`;
  } else if (k < 81) title = `"${pick(name, rng)}" ${pick(noun, rng)}`;
  else if (k < 90) title = `${pick(adjective, rng)} ${pick(noun, rng)}`;
  else title = `${pick(noun, rng)}, ${pick(name, rng)} and the ${pick(noun, rng)}`;
  return title;
}

/** A CSV field, quoted (RFC 4180) when it holds a comma or a quote. */
function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Writes the synthetic data set into `opts.out`; returns its counts. */
export function synthesize(opts: SynthesizeOptions): SynthesizeResult {
  const started = performance.now();
  const { shape } = opts;
  const seed = opts.seed ?? 1;
  const U = shape.users;
  const M = shape.movies;
  const E = shape.ratings;
  if (shape.maxMovieId < M) throw new Error(`maxMovieId ${shape.maxMovieId} is below the movie count ${M}`);
  const minDeg = Math.min(opts.minUserDegree ?? 20, M);
  const cap = Math.max(minDeg, Math.floor(M / 4));
  mkdirSync(opts.out, { recursive: true });

  // Movies: ids, popularity, genres, year, quality, latent factors.
  const movieRng = stream(seed, 0);
  const movieIds = sparseIds(M, shape.maxMovieId, movieRng);
  const pop = zipfWeights(M, opts.itemExponent ?? 1.2, movieRng, opts.itemOffset ?? 50);
  const popCdf = cdfOf(pop.weight);
  const popRank = new Int32Array(M);
  for (let r = 0; r < M; r++) popRank[pop.byRank[r]] = r;
  const genreMask = new Uint32Array(M);
  const quality = new Float32Array(M);
  const factors = new Float32Array(M * FACTORS);
  const year = new Int16Array(M);
  const genreCdf = cdfOf(Float64Array.from(GENRES, ([, w]) => w));
  for (let m = 0; m < M; m++) {
    if (movieRng.float() >= 0.01) {
      const count = Math.min(GENRES.length, 1 + Math.floor(-Math.log(1 - movieRng.float()) * 1.3));
      let mask = 0;
      for (let k = 0, tries = 0; k < count && tries < 50; tries++) {
        const g = sampleCdf(genreCdf, movieRng.float());
        if (mask & (1 << g)) continue;
        mask |= 1 << g;
        k++;
      }
      genreMask[m] = mask;
    }
    // Popular movies are better on average (as on MovieLens); the rest of quality is the movie's own.
    const popularity = 1 - popRank[m] / M;
    quality[m] = 0.45 * (popularity - 0.5) + 0.4 * movieRng.normal();
    for (let f = 0; f < FACTORS; f++) factors[m * FACTORS + f] = movieRng.normal();
    // Later ids are mostly newer films, with a long tail of old ones.
    year[m] =
      movieRng.float() < 0.7
        ? Math.round(1985 + 38 * (m / M) + 6 * movieRng.normal())
        : 1915 + Math.floor(108 * movieRng.float() ** 0.6);
    year[m] = Math.min(2023, Math.max(1902, year[m]));
  }

  const files: string[] = [];
  const titleRng = stream(seed, 1);
  files.push(
    writeFileStreamed(opts.out, 'movies.csv', (sink) => {
      sink.text('movieId,title,genres\n');
      for (let m = 0; m < M; m++) {
        const title = movieTitle(titleRng);
        const withYear = titleRng.int(500) === 0 ? title : `${title} (${year[m]})`;
        const genres: string[] = [];
        for (let g = 0; g < GENRES.length; g++) if (genreMask[m] & (1 << g)) genres.push(GENRES[g][0]);
        sink.text(`${movieIds[m]},${csvField(withYear)},${genres.length ? genres.join('|') : NO_GENRES}\n`);
      }
    }),
  );

  const linkRng = stream(seed, 2);
  const usedImdb = new Set<number>();
  files.push(
    writeFileStreamed(opts.out, 'links.csv', (sink) => {
      sink.text('movieId,imdbId,tmdbId\n');
      for (let m = 0; m < M; m++) {
        // IMDb ids grow with the year (tt0000001 … tt2xxxxxxx); seven digits, zero-padded, distinct.
        const span = Math.max(1, (year[m] - 1900) / 123);
        let imdb: number;
        do imdb = 1 + Math.floor(span ** 3 * 25_000_000 * linkRng.float());
        while (usedImdb.has(imdb));
        usedImdb.add(imdb);
        const tmdb = linkRng.int(1000) === 0 ? '' : String(1 + linkRng.int(1_200_000));
        sink.text(`${movieIds[m]},${String(imdb).padStart(7, '0')},${tmdb}\n`);
      }
    }),
  );

  // Users: degrees summing exactly to E.
  const userRng = stream(seed, 3);
  const activity = zipfWeights(U, opts.userExponent ?? 0.8, userRng);
  const degree = exactDegrees(activity.weight, activity.byRank, E, minDeg, cap);
  let maxUserDegree = 0;
  for (let u = 0; u < U; u++) maxUserDegree = Math.max(maxUserDegree, degree[u]);

  const rateRng = stream(seed, 4);
  const seen = new Int32Array(M).fill(-1);
  const rated = new Uint8Array(M);
  const rowMovie = new Int32Array(maxUserDegree);
  const rowTime = new Float64Array(maxUserDegree);
  const genreLike = new Float32Array(GENRES.length);
  const userFactor = new Float32Array(FACTORS);
  let written = 0;
  let lastReport = performance.now();
  const report = (final: boolean) => {
    const now = performance.now();
    if (!final && now - lastReport < 1000) return;
    lastReport = now;
    const elapsed = (now - started) / 1000;
    const left = written > 0 ? (elapsed * (E - written)) / written : 0;
    opts.progress?.(
      `[synthesize ${elapsed.toFixed(1)}s] ratings ${written.toLocaleString('en-US')} / ${E.toLocaleString('en-US')} (${((100 * written) / E).toFixed(1)}%), ${final ? 'done' : `~${left.toFixed(0)}s left`}`,
    );
  };

  files.push(
    writeFileStreamed(opts.out, 'ratings.csv', (sink) => {
      sink.text('userId,movieId,rating,timestamp\n');
      for (let u = 0; u < U; u++) {
        const d = degree[u];
        // Distinct movies by popularity; past 50 draws a movie, the most popular unseen ones fill in.
        let n = 0;
        for (let tries = 0; n < d && tries < 50 * d; tries++) {
          const m = sampleCdf(popCdf, rateRng.float());
          if (seen[m] === u) continue;
          seen[m] = u;
          rowMovie[n++] = m;
        }
        for (let r = 0; n < d; r++) {
          const m = pop.byRank[r];
          if (seen[m] === u) continue;
          seen[m] = u;
          rowMovie[n++] = m;
        }

        // Taste: bias, factors, liked and disliked genres, half or whole stars.
        const bias = 0.4 * rateRng.normal();
        for (let f = 0; f < FACTORS; f++) userFactor[f] = rateRng.normal();
        for (let g = 0; g < GENRES.length; g++) genreLike[g] = 0.25 * rateRng.normal();
        const halfStars = rateRng.float() < 0.6;
        const harsh = 0.15 + 0.3 * rateRng.float();

        // Time: a start that leaves room, sessions of seconds to minutes, gaps of days between sessions.
        const periodEnd = shape.lastTime;
        const room = periodEnd - shape.firstTime - 2 * d;
        let t = shape.firstTime + Math.floor(room * rateRng.float() ** 0.7);
        const sessionBreak = Math.min(0.1, 30 / d);
        for (let i = 0; i < d; i++) {
          const gap =
            i === 0
              ? 0
              : rateRng.float() < sessionBreak
                ? 3600 + Math.floor(-Math.log(1 - rateRng.float()) * 20 * 86_400)
                : 1 + rateRng.int(120);
          t += gap;
          rowTime[i] = t;
        }
        // Squeeze into the period when the gaps ran past its end (keeping them strictly increasing).
        const start = rowTime[0];
        if (rowTime[d - 1] > periodEnd) {
          const scale = (periodEnd - start - d) / (rowTime[d - 1] - start);
          for (let i = 0; i < d; i++) rowTime[i] = start + i + Math.floor((rowTime[i] - start) * scale);
        }

        for (let i = 0; i < d; i++) {
          const m = rowMovie[i];
          rated[m] = 1;
          let dot = 0;
          for (let f = 0; f < FACTORS; f++) dot += userFactor[f] * factors[m * FACTORS + f];
          let like = 0;
          let count = 0;
          for (let g = 0, mask = genreMask[m]; mask !== 0; g++, mask >>>= 1) {
            if (mask & 1) {
              like += genreLike[g];
              count++;
            }
          }
          // Heavier low tail than a normal: now and then a movie the user plainly dislikes.
          const noise = 0.55 * rateRng.normal() - (rateRng.float() < 0.05 ? 1.5 + harsh * 4 * rateRng.float() : 0);
          const score = 3.47 + quality[m] + bias + 0.28 * dot + (count ? like / Math.sqrt(count) : 0) + noise;
          // Half stars: 1…10 halves; whole stars: 2, 4, …, 10.
          const halves = halfStars
            ? Math.min(10, Math.max(1, Math.round(2 * score)))
            : 2 * Math.min(5, Math.max(1, Math.round(score)));
          sink.uint(u + 1);
          sink.byte(44);
          sink.uint(movieIds[m]);
          sink.byte(44);
          sink.uint(halves >> 1);
          sink.byte(46);
          sink.byte(halves & 1 ? 53 : 48);
          sink.byte(44);
          sink.uint(rowTime[i]);
          sink.byte(10);
        }
        written += d;
        report(false);
      }
    }),
  );
  report(true);
  let ratedMovies = 0;
  for (let m = 0; m < M; m++) ratedMovies += rated[m];
  return { users: U, movies: M, ratings: written, ratedMovies, maxUserDegree, files, ms: performance.now() - started };
}

const USAGE = `synthesize --shape ${Object.keys(SHAPES).join('|')} --out DIR [--seed N]`;

/** `synthesize`: the CLI command (progress on stderr, the folder on stdout). */
export async function synthesizeCommand(args: string[]): Promise<SynthesizeResult> {
  const { values } = parseArgs({
    args,
    options: { shape: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' } },
    strict: true,
  });
  if (values.shape === undefined || !(values.shape in SHAPES)) {
    throw new Error(`--shape must be one of ${Object.keys(SHAPES).join(', ')} (${USAGE})`);
  }
  if (values.out === undefined) throw new Error(`--out DIR is required (${USAGE})`);
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new Error(`--seed must be a whole number below 2^32, not "${values.seed}"`);
  }
  const result = synthesize({
    shape: SHAPES[values.shape as ShapeName],
    out: values.out,
    seed,
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  process.stderr.write(
    `${values.shape} (seed ${seed}): ${result.users} users, ${result.movies} movies (${result.ratedMovies} rated), ${result.ratings} ratings, largest user degree ${result.maxUserDegree}, in ${(result.ms / 1000).toFixed(1)} s\n`,
  );
  process.stdout.write(`${values.out}\n`);
  return result;
}
