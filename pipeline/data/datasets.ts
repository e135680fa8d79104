/**
 * The named data sets the pipeline knows (`--dataset ml-100k|ml-latest-small`) and any folder of MovieLens
 * files (`--data DIR`): where each is looked for, how a download is verified, and the key its artifacts and
 * evaluation results are filed under.
 *
 * Lookup of a named data set: `$MOVIELENS_DIR` (when it holds that data set's files), `$MOVIELENS_DIR/<name>`,
 * `./data/<name>`, `../shared/datasets/<name>`; otherwise it is downloaded from GroupLens into `./data/<name>`
 * and verified (ML-100K: the archive's SHA-256; ml-latest-small: every extracted CSV's SHA-256, in the
 * official CRLF form or the LF form of `../shared/datasets`).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import type { DatasetFormat } from '../../src/core/dataset.ts';
import { DatasetParseError } from '../../src/core/errors.ts';
import { type DownloadProgress, extractZip, fetchBytes, ML100K_SHA256, ML100K_URL, verifySha256 } from './download.ts';
import { unzip } from './zip.ts';

export const DATASET_NAMES = ['ml-100k', 'ml-latest-small'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];
export const DEFAULT_DATASET: DatasetName = 'ml-100k';

export interface KnownDataset {
  name: DatasetName;
  format: DatasetFormat;
  url: string;
  /** Files that must be present for a folder to hold this data set. */
  requiredFiles: string[];
  /** SHA-256 of the whole archive, when pinned. */
  zipSha256?: string;
  /** Accepted SHA-256 values of each extracted file that is checked (any one of them matches). */
  fileSha256?: Record<string, string[]>;
}

/**
 * ml-latest-small (2018-09-26 release): the official zip's CSVs have CRLF line endings; the copy in
 * `../shared/datasets/ml-latest-small` has LF (`SHA256SUMS` there). Either byte form is the same data.
 */
export const ML_LATEST_SMALL_SHA256: Record<string, string[]> = {
  'ratings.csv': [
    'aa289ca83157595d0df6aea1be6a4ded676ddc4385472e8313a8ed9805352646',
    '80da8b3393dae325bbba5a31f291a6ba55d8d4f4396de3c456f2c1635b1b70e8',
  ],
  'movies.csv': [
    '5a5f32dd9bb3797b8e728a1b98958789d2b13f294a69fdfbc5727f8a9611aa07',
    'c47b783f23eb304413307e1bb05335e427737da20ec8d3c0e96335567dd5f3dc',
  ],
  'links.csv': [
    '97ad18e4e56a09363c65676b6cb3482ce3e2cea2372a24620c1599c843325f31',
    '028a4a1d17751ca9276e0e0718cfc22356350f224a996e1ec348c23274b9209d',
  ],
  'tags.csv': [
    '92a9f8bb7916dceef6151209845788c3643f794dfa79d1feaec7121b5960399d',
    '68eec00a0820c2faa8863a6df7032f13d5899a4462bce9a97213905297ff3d34',
  ],
};

export const KNOWN_DATASETS: Record<DatasetName, KnownDataset> = {
  'ml-100k': {
    name: 'ml-100k',
    format: 'ml-100k',
    url: ML100K_URL,
    requiredFiles: ['u.data', 'u.item'],
    zipSha256: ML100K_SHA256,
  },
  'ml-latest-small': {
    name: 'ml-latest-small',
    format: 'ml-latest',
    url: 'https://files.grouplens.org/datasets/movielens/ml-latest-small.zip',
    requiredFiles: ['ratings.csv', 'movies.csv', 'links.csv'],
    fileSha256: ML_LATEST_SMALL_SHA256,
  },
};

export function isDatasetName(name: string): name is DatasetName {
  return (DATASET_NAMES as readonly string[]).includes(name);
}

/** The known data set called `name`, or an error listing the names. */
export function knownDataset(name: string): KnownDataset {
  if (!isDatasetName(name)) {
    throw new Error(
      `--dataset must be one of ${DATASET_NAMES.join(', ')}, not "${name}" (any other folder: --data DIR)`,
    );
  }
  return KNOWN_DATASETS[name];
}

/** The folders a named data set is looked for in, in order. */
export function datasetCandidates(name: DatasetName, env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = env.MOVIELENS_DIR ? [env.MOVIELENS_DIR, join(env.MOVIELENS_DIR, name)] : [];
  return [...fromEnv, join('data', name), join('..', 'shared', 'datasets', name)];
}

/** The first candidate folder holding the data set's files, or null. */
export function findDatasetDir(name: DatasetName, env: NodeJS.ProcessEnv = process.env): string | null {
  const known = KNOWN_DATASETS[name];
  for (const dir of datasetCandidates(name, env)) {
    if (known.requiredFiles.every((f) => existsSync(join(dir, f)))) return resolve(dir);
  }
  return null;
}

/** SHA-256 hex of bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Throws unless `bytes` of `file` hash to one of the data set's accepted values (files without one pass). */
export function verifyDatasetFile(known: KnownDataset, file: string, bytes: Uint8Array): void {
  const accepted = known.fileSha256?.[file];
  if (!accepted) return;
  const actual = sha256Hex(bytes);
  if (!accepted.includes(actual)) {
    throw new DatasetParseError(
      `${known.name}/${file}: SHA-256 ${actual} is not the ${known.name} release's (${accepted.join(' or ')}); not using it`,
    );
  }
}

/** Verifies every checked file present in `dir` (each required one must be there); returns the files checked. */
export function verifyDatasetDir(known: KnownDataset, dir: string): string[] {
  const checked: string[] = [];
  for (const file of Object.keys(known.fileSha256 ?? {})) {
    const path = join(dir, file);
    if (!existsSync(path)) {
      if (known.requiredFiles.includes(file)) throw new DatasetParseError(`${dir}: ${file} is missing`);
      continue;
    }
    verifyDatasetFile(known, file, readFileSync(path));
    checked.push(file);
  }
  return checked;
}

/**
 * Downloads a named data set's zip (from `url`, default GroupLens), verifies it (the archive's hash, or each
 * extracted file's) before anything is written, and unpacks it into `destDir`. Returns `destDir`.
 */
export async function downloadDataset(
  name: DatasetName,
  destDir: string,
  opts: { url?: string; onProgress?: DownloadProgress } = {},
): Promise<string> {
  const known = KNOWN_DATASETS[name];
  const zip = await fetchBytes(opts.url ?? known.url, opts.onProgress);
  if (known.zipSha256) verifySha256(zip, known.zipSha256, `${name}.zip`);
  if (known.fileSha256) {
    const entries = new Map(unzip(zip).map((e) => [basename(e.name), e.data]));
    for (const file of known.requiredFiles) {
      if (!entries.has(file)) throw new DatasetParseError(`${name}.zip: ${file} is missing from the archive`);
    }
    for (const [file, data] of entries) verifyDatasetFile(known, file, data);
  }
  await extractZip(zip, destDir);
  return destDir;
}

/** A resolved data set: where its files are, their format, and the key its builds and results use. */
export interface DatasetSource {
  /** `ml-100k`, `ml-latest-small`, or the folder's name for `--data DIR`. */
  key: string;
  /** The folder (absolute). */
  dir: string;
  /** Known format, or undefined: detected from the files. */
  format?: DatasetFormat;
  /** Set for a named data set. */
  known?: KnownDataset;
}

export interface ResolveOptions {
  /** A named data set (default ml-100k when `data` is not given either). */
  dataset?: string;
  /** A folder of MovieLens files (any supported format, detected). */
  data?: string;
  /** Explicit format for `data`. */
  format?: DatasetFormat;
  log?: (line: string) => void;
  /** Download URL override (tests: a loopback server). */
  url?: string;
  env?: NodeJS.ProcessEnv;
}

/** A safe folder name for a key (letters, digits, `.`, `_`, `-`). */
export function datasetKey(name: string): string {
  const key = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '');
  return key || 'dataset';
}

/**
 * Finds (or downloads and verifies) the data set named by `dataset`, or takes the folder `data`. A named data
 * set found on disk is verified too when its files have pinned hashes (ml-latest-small).
 */
export async function resolveDataset(opts: ResolveOptions = {}): Promise<DatasetSource> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  if (opts.data !== undefined && opts.dataset !== undefined) throw new Error('give --dataset or --data, not both');
  if (opts.data !== undefined) {
    const dir = resolve(opts.data);
    if (!existsSync(dir)) throw new Error(`--data ${opts.data}: no such folder`);
    const name = basename(dir);
    const known = isDatasetName(name) ? KNOWN_DATASETS[name] : undefined;
    return { key: datasetKey(name), dir, format: opts.format, known };
  }
  const known = knownDataset(opts.dataset ?? DEFAULT_DATASET);
  if (opts.format !== undefined && opts.format !== known.format) {
    throw new Error(`${known.name} is in the ${known.format} format, not ${opts.format}`);
  }
  let dir = findDatasetDir(known.name, opts.env);
  if (dir === null) {
    const dest = join('data', known.name);
    log(
      `${known.name} not found in ${datasetCandidates(known.name, opts.env).join(', ')}; downloading it from GroupLens (${opts.url ?? known.url})`,
    );
    let lastTenth = -1;
    await downloadDataset(known.name, dest, {
      url: opts.url,
      onProgress: (got, total) => {
        const tenth = total ? Math.floor((10 * got) / total) : -1;
        if (tenth !== lastTenth)
          log(`downloaded ${(got / 1e6).toFixed(1)} MB${total ? ` of ${(total / 1e6).toFixed(1)} MB` : ''}`);
        lastTenth = tenth;
      },
    });
    dir = resolve(dest);
    log(`${known.name} verified and unpacked into ${relative('.', dir)}`);
  } else if (known.fileSha256) {
    verifyDatasetDir(known, dir);
  }
  return { key: known.name, dir, format: known.format, known };
}
