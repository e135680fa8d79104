/**
 * Quick evaluation for tuning the trainer (the official numbers come from pipeline/eval): trains on the
 * transductive (u1) and/or visitor split of a data set and prints Recall@20, NDCG@20, HR@10, Dislike@20 and
 * RMSE (the definitions of src/core/metrics.ts, splits of pipeline/eval/protocols.ts; visitors go through the
 * exact visitor update), told everything and likes only.
 *
 *   node pipeline/train/tune.ts [u1|visitor|both|val|u1val|all] ['{"lr":0.005,...}']
 *
 * 'val' is the visitor protocol on a validation split carved from the visitor split's training users only
 * (`validationSplit`), 'u1val' the same for the transductive split: tune there, then confirm on the test
 * splits. 'all' runs val, u1 and visitor. Environment: DATA (data set folder, default ML-100K), VAL_SEEDS
 * (validation carvings, e.g. "43,44,45": every row is also printed as their MEAN), BASELINES=1 (ItemKNN and
 * EASE on the same splits), BLENDS / POP_BETAS (ranking blends and popularity priors of the same model),
 * QUIET=1 (no epoch lines), BASELINE_ONLY=1.
 */
import { userFeatureRow } from '../../src/core/features.ts';
import { forward } from '../../src/core/model/forward.ts';
import type { ModelParams } from '../../src/core/model/params.ts';
import { rankingQuery } from '../../src/core/model/predict.ts';
import { buildVisitorCache, visitorEmbedding } from '../../src/core/model/visitor.ts';
import { neighbourScores, raterListsOf, ratingPairs } from '../../src/core/recommend/neighbours.ts';
import { createBitset, setBit, topN } from '../../src/core/recommend/rank.ts';
import { starPredictor } from '../../src/core/recommend/stars.ts';
import { ease } from '../eval/baselines/ease.ts';
import { itemKnn } from '../eval/baselines/item-knn.ts';
import { evaluate } from '../eval/harness.ts';
import { type EvalUser, type Split, transductiveProtocol, validationSplit, visitorSplit } from '../eval/protocols.ts';
import { withPopularityPrior } from './popularity-prior.ts';
import { printProgress } from './progress.ts';
import { type TrainOptions, trainModel } from './train.ts';
import { rankOne } from './validate.ts';

const DIR = '../shared/datasets/ml-100k';

export interface SplitMetrics {
  recall20: number;
  ndcg20: number;
  hr10: number;
  /** Share of hidden ratings ≤ 2 in the top 20, over users with one. */
  dislike20: number;
  /** RMSE of the predicted stars on every hidden rating (NaN for MostPop). */
  rmse: number;
  users: number;
}

/**
 * Ranks every evaluated user of a split with trained params; `likesOnly` gives visitors only their
 * revealed ratings ≥ 4 (the rest stay excluded from the ranking).
 */
export function evaluateSplit(split: Split, params: ModelParams, likesOnly = false, blend?: number): SplitMetrics {
  const g = split.graph;
  const unknown = userFeatureRow(split.built.spec, null);
  const f = split.kind === 'transductive' ? forward(g, params) : null;
  const cache = split.kind === 'inductive' ? buildVisitorCache(g, params) : null;
  const d = f ? f.dim : (cache?.dim as number);
  const movieEmb = f ? f.movieEmb : (cache?.movieEmb as Float32Array);
  const raters = raterListsOf(g);
  const weight = params.calibration.neighbourWeight ?? 0;
  const user = (u: EvalUser): { z: Float32Array; movies: ArrayLike<number>; stars: ArrayLike<number> } => {
    if (f && u.userIndex >= 0) {
      const [from, to] = [g.userPtr[u.userIndex], g.userPtr[u.userIndex + 1]];
      return {
        z: f.userEmb.subarray(u.userIndex * d, (u.userIndex + 1) * d),
        movies: g.edgeMovie.subarray(from, to),
        stars: g.edgeRating.subarray(from, to),
      };
    }
    const keep = u.revealedRatings.map((r) => (!likesOnly || r >= 4 ? 1 : 0));
    const movies = u.revealedMovies.filter((_, i) => keep[i]);
    const stars = u.revealedRatings.filter((_, i) => keep[i]);
    return { z: visitorEmbedding(cache as NonNullable<typeof cache>, params, unknown, movies, stars), movies, stars };
  };
  return evaluateWith(split, d, movieEmb, 1 / params.config.temperature, (u) => {
    const { z, movies, stars } = user(u);
    const rated = ratingPairs(movies, stars);
    const predictor = starPredictor(params, z, movieEmb, rated, raters);
    return {
      z: rankingQuery(params, z, blend),
      boost: raters && weight && movies.length ? neighbourScores(raters, rated, weight) : null,
      // The stars as the harness and the browser predict them.
      predict: (m) => predictor(m),
    };
  });
}

/** MostPop through the same loop: every user's z is [1], every movie's embedding its training degree. */
export function evaluateMostPop(split: Split): SplitMetrics {
  const g = split.graph;
  const deg = new Float32Array(g.numMovies);
  for (let m = 0; m < g.numMovies; m++) deg[m] = g.moviePtr[m + 1] - g.moviePtr[m];
  return evaluateWith(split, 1, deg, 1, () => ({ z: Float32Array.of(1), boost: null, predict: null }));
}

function evaluateWith(
  split: Split,
  d: number,
  movieEmb: Float32Array,
  /** The model's 1/temperature: its logits are what the boost is added to. */
  scale: number,
  userOf: (u: EvalUser) => { z: Float32Array; boost: Float32Array | null; predict: ((m: number) => number) | null },
): SplitMetrics {
  const nm = split.graph.numMovies;
  const scores = new Float32Array(nm);
  let recall = 0;
  let ndcg = 0;
  let hr = 0;
  let dislike = 0;
  let dislikeUsers = 0;
  let se = 0;
  let rated = 0;
  for (const u of split.testUsers) {
    const { z, boost, predict } = userOf(u);
    if (predict) {
      for (let i = 0; i < u.hiddenMovies.length; i++) {
        se += (predict(u.hiddenMovies[i]) - u.hiddenRatings[i]) ** 2;
        rated++;
      }
    }
    if (u.positives.length === 0) continue;
    const exclude = createBitset(nm);
    for (const m of u.exclude) setBit(exclude, m);
    const r20 = rankOne(z, movieEmb, d, exclude, u.positives, 20, scores, boost, scale);
    const r10 = rankOne(z, movieEmb, d, exclude, u.positives, 10, scores, boost, scale);
    recall += r20.recall;
    ndcg += r20.ndcg;
    hr += r10.recall > 0 ? 1 : 0;
    if (u.dislikes.length > 0) {
      const top = new Set(topN(scores, 20, exclude));
      dislike += u.dislikes.filter((m) => top.has(m)).length / u.dislikes.length;
      dislikeUsers++;
    }
  }
  const n = split.users.length;
  return {
    recall20: recall / n,
    ndcg20: ndcg / n,
    hr10: hr / n,
    dislike20: dislike / Math.max(1, dislikeUsers),
    rmse: rated > 0 ? Math.sqrt(se / rated) : Number.NaN,
    users: n,
  };
}

/** One line of metrics. */
function line(m: SplitMetrics): string {
  return `Recall@20 ${m.recall20.toFixed(4)}  NDCG@20 ${m.ndcg20.toFixed(4)}  HR@10 ${m.hr10.toFixed(4)}  Dislike@20 ${m.dislike20.toFixed(4)}  RMSE ${m.rmse.toFixed(4)}`;
}

/** The mean of several splits' metrics (the validation seeds of one setting). */
function mean(ms: SplitMetrics[]): SplitMetrics {
  const avg = (k: keyof SplitMetrics): number => ms.reduce((s, m) => s + m[k], 0) / ms.length;
  return {
    recall20: avg('recall20'),
    ndcg20: avg('ndcg20'),
    hr10: avg('hr10'),
    dislike20: avg('dislike20'),
    rmse: avg('rmse'),
    users: avg('users'),
  };
}

/** ItemKNN and EASE through the evaluation harness on the same split (the bars to beat there). */
async function baselineLines(split: Split): Promise<string[]> {
  const out: string[] = [];
  for (const method of [itemKnn(), ease()]) {
    const r = await evaluate(split, method, 1);
    out.push(
      `${split.name} ${method.name}: Recall@20 ${r.recall20.toFixed(4)}  NDCG@20 ${r.ndcg20.toFixed(4)}  HR@10 ${r.hr10.toFixed(4)}  Dislike@20 ${(r.dislike20 ?? 0).toFixed(4)}`,
    );
  }
  return out;
}

async function main(): Promise<void> {
  const which = process.argv[2] ?? 'both';
  const overrides = JSON.parse(process.argv[3] ?? '{}') as Partial<TrainOptions>;
  const dir = process.env.DATA ?? DIR;
  const valSeeds = (process.env.VAL_SEEDS ?? process.env.VAL_SEED ?? '').split(',').filter(Boolean).map(Number);
  const splits: Split[] = [];
  if (which === 'val' || which === 'all') {
    const test = await visitorSplit(dir);
    for (const seed of valSeeds.length ? valSeeds : [undefined]) splits.push(validationSplit(test, seed));
  }
  if (which === 'u1val') {
    const test = await transductiveProtocol(dir);
    for (const seed of valSeeds.length ? valSeeds : [undefined]) splits.push(validationSplit(test, seed));
  }
  if (which === 'u1' || which === 'both' || which === 'all') splits.push(await transductiveProtocol(dir));
  if (which === 'visitor' || which === 'both' || which === 'all') splits.push(await visitorSplit(dir));
  const blends = (process.env.BLENDS ?? '').split(',').filter(Boolean).map(Number);
  const betas = (process.env.POP_BETAS ?? '').split(',').filter(Boolean).map(Number);
  const rows = new Map<string, SplitMetrics[]>();
  const record = (name: string, label: string, m: SplitMetrics): void => {
    console.log(`${name} ${label}: ${line(m)}`);
    rows.set(label, [...(rows.get(label) ?? []), m]);
  };
  for (const split of splits) {
    record(split.name, 'MostPop', evaluateMostPop(split));
    if (process.env.BASELINES) for (const l of await baselineLines(split)) console.log(l);
    if (process.env.BASELINE_ONLY) continue;
    // POP_BETAS sweeps the popularity prior over one model trained without it.
    const t = trainModel(split.graph, {
      unknownUserRow: userFeatureRow(split.built.spec, null),
      onProgress: process.env.QUIET ? undefined : printProgress,
      ...overrides,
      ...(betas.length ? { popularityPrior: 0 } : {}),
    });
    console.log(
      `${split.name}: best epoch ${t.bestEpoch}, val R@20 ${t.bestValRecall.toFixed(4)}, ${(t.ms / 1000).toFixed(1)} s, prior β ${t.popularityPrior}  ${JSON.stringify(overrides)}`,
    );
    const inductive = split.kind === 'inductive';
    // Other ranking blends (BLENDS="0,1,2") and popularity priors (POP_BETAS="0,0.5,1") of the same model.
    const variants: [string, number | undefined, ModelParams][] = [
      ['model', undefined, t.params],
      ...blends.map((b): [string, number, ModelParams] => [`blend ${b}`, b, t.params]),
      ...betas.map((b): [string, undefined, ModelParams] => [
        `pop ${b}`,
        undefined,
        withPopularityPrior(t.params, split.graph, b),
      ]),
    ];
    for (const [label, blend, params] of variants) {
      record(split.name, label, evaluateSplit(split, params, false, blend));
      if (inductive) record(split.name, `${label} likes only`, evaluateSplit(split, params, true, blend));
    }
  }
  if (splits.length > 1)
    for (const [label, ms] of rows) console.log(`MEAN ${label}: ${line(mean(ms))}  ${JSON.stringify(overrides)}`);
}

if (import.meta.main) await main();
