/**
 * Hyper-parameter tuning for the baselines, honestly: every candidate is fitted on
 * the split's validation split (`validationSplit`, carved from the training part with the split's seed)
 * and scored there by the harness; the test users are never looked at.
 */
import { evaluate, type ScoredRun } from './harness.ts';
import { type Split, validationSplit } from './protocols.ts';
import type { FitContext, Recommender } from './recommender.ts';

export interface TuneSpec<T> {
  /** Method name for the log. */
  name: string;
  grid: T[];
  /** Fits the candidate on the validation split's training graph. */
  fit(val: Split, value: T): Recommender;
  /** What to maximise, e.g. Recall@20 or −RMSE. */
  objective(score: ScoredRun): number;
  /** How a validation score is logged. */
  describe(score: ScoredRun): string;
}

/** The grid value with the best validation objective (ties: the earlier one). */
export async function tuneOnValidation<T>(ctx: FitContext, spec: TuneSpec<T>): Promise<T> {
  const val = validationSplit(ctx.split);
  let best = spec.grid[0];
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const value of spec.grid) {
    const score = await evaluate(val, { name: spec.name, fit: (c) => spec.fit(c.split, value) }, ctx.seed);
    ctx.log(`${spec.name} ${val.name}: ${JSON.stringify(value)} ${spec.describe(score)}`);
    const objective = spec.objective(score);
    if (objective > bestScore) [best, bestScore] = [value, objective];
  }
  return best;
}

/** Validation Recall@20 (higher is better), logged with NDCG@20. */
export const byRecall = {
  objective: (s: ScoredRun) => s.recall20,
  describe: (s: ScoredRun) => `Recall@20 ${s.recall20.toFixed(4)} NDCG@20 ${s.ndcg20.toFixed(4)}`,
};

/** Validation RMSE (lower is better). */
export const byRmse = {
  objective: (s: ScoredRun) => -(s.rmse ?? Number.POSITIVE_INFINITY),
  describe: (s: ScoredRun) => `RMSE ${s.rmse?.toFixed(4)} MAE ${s.mae?.toFixed(4)}`,
};
