/**
 * Trains once, then reuses: the trained params are cached as JSON next to a key that fingerprints the
 * graph (structure and features) and the training options, so a CLI re-run with the same inputs skips
 * training and any change retrains.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ModelParams } from '../../src/core/model/params.ts';
import type { BuiltGraph } from '../data/build-graph.ts';
import { paramsFromJson, saveParams } from './params-io.ts';
import { type TrainOptions, type TrainResult, trainOnBuiltGraph } from './train.ts';

/** A hex fingerprint of the graph and the options that change the weights (not the progress callback). */
export function trainingKey(built: BuiltGraph, options: Partial<TrainOptions>): string {
  const h = createHash('sha256');
  const g = built.graph;
  for (const a of [g.userPtr, g.edgeMovie, g.edgeRating, g.userFeatures, g.movieFeatures]) {
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  const { onProgress: _ignored, unknownUserRow, ...rest } = options;
  h.update(JSON.stringify(rest, Object.keys(rest).sort()));
  if (unknownUserRow)
    h.update(new Uint8Array(unknownUserRow.buffer, unknownUserRow.byteOffset, unknownUserRow.byteLength));
  return h.digest('hex');
}

export interface CachedTraining {
  params: ModelParams;
  /** The training result when it was trained now; null when loaded from the cache. */
  result: TrainResult | null;
  key: string;
}

/** Loads the params cached at `path` when their key matches, else trains and writes them there. */
export function trainWithCache(built: BuiltGraph, options: Partial<TrainOptions>, path: string): CachedTraining {
  const key = trainingKey(built, options);
  if (existsSync(path)) {
    try {
      const text = readFileSync(path, 'utf8');
      if (JSON.parse(text).meta?.key === key) return { params: paramsFromJson(text), result: null, key };
    } catch {
      // A corrupt or old cache file is simply trained over.
    }
  }
  const result = trainOnBuiltGraph(built, options);
  mkdirSync(dirname(path), { recursive: true });
  saveParams(path, result.params, {
    key,
    bestEpoch: result.bestEpoch,
    bestValRecall: result.bestValRecall,
    ms: result.ms,
  });
  return { params: result.params, result, key };
}
