/**
 * Negative sampling for the ranking loss: movies drawn with probability ∝ (degree + 1)^α (α = 0 is
 * uniform, α ≈ 0.5–1 oversamples popular movies, the hard negatives), through Walker's alias table, and
 * re-drawn when the user has rated the movie.
 */
import type { MessageGraph } from '../../src/core/model/forward.ts';
import type { Rng } from './rng.ts';
import { hasEdge } from './subgraph.ts';

export class NegativeSampler {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;
  private readonly graph: Pick<MessageGraph, 'userPtr' | 'edgeMovie' | 'numMovies'>;

  /** `rated` is the graph whose edges count as "the user has rated it" (and whose degrees weigh movies). */
  constructor(rated: Pick<MessageGraph, 'userPtr' | 'edgeMovie' | 'numMovies' | 'moviePtr'>, alpha: number) {
    const n = rated.numMovies;
    this.graph = rated;
    const w = new Float64Array(n);
    let total = 0;
    for (let m = 0; m < n; m++) {
      w[m] = (rated.moviePtr[m + 1] - rated.moviePtr[m] + 1) ** alpha;
      total += w[m];
    }
    // Walker / Vose alias table.
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = w.map((x) => (x * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    for (let m = 0; m < n; m++) (scaled[m] < 1 ? small : large).push(m);
    while (small.length && large.length) {
      const s = small.pop() as number;
      const l = large.pop() as number;
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    for (const m of [...small, ...large]) {
      this.prob[m] = 1;
      this.alias[m] = m;
    }
  }

  /** One movie from the popularity distribution. */
  draw(rng: Rng): number {
    const m = rng.int(this.prob.length);
    return rng.float() < this.prob[m] ? m : this.alias[m];
  }

  /** A movie user u has not rated (gives up after 50 tries and returns the last draw). */
  negativeFor(u: number, rng: Rng): number {
    let m = this.draw(rng);
    for (let t = 0; t < 50 && hasEdge(this.graph, u, m); t++) m = this.draw(rng);
    return m;
  }
}
