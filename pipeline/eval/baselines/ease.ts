/**
 * EASE (Steck 2019): a closed-form item × item linear model on the binary training matrix X,
 *   P = (XᵀX + λI)⁻¹,  B = I − P·diag(1/diag(P))   (so B[i][j] = −P[i][j]/P[j][j], B[j][j] = 0),
 * and a user (or visitor) with binary row x scores x·B. λ is tuned on a validation split carved from the
 * training part (`validationSplit`), never on the test users.
 */
import type { RatingGraph } from '../../../src/core/graph.ts';
import { invertSpdInPlace } from '../linalg.ts';
import type { Method, Recommender } from '../recommender.ts';
import { byRecall, tuneOnValidation } from '../tune.ts';
import { gramMatrix, rowSumRecommender } from './item-matrix.ts';

/** λ values tried on the validation split (log-spaced; the best on ML-100K lies well inside). */
export const EASE_LAMBDA_GRID = [25, 50, 100, 200, 400, 800, 1600];

/** B from a Gram matrix (consumed: inverted in place). */
export function easeFromGram(gram: Float64Array, n: number, lambda: number): Float32Array {
  for (let i = 0; i < n; i++) gram[i * n + i] += lambda;
  const p = invertSpdInPlace(gram, n);
  const b = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) b[i * n + j] = i === j ? 0 : -p[i * n + j] / p[j * n + j];
  }
  return b;
}

/** The EASE weight matrix B of a training graph, numMovies² row-major. */
export function easeMatrix(graph: RatingGraph, lambda: number): Float32Array {
  return easeFromGram(gramMatrix(graph), graph.numMovies, lambda);
}

export interface EaseOptions {
  /** A fixed λ (skips tuning). */
  lambda?: number;
  /** λ values to tune over. */
  grid?: number[];
}

export function ease(opts: EaseOptions = {}): Method {
  return {
    name: 'EASE',
    deterministic: true,
    async fit(ctx): Promise<Recommender> {
      const { split } = ctx;
      let lambda = opts.lambda;
      let tuneMs = 0;
      if (lambda === undefined) {
        const t0 = performance.now();
        lambda = await tuneOnValidation(ctx, {
          name: 'EASE',
          grid: opts.grid ?? EASE_LAMBDA_GRID,
          fit: (val, l) => rowSumRecommender(val.graph, easeMatrix(val.graph, l)),
          ...byRecall,
        });
        tuneMs = performance.now() - t0;
      }
      const t0 = performance.now();
      const matrix = easeMatrix(split.graph, lambda);
      const fitMs = performance.now() - t0;
      ctx.log(`EASE ${split.name}: λ=${lambda}, B in ${(fitMs / 1000).toFixed(1)} s`);
      return {
        ...rowSumRecommender(split.graph, matrix),
        info: { lambda, inverseSeconds: round1(fitMs / 1000), tuneSeconds: round1(tuneMs / 1000) },
      };
    },
  };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
