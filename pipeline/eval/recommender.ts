/**
 * The one interface every evaluated method implements, baselines and the GraphSAGE model alike, so the
 * harness (harness.ts) ranks them all the same way.
 *
 * A method is fitted on a split's training part only (its graph and training ratings; tuning may carve a
 * validation split out of that part, never look at the test users). The fitted recommender scores every
 * movie index of the training graph, either for a user that is a node of the graph (transductive) or for a
 * new user known only by a few ratings (inductive: the browser's visitor, appended as a new node).
 * Methods that predict stars also implement `predictUser` / `predictNewUser` (RMSE and MAE).
 */
import type { Split, SplitKind } from './protocols.ts';

export interface Recommender {
  /** Writes a score for every movie index into `out` for the training-graph user index `u`. */
  scoreUser(u: number, out: Float32Array): void;
  /**
   * Writes a score for every movie index into `out` for a new user whose only ratings are these (movie
   * indices and stars, in the order given: earliest first).
   */
  scoreNewUser(movies: Int32Array, ratings: Float32Array, out: Float32Array): void;
  /** Writes the predicted stars of each of `movies` into `out` (same length) for graph user `u`. */
  predictUser?(u: number, movies: Int32Array, out: Float32Array): void;
  /** Predicted stars of each of `movies` for a new user with these revealed ratings. */
  predictNewUser?(
    revealedMovies: Int32Array,
    revealedRatings: Float32Array,
    movies: Int32Array,
    out: Float32Array,
  ): void;
  /** Hyper-parameters chosen while fitting (e.g. the tuned λ), reported with the results. */
  info?: Record<string, number | string>;
}

export interface FitContext {
  split: Split;
  /**
   * Seed for anything random in fitting (initialisation, sampling). Validation splits are carved with the
   * split's own seed (`validationSplit(split)`), so they stay fixed while the training seed varies.
   */
  seed: number;
  /** Progress lines (tuning results); the harness prints them. */
  log: (line: string) => void;
}

export interface Method {
  /** Row label in the results table. */
  name: string;
  fit(ctx: FitContext): Recommender | Promise<Recommender>;
  /** The fit does not depend on `ctx.seed`: one run stands for every training seed. */
  deterministic?: boolean;
  /** The split kinds the method is meaningful on (default: both). */
  kinds?: SplitKind[];
}
