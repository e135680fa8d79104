/**
 * Finding and loading MovieLens: format detection from the files present, the default locations of
 * ML-100K, and the one entry point every caller uses (`loadMovieLens`).
 */
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Dataset, DatasetFormat } from '../../src/core/dataset.ts';
import { DatasetParseError } from '../../src/core/errors.ts';
import { loadMl1m } from './ml-1m.ts';
import { loadMl100k } from './ml-100k.ts';
import { loadMlLatest } from './ml-latest.ts';

/** The file whose presence identifies each format. */
const MARKER_FILE: Record<DatasetFormat, string> = {
  'ml-100k': 'u.data',
  'ml-1m': 'ratings.dat',
  'ml-latest': 'ratings.csv',
};

/** The format of the MovieLens files in `dir`, or null when none is recognised. */
export function detectMovieLensFormat(dir: string): DatasetFormat | null {
  for (const format of Object.keys(MARKER_FILE) as DatasetFormat[]) {
    if (existsSync(join(dir, MARKER_FILE[format]))) return format;
  }
  return null;
}

/**
 * Loads a MovieLens data set. `format` is detected from the files when omitted. For ML-100K,
 * `ratingsFile` loads a split (`u1.base`, `u1.test`, …) instead of `u.data`; users and movies still come
 * from `u.user` / `u.item`.
 */
export async function loadMovieLens(
  dir: string,
  format?: DatasetFormat,
  opts: { ratingsFile?: string } = {},
): Promise<Dataset> {
  const fmt = format ?? detectMovieLensFormat(dir);
  if (fmt === null) {
    throw new DatasetParseError(
      `${dir}: no MovieLens data here (expected ${Object.values(MARKER_FILE).join(', or ')})`,
    );
  }
  if (opts.ratingsFile !== undefined && fmt !== 'ml-100k') {
    throw new DatasetParseError(`ratingsFile applies to ml-100k only, not ${fmt}`);
  }
  if (!existsSync(join(dir, opts.ratingsFile ?? MARKER_FILE[fmt]))) {
    throw new DatasetParseError(`${dir}: ${opts.ratingsFile ?? MARKER_FILE[fmt]} not found (format ${fmt})`);
  }
  switch (fmt) {
    case 'ml-100k':
      return loadMl100k(dir, opts.ratingsFile);
    case 'ml-1m':
      return loadMl1m(dir);
    case 'ml-latest':
      return loadMlLatest(dir, basename(resolve(dir)));
  }
}

/** The first of `$MOVIELENS_DIR`, `./data/ml-100k`, `../shared/datasets/ml-100k` that holds ML-100K. */
export function findMovieLensDir(): string | null {
  const candidates = [process.env.MOVIELENS_DIR, join('data', 'ml-100k'), join('..', 'shared', 'datasets', 'ml-100k')];
  for (const dir of candidates) {
    if (dir && existsSync(join(dir, 'u.data')) && existsSync(join(dir, 'u.item'))) return resolve(dir);
  }
  return null;
}
export { downloadMovieLens100k, ML100K_SHA256, ML100K_URL } from './download.ts';
