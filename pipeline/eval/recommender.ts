/**
 * The one interface every evaluated method implements, baselines and the GraphSAGE model alike, so the
 * harness ranks them all the same way (DESIGN §4).
 *
 * A method is fitted on a split's training part only (its graph and training ratings; tuning may carve a
 * validation split out of that part, never look at the test users). The fitted recommender scores every
 * movie index of the training graph, either for a user that is a node of the graph (transductive) or for a
 * new user known only by a few ratings (inductive: the browser's visitor, appended as a new node).
 */
import type { Split } from './protocols.ts';

export interface Recommender {
  /** Writes a score for every movie index into `out` for the training-graph user index `u`. */
  scoreUser(u: number, out: Float32Array): void;
  /**
   * Writes a score for every movie index into `out` for a new user whose only ratings are these (movie
   * indices and stars, in the order given: earliest first).
   */
  scoreNewUser(movies: Int32Array, ratings: Float32Array, out: Float32Array): void;
  /** Hyper-parameters chosen while fitting (e.g. the tuned λ), reported with the results. */
  info?: Record<string, number | string>;
}

export interface FitContext {
  split: Split;
  /** Seed for anything random in fitting (validation carving, initialisation). */
  seed: number;
  /** Progress lines (tuning results); the harness prints them. */
  log: (line: string) => void;
}

export interface Method {
  /** Row label in the results table. */
  name: string;
  fit(ctx: FitContext): Recommender | Promise<Recommender>;
}
