/**
 * Trains the GraphSAGE model of params.ts on a rating graph: full-graph forward and hand-written backward
 * per step, a ranking loss over positives (edges rated ≥ positiveMinStars) with sampled negatives, AdamW,
 * edge dropout, user-feature dropout (demographics replaced by the visitor's "unknown" row), early
 * stopping on Recall@20 of a validation split carved from the graph's own edges, and a rating calibration
 * fitted on the validation edges. Deterministic: the same graph, options and seed give bit-identical
 * weights.
 */
import { userFeatureRow } from '../../src/core/features.ts';
import type { RatingGraph } from '../../src/core/graph.ts';
import { forward, type MessageGraph } from '../../src/core/model/forward.ts';
import { baseEmbeddingDim, embeddingDim, type ModelConfig, type ModelParams } from '../../src/core/model/params.ts';
import type { BuiltGraph } from '../data/build-graph.ts';
import { Adam } from './adam.ts';
import { backward } from './backward.ts';
import { calibrationRmse, fitCalibration, headCalibration } from './calibrate.ts';
import { type Groups, type LossKind, rankingLoss } from './loss.ts';
import { createParamBuffer, exportParams, initParams } from './param-buffer.ts';
import { withPopularityPrior } from './popularity-prior.ts';
import { type RatingPairs, ratingHeadLoss, userOffsets } from './rating-head.ts';
import { Rng } from './rng.ts';
import { NegativeSampler } from './sampler.ts';
import { inducedUserSubgraph, keepEdges } from './subgraph.ts';
import { evaluateUsers, groupPositives } from './validate.ts';

export interface TrainOptions {
  seed: number;
  /**
   * Maximum number of epochs (one pass over the positives each). Sampled, an epoch is one subgraph and this
   * counts passes over the edges: at most ⌈epochs · numEdges / sampleEdges⌉ of them.
   */
  epochs: number;
  config: ModelConfig;
  loss: LossKind;
  lr: number;
  weightDecay: number;
  /** Negatives per positive. */
  negatives: number;
  /**
   * Negatives grow with the catalog: each step uses max(negatives, round(negativesPerMovie · numMovies)), so
   * a larger catalog is sampled as densely as ML-100K's (256 of 1,682 is 15%; 5% of ml-latest-small's 9,742
   * is 487).
   */
  negativesPerMovie: number;
  /**
   * Sampled softmax only: each step draws one set of negatives per user, shared by all of that user's
   * positives in the step (scored once per user: much faster for many negatives).
   */
  sharedNegatives: boolean;
  /** Negative sampling ∝ (degree + 1)^alpha; 0 is uniform. */
  negativeAlpha: number;
  /** Gradient steps per epoch (each a full-graph forward/backward over a slice of the positives). */
  batchesPerEpoch: number;
  /** Fraction of message edges dropped at random in each step. */
  edgeDropout: number;
  /**
   * Probability that a user is made "visitor-like" in a step: only 1..sparseUserEdges (uniform) of their
   * message edges are kept, while all their positives stay targets (visitors reveal few ratings).
   */
  sparseUserFraction: number;
  sparseUserEdges: number;
  /**
   * Probability that a visitor-like user keeps their earliest message edges by time (ties by movie index),
   * as the visitor protocol reveals a visitor's first ratings; otherwise random ones.
   */
  sparseUserEarliest: number;
  /**
   * 'all': a visitor-like user is supervised on all their positives in the batch; 'hidden': only on those
   * that are not among their kept message edges (a visitor is scored on what they have not rated yet).
   */
  sparseUserTargets: 'all' | 'hidden';
  /** Probability that a visitor-like user's features are replaced by `unknownUserRow` (visitors have none). */
  sparseUserUnknownFeatures: number;
  /** Remove each step's target edges from message passing (as test positives are absent from the graph). */
  holdOutTargets: boolean;
  /**
   * Probability that a user's features are replaced by `unknownUserRow` in a step, so visitors (who have
   * no demographics) are in distribution. Inference always uses the graph's own rows, so keep it < 1.
   */
  userFeatureDropout: number;
  /** The feature row of a user without demographics (required when userFeatureDropout > 0). */
  unknownUserRow?: Float32Array;
  positiveMinStars: number;
  /**
   * Rating-aware messages (params.ts `ratingMessages`): centre and scale come from the graph's star range
   * ((min + max) / 2 and (max − min) / 2) unless `config.ratingMessages` is set.
   */
  ratingMessages: boolean;
  /**
   * Weight of the rating head's mean squared error (the head is trained jointly with the ranking loss on
   * the ratings a step does not pass as messages); 0 trains no head (predictions from the bias model only).
   */
  ratingWeight: number;
  /** Pseudo-count shrinking a user's mean offset in the rating head (RatingCalibration.userShrink). */
  ratingShrink: number;
  /** Weight of the head's predicted stars in the ranking (RatingCalibration.rankBlend, predict.ts). */
  rankBlend: number;
  /**
   * A user's own ratings ≤ dislikeMaxStars that the step does not pass as messages join their softmax
   * negatives with weight dislikeWeight (logit + log w): a visitor's disliked movies teach what to avoid.
   * 0 turns it off. Shared sampled softmax only.
   */
  dislikeWeight: number;
  dislikeMaxStars: number;
  /** At most this many dislikes per user and step take a negative's place. */
  dislikeMax: number;
  /**
   * β of the ranking's popularity prior (popularity-prior.ts): the shipped model scores z_u·z_m / τ +
   * β·log(1 + n_m). 0 ships none; a model with a learned `config.movieScoreBias` gets none either.
   */
  popularityPrior: number;
  /**
   * Weight of the ranking's neighbourhood term (src/core/recommend/neighbours.ts; RatingCalibration
   * .neighbourWeight): item–item co-rating cosine over the training graph, added to the model's score. 0: none.
   */
  neighbourWeight: number;
  /**
   * The predicted stars' neighbourhood correction of the head's residuals (src/core/recommend/stars.ts;
   * RatingCalibration.residualWeight / residualShrink / residualGate / residualPower): weight γ (0: none),
   * shrink λ, gate g, power p of the Jaccard similarities.
   */
  residualWeight: number;
  residualShrink: number;
  residualGate: number;
  residualPower: number;
  /** Fraction of the graph's edges held out for validation (early stopping, calibration); 0 for none. */
  validationFraction: number;
  /** Stop after this many evaluations without a better validation Recall@20. */
  patience: number;
  /** Evaluate every this many epochs. */
  evalEvery: number;
  /**
   * Wall-clock budget of training (ms, validation included): no epoch is started that would, with the
   * evaluation that closes it, end past the budget at the pace so far; the last epoch run is evaluated.
   * The small data sets train in 1–2 minutes, far below the default (30 min, which keeps an ML-32M-sized
   * artifacts build — load and snapshot ≈ 1.5 min, export ≈ 2–3 min — inside 45 minutes).
   */
  timeBudgetMs: number;
  /**
   * Sampled training: graphs with more than this many edges are trained on user-induced subgraphs (see
   * `sampleEdges`); 0 samples every graph, Infinity none. Default 2,000,000 (ML-1M and smaller: full graph).
   */
  sampleAboveEdges: number;
  /**
   * Sampled training: each epoch draws users at random (without replacement) until their edges reach this
   * many, and runs its `batchesPerEpoch` full-batch steps on the subgraph induced by those users and every
   * movie (all their edges, validation edges masked as on the full graph).
   */
  sampleEdges: number;
  /**
   * Sampled training: validation ranks at most this many held-out users (drawn once, seeded); the forward
   * behind it is still the full-graph one the browser runs.
   */
  sampleValUsers: number;
  /**
   * Sampled training: at most this many negatives per user and step (never fewer than `negatives`). A large
   * catalog's 5% rule (4,379 at ML-32M's 87,585 movies) makes the loss most of a step; capping it buys more
   * users per minute of the time budget.
   */
  sampleMaxNegatives: number;
  /**
   * Sampled training: an evaluation (every `evalEvery` epochs) is skipped until the training time since the
   * previous one is at least (1 − share) / share times that evaluation's duration, so validation takes at
   * most about this share of the time.
   */
  sampleEvalShare: number;
  onProgress?: (p: TrainProgress) => void;
  /** Informational lines (the mode chosen, the sample sizes). */
  onLog?: (line: string) => void;
}

export interface TrainProgress {
  epoch: number;
  epochs: number;
  loss: number;
  /** Validation Recall@20 / NDCG@20 / rating RMSE (NaN when not evaluated this epoch or without a head). */
  valRecall: number;
  valNdcg: number;
  valRmse: number;
  bestEpoch: number;
  elapsedMs: number;
  /** Estimated time left at this pace for the remaining epochs (an upper bound with early stopping). */
  etaMs: number;
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  valRecall: number;
  valNdcg: number;
  valRmse: number;
  ms: number;
}

export interface TrainResult {
  params: ModelParams;
  history: EpochRecord[];
  bestEpoch: number;
  bestValRecall: number;
  ms: number;
  /** 'sampled' when the graph was trained on user-induced subgraphs (`sampleAboveEdges`). */
  mode: 'full' | 'sampled';
  /** Users whose held-out positives the validation ranks (all of them in full mode). */
  valUsers: number;
  /** Sampled mode: the mean users and edges of an epoch's subgraph (0 in full mode). */
  sampleUsers: number;
  sampleEdges: number;
  /** Whether training stopped on `timeBudgetMs`. */
  stoppedOnBudget: boolean;
  /** β of the popularity prior the model ships (0: none). */
  popularityPrior: number;
}

/** Defaults tuned on ML-100K (see pipeline/train/README.md for the measurements). */
export const DEFAULT_TRAIN_OPTIONS: Omit<TrainOptions, 'onProgress' | 'unknownUserRow'> = {
  seed: 1,
  epochs: 80,
  config: { hiddenDim: 32, outDim: 32, movieIdEmbeddingDim: 32, skip: 'concat', normalize: true, temperature: 0.1 },
  loss: 'softmax',
  lr: 0.01,
  weightDecay: 0,
  negatives: 256,
  negativesPerMovie: 0.05,
  negativeAlpha: 0,
  sharedNegatives: true,
  batchesPerEpoch: 4,
  edgeDropout: 0.1,
  sparseUserFraction: 0.5,
  sparseUserEdges: 15,
  sparseUserEarliest: 0.025,
  sparseUserTargets: 'hidden',
  sparseUserUnknownFeatures: 1,
  holdOutTargets: false,
  userFeatureDropout: 0,
  positiveMinStars: 4,
  ratingMessages: true,
  ratingWeight: 1,
  ratingShrink: 5,
  rankBlend: 0,
  dislikeWeight: 8,
  dislikeMaxStars: 2,
  dislikeMax: 32,
  popularityPrior: 1,
  neighbourWeight: 20,
  residualWeight: 1.5,
  residualShrink: 0.03,
  residualGate: 60,
  residualPower: 3,
  validationFraction: 0.1,
  patience: 5,
  evalEvery: 2,
  timeBudgetMs: 30 * 60_000,
  sampleAboveEdges: 2_000_000,
  sampleEdges: 500_000,
  sampleValUsers: 2000,
  sampleMaxNegatives: 1024,
  sampleEvalShare: 0.2,
};

/** Splits the graph's edges into message/supervision edges and validation edges (seeded). */
function carveValidation(g: RatingGraph, fraction: number, rng: Rng): Uint8Array {
  const train = new Uint8Array(g.numEdges).fill(1);
  for (let e = 0; e < g.numEdges; e++) if (rng.float() < fraction) train[e] = 0;
  return train;
}

/** The graph an epoch's steps run on: the whole graph, or the subgraph induced by a sample of users. */
interface StepGraph {
  graph: RatingGraph;
  /** 1 for the edges the model may see (message passing, supervision), 0 for validation edges. */
  trainMask: Uint8Array;
  edgeUser: Int32Array;
  /** Training edges rated ≥ positiveMinStars (shuffled in place each epoch). */
  positives: Int32Array;
  sampler: NegativeSampler;
  byTime: Int32Array | null;
}

function stepGraph(graph: RatingGraph, trainMask: Uint8Array, o: TrainOptions): StepGraph {
  const edgeUser = new Int32Array(graph.numEdges);
  for (let u = 0; u < graph.numUsers; u++) edgeUser.fill(u, graph.userPtr[u], graph.userPtr[u + 1]);
  let n = 0;
  for (let e = 0; e < graph.numEdges; e++) if (trainMask[e] && graph.edgeRating[e] >= o.positiveMinStars) n++;
  const positives = new Int32Array(n);
  n = 0;
  for (let e = 0; e < graph.numEdges; e++)
    if (trainMask[e] && graph.edgeRating[e] >= o.positiveMinStars) positives[n++] = e;
  return {
    graph,
    trainMask,
    edgeUser,
    positives,
    sampler: new NegativeSampler(graph, o.negativeAlpha),
    byTime: o.sparseUserEarliest > 0 ? edgesByTime(graph) : null,
  };
}

/**
 * Users drawn uniformly without replacement (a partial Fisher–Yates over `perm`, which persists between
 * calls) until their edges reach `targetEdges`; ascending. All users when the graph has fewer edges.
 */
export function sampleUsers(
  g: Pick<RatingGraph, 'numUsers' | 'userPtr'>,
  targetEdges: number,
  perm: Int32Array,
  rng: Rng,
): Int32Array {
  let edges = 0;
  let n = 0;
  while (n < g.numUsers && edges < targetEdges) {
    const j = n + rng.int(g.numUsers - n);
    const u = perm[j];
    perm[j] = perm[n];
    perm[n++] = u;
    edges += g.userPtr[u + 1] - g.userPtr[u];
  }
  return perm.slice(0, n).sort();
}

export function trainModel(graph: RatingGraph, options: Partial<TrainOptions> = {}): TrainResult {
  const o: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  if (
    (o.userFeatureDropout > 0 || (o.sparseUserFraction > 0 && o.sparseUserUnknownFeatures > 0)) &&
    !o.unknownUserRow
  ) {
    throw new Error('userFeatureDropout / sparseUserUnknownFeatures need unknownUserRow');
  }
  if (o.unknownUserRow && o.unknownUserRow.length !== graph.userFeatureDim) {
    throw new RangeError('unknownUserRow does not match the graph user features');
  }
  const start = performance.now();
  const rng = new Rng(o.seed);
  const stars = starRange(graph);
  const config: ModelConfig = {
    ...o.config,
    ...(o.ratingMessages && !o.config.ratingMessages
      ? { ratingMessages: { center: (stars.min + stars.max) / 2, scale: (stars.max - stars.min) / 2 || 1 } }
      : {}),
  };
  const shape = {
    config,
    userFeatureDim: graph.userFeatureDim,
    movieFeatureDim: graph.movieFeatureDim,
    numMovies: graph.numMovies,
    ratingHead: o.ratingWeight > 0,
  };
  const buf = createParamBuffer(shape, (n) => new Float32Array(n));
  initParams(buf, rng);
  const grad = createParamBuffer(shape, (n) => new Float32Array(n));
  const adam = new Adam(buf.flat.length, buf.tensors, { lr: o.lr, weightDecay: o.weightDecay });
  const sampled = graph.numEdges > o.sampleAboveEdges;

  // Edges: train (message passing + supervision) vs validation.
  const trainMask = carveValidation(graph, o.validationFraction, rng);
  const trainGraph = keepEdges(graph, trainMask);
  const valUser: number[] = [];
  const valMovie: number[] = [];
  let starSum = 0;
  let starCount = 0;
  for (let u = 0; u < graph.numUsers; u++) {
    for (let e = graph.userPtr[u]; e < graph.userPtr[u + 1]; e++) {
      if (trainMask[e]) {
        starSum += graph.edgeRating[e];
        starCount++;
      } else if (graph.edgeRating[e] >= o.positiveMinStars) {
        valUser.push(u);
        valMovie.push(graph.edgeMovie[e]);
      }
    }
  }
  const globalMean = starCount > 0 ? starSum / starCount : (stars.min + stars.max) / 2;
  if (buf.head) buf.head.scalars.set([globalMean, 1]);
  const headDim = baseEmbeddingDim(config);
  let heldOut = groupPositives(valUser, valMovie);
  // Validation edges scored for RMSE: all of them, or (sampled) those of the validation users.
  let rmseMask = trainMask;
  if (sampled && heldOut.users.length > o.sampleValUsers) {
    // A separate stream, so the choice does not shift the training draws.
    const pick = new Uint8Array(graph.numUsers);
    const chosen = new Rng(o.seed ^ 0x5a17).shuffle(heldOut.users.slice()).subarray(0, o.sampleValUsers);
    for (const u of chosen) pick[u] = 1;
    const keepUser: number[] = [];
    const keepMovie: number[] = [];
    for (let i = 0; i < valUser.length; i++) {
      if (!pick[valUser[i]]) continue;
      keepUser.push(valUser[i]);
      keepMovie.push(valMovie[i]);
    }
    heldOut = groupPositives(keepUser, keepMovie);
    rmseMask = trainMask.slice();
    for (let u = 0; u < graph.numUsers; u++) if (!pick[u]) rmseMask.fill(1, graph.userPtr[u], graph.userPtr[u + 1]);
  }
  valUser.length = 0;
  valMovie.length = 0;

  const fu = graph.userFeatureDim;
  const dim = embeddingDim(config);
  const scale = 1 / o.config.temperature;
  const perMovie = Math.round(o.negativesPerMovie * graph.numMovies);
  const k =
    o.loss === 'full-softmax'
      ? 0
      : Math.max(o.negatives, sampled ? Math.min(perMovie, o.sampleMaxNegatives) : perMovie);
  const full = sampled ? null : stepGraph(graph, trainMask, o);
  const perm = sampled ? Int32Array.from({ length: graph.numUsers }, (_, u) => u) : null;
  if (sampled && heldOut.users.length > 0) {
    // Reference point for the validation lines: popularity (training degree) on the same users.
    const degree = Float32Array.from(
      { length: graph.numMovies },
      (_, m) => trainGraph.moviePtr[m + 1] - trainGraph.moviePtr[m],
    );
    const pop = evaluateUsers(
      { userEmb: new Float32Array(graph.numUsers).fill(1), movieEmb: degree, dim: 1 },
      trainGraph,
      heldOut,
    );
    o.onLog?.(
      `most popular on the same validation users: R@20 ${pop.recall.toFixed(4)} NDCG@20 ${pop.ndcg.toFixed(4)}`,
    );
  }
  if (sampled) {
    o.onLog?.(
      `sampled training (${graph.numEdges} edges > ${o.sampleAboveEdges}): each epoch on the users of ≈${o.sampleEdges} edges with every movie, ${k} negatives; validation on ${heldOut.users.length} held-out users through the full-graph forward`,
    );
  }

  /** One epoch's `batchesPerEpoch` steps on `s`; returns the mean loss. */
  const runEpoch = (s: StepGraph): number => {
    const g = s.graph;
    const { trainMask: mask, edgeUser, positives, sampler } = s;
    const stepFeatures = new Float32Array(g.userFeatures.length);
    const keep = new Uint8Array(g.numEdges);
    const sparseUser = new Uint8Array(g.numUsers);
    const negRow = new Int32Array(g.numUsers);
    rng.shuffle(positives);
    let lossSum = 0;
    const nb = Math.max(1, Math.min(o.batchesPerEpoch, positives.length));
    for (let b = 0; b < nb; b++) {
      const batch = positives.subarray(
        Math.floor((b * positives.length) / nb),
        Math.floor(((b + 1) * positives.length) / nb),
      );
      // Message edges of this step.
      for (let e = 0; e < keep.length; e++)
        keep[e] = mask[e] && (o.edgeDropout === 0 || rng.float() >= o.edgeDropout) ? 1 : 0;
      if (o.holdOutTargets) for (const e of batch) keep[e] = 0;
      sparseUser.fill(0);
      if (o.sparseUserFraction > 0) {
        sparsifyUsers(
          g,
          keep,
          o.sparseUserFraction,
          o.sparseUserEdges,
          s.byTime,
          o.sparseUserEarliest,
          rng,
          sparseUser,
        );
      }
      const mg: MessageGraph = keepEdges(g, keep);
      const unknownForSparse = o.sparseUserFraction > 0 && o.sparseUserUnknownFeatures > 0;
      if (o.userFeatureDropout > 0 || unknownForSparse) {
        stepFeatures.set(g.userFeatures);
        const row = o.unknownUserRow as Float32Array;
        for (let u = 0; u < g.numUsers; u++) {
          const p = sparseUser[u] ? Math.max(o.userFeatureDropout, o.sparseUserUnknownFeatures) : o.userFeatureDropout;
          if (p > 0 && rng.float() < p) stepFeatures.set(row, u * fu);
        }
        mg.userFeatures = stepFeatures;
      }
      // Targets of this step (visitor-like users may be supervised on their hidden positives only).
      let targets: Int32Array = batch;
      if (o.sparseUserFraction > 0 && o.sparseUserTargets === 'hidden') {
        targets = batch.filter((e) => !(sparseUser[edgeUser[e]] && keep[e]));
      }
      const f = forward(mg, buf.params);
      const shared = o.sharedNegatives && o.loss === 'softmax';
      // Shared negatives: one row per user (negRow), drawn at the user's first target.
      let rows = targets.length;
      const groupRow = shared ? new Int32Array(targets.length) : undefined;
      if (groupRow) {
        negRow.fill(-1);
        rows = 0;
        for (let i = 0; i < targets.length; i++) {
          const u = edgeUser[targets[i]];
          if (negRow[u] < 0) negRow[u] = rows++;
          groupRow[i] = negRow[u];
        }
      }
      const groups: Groups = {
        user: new Int32Array(targets.length),
        pos: new Int32Array(targets.length),
        neg: new Int32Array(rows * k),
        negatives: k,
        shared,
        negRow: groupRow,
      };
      const hardNegatives = shared && o.dislikeWeight > 0;
      if (hardNegatives) groups.negLogWeight = new Float32Array(rows * k);
      let drawn = 0;
      for (let i = 0; i < targets.length; i++) {
        const u = edgeUser[targets[i]];
        groups.user[i] = u;
        groups.pos[i] = g.edgeMovie[targets[i]];
        const row = groupRow ? groupRow[i] : i;
        if (groupRow) {
          if (row < drawn) continue;
          drawn++;
        }
        for (let q = 0; q < k; q++) groups.neg[row * k + q] = sampler.negativeFor(u, rng);
        if (hardNegatives) addDislikes(g, u, mask, keep, o, groups, row);
      }
      const dUser = new Float32Array(f.userEmb.length);
      const dMovie = new Float32Array(f.movieEmb.length);
      lossSum += rankingLoss(o.loss, f.userEmb, f.movieEmb, dim, scale, groups, dUser, dMovie);
      grad.flat.fill(0);
      if (buf.head && grad.head) {
        const pairs = ratingPairs(g, edgeUser, mask, keep);
        const offsets = userOffsets(mg, globalMean, o.ratingShrink);
        lossSum += ratingHeadLoss(
          buf.head,
          f.userEmb,
          f.movieEmb,
          dim,
          headDim,
          offsets,
          pairs,
          o.ratingWeight,
          grad.head,
          dUser,
          dMovie,
        );
      }
      backward(mg, buf.params, f, dUser, dMovie, grad.params);
      adam.step(buf.flat, grad.flat);
    }
    return lossSum / nb;
  };

  const history: EpochRecord[] = [];
  let best = { epoch: 0, recall: -1, flat: buf.flat.slice() };
  let sinceBest = 0;
  let trainMs = 0;
  let evalMs = Number.NaN;
  let trainMsSinceEval = 0;
  let stoppedOnBudget = false;
  let sampleUsersSum = 0;
  let sampleEdgesSum = 0;

  // Sampled, `epochs` counts passes over the edges: each sampled epoch covers ≈ sampleEdges of them.
  const maxEpochs = sampled ? Math.ceil((o.epochs * graph.numEdges) / Math.max(1, o.sampleEdges)) : o.epochs;
  for (let epoch = 1; epoch <= maxEpochs; epoch++) {
    const t0 = performance.now();
    let s = full as StepGraph;
    if (perm) {
      const sub = inducedUserSubgraph(graph, sampleUsers(graph, o.sampleEdges, perm, rng));
      const subMask = new Uint8Array(sub.edges.length);
      for (let i = 0; i < subMask.length; i++) subMask[i] = trainMask[sub.edges[i]];
      s = stepGraph(sub.graph, subMask, o);
      sampleUsersSum += sub.graph.numUsers;
      sampleEdgesSum += sub.graph.numEdges;
    }
    const loss = runEpoch(s);
    const epochTrainMs = performance.now() - t0;
    trainMs += epochTrainMs;
    trainMsSinceEval += epochTrainMs;

    let valRecall = Number.NaN;
    let valNdcg = Number.NaN;
    let valRmse = Number.NaN;
    const due =
      epoch % o.evalEvery === 0 &&
      (!sampled || Number.isNaN(evalMs) || trainMsSinceEval >= (evalMs * (1 - o.sampleEvalShare)) / o.sampleEvalShare);
    // The last epoch: the epoch limit, or no room in the time budget for this epoch's evaluation (when due),
    // another epoch and the evaluation that would close it.
    const elapsedNow = performance.now() - start;
    const evalGuess = Number.isNaN(evalMs) ? trainMs / epoch : evalMs;
    const outOfTime = elapsedNow + (due ? evalGuess : 0) + trainMs / epoch + evalGuess > o.timeBudgetMs;
    const last = epoch === maxEpochs || outOfTime;
    const evaluate = heldOut.users.length > 0 && (due || last);
    if (evaluate) {
      const te = performance.now();
      const fv = forward(trainGraph, buf.params);
      const m = evaluateUsers(fv, trainGraph, heldOut);
      valRecall = m.recall;
      valNdcg = m.ndcg;
      if (buf.head) {
        const cal = headCalibration(buf.head, globalMean, o.ratingShrink, stars, o.rankBlend);
        valRmse = calibrationRmse(graph, rmseMask, trainGraph, fv, { ...buf.params, calibration: cal });
      }
      if (valRecall > best.recall) {
        best = { epoch, recall: valRecall, flat: buf.flat.slice() };
        sinceBest = 0;
      } else sinceBest++;
      evalMs = performance.now() - te;
      trainMsSinceEval = 0;
    }
    const ms = performance.now() - t0;
    history.push({ epoch, loss, valRecall, valNdcg, valRmse, ms });
    const elapsedMs = performance.now() - start;
    o.onProgress?.({
      epoch,
      epochs: maxEpochs,
      loss,
      valRecall,
      valNdcg,
      valRmse,
      bestEpoch: best.epoch,
      elapsedMs,
      etaMs: last ? 0 : Math.min((elapsedMs / epoch) * (maxEpochs - epoch), Math.max(0, o.timeBudgetMs - elapsedMs)),
    });
    if (last && outOfTime && epoch < maxEpochs) {
      stoppedOnBudget = true;
      break;
    }
    if (evaluate && sinceBest >= o.patience) break;
  }
  if (best.recall >= 0) buf.flat.set(best.flat);
  else best.epoch = history.length;

  const epochsRun = history.length;
  // The prior rides in the score column; a calibration fitted on scores (no head) sees it too.
  const beta = config.movieScoreBias ? 0 : o.popularityPrior;
  const trained = withPopularityPrior(buf.params, graph, beta);
  const calibration = buf.head
    ? headCalibration(buf.head, globalMean, o.ratingShrink, stars, o.rankBlend)
    : fitCalibration(graph, trainMask, trained);
  return {
    params: exportParams(trained, {
      ...calibration,
      neighbourWeight: o.neighbourWeight,
      residualWeight: o.residualWeight,
      residualShrink: o.residualShrink,
      residualGate: o.residualGate,
      residualPower: o.residualPower,
    }),
    popularityPrior: beta,
    history,
    bestEpoch: best.epoch,
    bestValRecall: best.recall,
    ms: performance.now() - start,
    mode: sampled ? 'sampled' : 'full',
    valUsers: heldOut.users.length,
    sampleUsers: sampled ? Math.round(sampleUsersSum / epochsRun) : 0,
    sampleEdges: sampled ? Math.round(sampleEdgesSum / epochsRun) : 0,
    stoppedOnBudget,
  };
}

/** The smallest and largest stars of the graph (1–5 when it has no edges). */
function starRange(g: RatingGraph): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let e = 0; e < g.numEdges; e++) {
    min = Math.min(min, g.edgeRating[e]);
    max = Math.max(max, g.edgeRating[e]);
  }
  return Number.isFinite(min) ? { min, max } : { min: 1, max: 5 };
}

/** The rating head's targets of a step: training edges that are not message edges (dropped or hidden). */
function ratingPairs(g: RatingGraph, edgeUser: Int32Array, trainMask: Uint8Array, keep: Uint8Array): RatingPairs {
  const user: number[] = [];
  const movie: number[] = [];
  const starsOf: number[] = [];
  for (let e = 0; e < g.numEdges; e++) {
    if (!trainMask[e] || keep[e]) continue;
    user.push(edgeUser[e]);
    movie.push(g.edgeMovie[e]);
    starsOf.push(g.edgeRating[e]);
  }
  return { user: Int32Array.from(user), movie: Int32Array.from(movie), stars: Float32Array.from(starsOf) };
}

/**
 * Puts user u's hidden dislikes (training edges ≤ dislikeMaxStars that are not messages this step) in
 * the last slots of negatives row `row`, with logit offset log(dislikeWeight).
 */
function addDislikes(
  g: RatingGraph,
  u: number,
  trainMask: Uint8Array,
  keep: Uint8Array,
  o: TrainOptions,
  groups: Groups,
  row: number,
): void {
  const k = groups.negatives;
  const logW = Math.log(o.dislikeWeight);
  let slot = k - 1;
  for (let e = g.userPtr[u]; e < g.userPtr[u + 1] && slot >= k - o.dislikeMax && slot >= 0; e++) {
    if (!trainMask[e] || keep[e] || g.edgeRating[e] > o.dislikeMaxStars) continue;
    groups.neg[row * k + slot] = g.edgeMovie[e];
    (groups.negLogWeight as Float32Array)[row * k + slot] = logW;
    slot--;
  }
}

/** Each user's edges ordered by time (ties by movie index), user-major like the graph's edge arrays. */
function edgesByTime(g: RatingGraph): Int32Array {
  const order = Int32Array.from({ length: g.numEdges }, (_, e) => e);
  for (let u = 0; u < g.numUsers; u++) {
    order
      .subarray(g.userPtr[u], g.userPtr[u + 1])
      .sort((a, b) => g.edgeTime[a] - g.edgeTime[b] || g.edgeMovie[a] - g.edgeMovie[b]);
  }
  return order;
}

/**
 * For a random `fraction` of users, keeps only 1..maxEdges (uniform) of their kept edges: random ones, or
 * with probability `earliestShare` the earliest (`byTime`: edgesByTime). Marks those users in `sparse`.
 */
function sparsifyUsers(
  g: RatingGraph,
  keep: Uint8Array,
  fraction: number,
  maxEdges: number,
  byTime: Int32Array | null,
  earliestShare: number,
  rng: Rng,
  sparse: Uint8Array,
): void {
  const mine: number[] = [];
  for (let u = 0; u < g.numUsers; u++) {
    if (rng.float() >= fraction) continue;
    mine.length = 0;
    const earliest = earliestShare >= 1 || (earliestShare > 0 && rng.float() < earliestShare);
    for (let i = g.userPtr[u]; i < g.userPtr[u + 1]; i++) {
      const e = earliest && byTime ? byTime[i] : i;
      if (keep[e]) mine.push(e);
    }
    const n = 1 + rng.int(maxEdges);
    sparse[u] = 1;
    if (mine.length <= n) continue;
    if (!earliest) rng.shuffle(mine);
    for (let i = n; i < mine.length; i++) keep[mine[i]] = 0;
  }
}

/** `trainModel` on a built graph, with the visitor's "no demographics" row taken from its feature spec. */
export function trainOnBuiltGraph(built: BuiltGraph, options: Partial<TrainOptions> = {}): TrainResult {
  return trainModel(built.graph, { unknownUserRow: userFeatureRow(built.spec, null), ...options });
}
