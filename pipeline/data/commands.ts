/**
 * The data pipeline's CLI commands (wired into pipeline/cli.ts by the lead):
 *   build   [--dataset NAME | --data DIR] [--format ml-100k|ml-1m|ml-latest] [--out DIR]  → DIR/snapshot.bin + manifest entry
 *   inspect [FILE]                                                       → counts, degrees, section sizes, hash
 *           (a serving snapshot: counts, model, each section's part of the visitor's path and each prefix's size)
 * Progress goes to stderr, results to stdout.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { DatasetFormat } from '../../src/core/dataset.ts';
import { degrees } from '../../src/core/graph.ts';
import { SERVING_FORMAT_VERSION, type ServingSnapshot, type Snapshot } from '../../src/core/snapshot/format.ts';
import { readSnapshot, verifySnapshotHash } from '../../src/core/snapshot/read.ts';
import {
  readServingSnapshot,
  servingCatalogEnd,
  servingPersonalEnd,
  snapshotVersion,
} from '../../src/core/snapshot/read-serving.ts';
import { writeSnapshot } from '../../src/core/snapshot/write.ts';
import { formatBytes } from '../../src/core/units.ts';
import { artifactsDatasetKey } from '../artifacts/build-default.ts';
import { snapshotArtifact, writeManifest } from '../artifacts/manifest.ts';
import { ARTIFACTS_DIR, SNAPSHOT_FILE } from '../artifacts/paths.ts';
import { buildGraph } from './build-graph.ts';
import { resolveDataset } from './datasets.ts';
import { loadMovieLens } from './movielens.ts';

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: CommandIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

const FORMATS: DatasetFormat[] = ['ml-100k', 'ml-1m', 'ml-latest'];

/** `build`: load a MovieLens data set, build the graph, write the snapshot and its manifest entry. */
export async function buildCommand(args: string[], io: CommandIo = processIo): Promise<{ file: string; ms: number }> {
  const { values } = parseArgs({
    args,
    options: {
      format: { type: 'string' },
      dir: { type: 'string' },
      data: { type: 'string' },
      dataset: { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
  });
  const format = values.format as DatasetFormat | undefined;
  if (format !== undefined && !FORMATS.includes(format)) {
    throw new Error(`--format must be one of ${FORMATS.join(', ')}, not "${format}"`);
  }
  const started = performance.now();
  const step = (text: string) => io.stderr(`[build ${((performance.now() - started) / 1000).toFixed(1)}s] ${text}\n`);

  const folder = values.data ?? values.dir;
  if (folder === undefined && format !== undefined && format !== 'ml-100k' && values.dataset === undefined) {
    throw new Error(`--data DIR (or --dataset NAME) is required for ${format}`);
  }
  const source = await resolveDataset({
    dataset: folder === undefined ? values.dataset : undefined,
    data: folder,
    format,
    log: step,
  });
  const dir = source.dir;
  const outDir = values.out ?? ARTIFACTS_DIR;
  const served = artifactsDatasetKey(outDir);
  if (values.out === undefined && served !== null && served !== source.key) {
    throw new Error(
      `${outDir} holds the ${served} artifacts; a ${source.key} snapshot there would not match their model: pass --out DIR, or build everything with npm run artifacts -- ${folder !== undefined ? `--data ${folder}` : `--dataset ${source.key}`}`,
    );
  }

  step(`loading ${format ?? source.format ?? 'MovieLens (auto-detected)'} from ${relative('.', dir) || '.'}`);
  const dataset = await loadMovieLens(dir, format ?? source.format);
  step(`loaded ${dataset.users.length} users, ${dataset.movies.length} movies, ${dataset.ratings.length} ratings`);
  const built = buildGraph(dataset);
  step(
    `graph: ${built.graph.numEdges} edges, feature dims user ${built.graph.userFeatureDim} / movie ${built.graph.movieFeatureDim}`,
  );
  const bytes = writeSnapshot({ ...built, build: { tool: 'cinesage build', source: basename(dir) } });
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, SNAPSHOT_FILE);
  await writeFile(file, bytes);
  const snapshot = readSnapshot(bytes, SNAPSHOT_FILE);
  step(`wrote ${file}: ${formatBytes(bytes.length)} (${formatBytes(gzipSync(bytes).length)} gzipped)`);
  await writeManifest(outDir, [snapshotArtifact(dataset, built.graph, snapshot.contentHash)]);
  const ms = performance.now() - started;
  step(`manifest updated; done in ${(ms / 1000).toFixed(2)} s`);
  io.stdout(`${file}\n`);
  return { file, ms };
}

/**
 * `inspect`: validate a snapshot (structure and hash) and print what it holds — a graph snapshot
 * (snapshot.bin) or a serving snapshot (serving.*.bin, told apart by the header's format version).
 */
export async function inspectCommand(args: string[], io: CommandIo = processIo): Promise<Snapshot | ServingSnapshot> {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true });
  const file = positionals[0] ?? join(ARTIFACTS_DIR, SNAPSHOT_FILE);
  const bytes = new Uint8Array(await readFile(file));
  if (snapshotVersion(bytes) === SERVING_FORMAT_VERSION) {
    const serving = readServingSnapshot(bytes, basename(file));
    await verifySnapshotHash(bytes, basename(file));
    io.stdout(describeServingSnapshot(serving, bytes));
    return serving;
  }
  const snap = readSnapshot(bytes, basename(file));
  await verifySnapshotHash(bytes, basename(file));
  io.stdout(describeSnapshot(snap, bytes));
  return snap;
}

const gzipSize = (data: Uint8Array): number => gzipSync(data).length;

/** One row of the section tables: name, raw and gzip size, and an optional last column. */
function sectionRow(name: string, raw: number, gzip: number, tail = ''): string {
  return `${name.padEnd(24)}${formatBytes(raw).padStart(12)}${formatBytes(gzip).padStart(12)}${tail ? `   ${tail}` : ''}`;
}

/**
 * The report `inspect` prints for a serving snapshot: what it was built from, the model it serves, and for
 * each section the part of the visitor's first visit that waits for it — the first list (the catalog
 * prefix), the first personal list (the personal prefix: weights, scoring codes, rater lists) or the exact
 * list (the rest) — with the size of each prefix, which is what a slow link pays before each paint.
 */
export function describeServingSnapshot(s: ServingSnapshot, bytes: Uint8Array): string {
  const catalogEnd = servingCatalogEnd(s.sections);
  const personalEnd = servingPersonalEnd(s.sections);
  const part = (end: number): string =>
    end <= catalogEnd ? 'first list' : end <= personalEnd ? 'first personal list' : 'exact list';
  const { counts, model } = s;
  const lines = [
    `${s.file}: CineSage serving snapshot format v${s.formatVersion}, data set ${s.dataset.name} (${s.dataset.format})`,
    `content hash  ${s.contentHash} (verified)`,
    `built from    users ${counts.users}   movies ${counts.movies}   ratings ${counts.ratings}   mean stars ${s.globalMeanRating.toFixed(2)}`,
    `model         sha256 ${model.sha256.slice(0, 16)}…   embeddings ${model.embeddingDim} × ${model.embeddingDtype}   rating messages ${model.ratingMessages ? `centre ${model.ratingMessages.center}, scale ${model.ratingMessages.scale}` : 'none'}`,
    `rater lists   ${s.raters ? `${s.raters.users.length} ratings (the neighbourhood term and the stars' correction)` : 'none (ranked without the neighbourhood term)'}`,
    '',
    `${'section'.padEnd(24)}${'raw'.padStart(12)}${'gzip'.padStart(12)}   needed for`,
  ];
  for (const x of s.sections) {
    const data = bytes.subarray(x.offset, x.offset + x.byteLength);
    lines.push(sectionRow(x.name, x.byteLength, gzipSize(data), part(x.offset + x.byteLength)));
  }
  lines.push(
    '',
    sectionRow('first list (prefix)', catalogEnd, gzipSize(bytes.subarray(0, catalogEnd))),
    sectionRow('first personal list', personalEnd, gzipSize(bytes.subarray(0, personalEnd))),
    sectionRow('total (file)', bytes.length, gzipSize(bytes)),
  );
  return `${lines.join('\n')}\n`;
}

/** The human-readable report `inspect` prints. */
export function describeSnapshot(snap: Snapshot, bytes: Uint8Array): string {
  const g = snap.graph;
  const deg = degrees(g);
  const lines = [
    `${snap.file}: CineSage snapshot format v${snap.formatVersion}, data set ${snap.dataset.name} (${snap.dataset.format})`,
    `content hash  ${snap.contentHash} (verified)`,
    `users ${g.numUsers}   movies ${g.numMovies}   ratings ${g.numEdges}`,
    `features      user ${g.userFeatureDim} columns, movie ${g.movieFeatureDim} columns`,
    '',
    `degree      ${['min', 'median', 'mean', 'max'].map((h) => h.padStart(8)).join('')}`,
    `users       ${degreeStats(deg.user)}`,
    `movies      ${degreeStats(deg.movie)}`,
    '',
    `${'section'.padEnd(24)}${'raw'.padStart(12)}${'gzip'.padStart(12)}`,
  ];
  for (const s of snap.sections) {
    const data = bytes.subarray(s.offset, s.offset + s.byteLength);
    lines.push(sectionRow(s.name, s.byteLength, gzipSize(data)));
  }
  lines.push(sectionRow('total (file)', bytes.length, gzipSize(bytes)));
  return `${lines.join('\n')}\n`;
}

function degreeStats(values: Int32Array): string {
  if (values.length === 0) return '(none)';
  const sorted = values.slice().sort();
  const n = sorted.length;
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  let sum = 0;
  for (const v of sorted) sum += v;
  return [sorted[0], median, Number((sum / n).toFixed(1)), sorted[n - 1]].map((v) => String(v).padStart(8)).join('');
}
