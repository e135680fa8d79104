/**
 * Bench only: what the reference server does on every rating, run inside the inference worker on the
 * running engine without changing anything. It adds the rating to the visitor's graph, materialises the
 * whole graph (the rebuild), runs a full forward pass on the engine's ORT session, scores the visitor's
 * top-20 against it (with the ranking's neighbourhood term of their ratings, as the product ranks), and puts
 * the rating back. The visitor's state, storage and counters are left as they
 * were. Exposed only by the bench build's worker (bench/reference.worker.ts), never by the product.
 */
import { scoreCandidates } from '../src/core/recommend/candidates.ts';
import { setBit } from '../src/core/recommend/rank.ts';
import { neighbourTerm } from '../src/core/recommend/recommend.ts';
import type { Engine } from '../workers/engine/startup.ts';

/** Timings of one reference-style rating, ms, and the top-20 it produced. */
export interface ReferenceRatingTimings {
  rebuildMs: number;
  /** Building the model's feeds (index tensors) from the rebuilt graph. */
  feedsMs: number;
  /** session.run + output download. */
  forwardMs: number;
  scoreMs: number;
  totalMs: number;
  backend: string;
  /** Movie ids of the top-20, best first. */
  top: number[];
}

/** The bench build's worker API: the product's service plus this call. */
export interface BenchService {
  benchReferenceRating(movieId: number, stars: number): Promise<ReferenceRatingTimings>;
}

export async function referenceRating(e: Engine, movieId: number, stars: number): Promise<ReferenceRatingTimings> {
  const m = e.catalog.movieIndex(movieId);
  const { graph, node } = e.session.liveGraph((await e.fullGraph()).graph);
  const model = await e.modelReady;
  const { dim, scale } = model.ranker;
  const before = graph.getRating(node, m);
  graph.setRating(node, m, stars, Math.floor(Date.now() / 1000));
  try {
    const t0 = performance.now();
    const g = graph.toRatingGraph();
    const t1 = performance.now();
    const pass = await model.runner.run(g);
    const t2 = performance.now();
    const exclude = e.session.exclusion(true, true);
    setBit(exclude, m);
    const z = pass.userEmb.subarray(node * dim, (node + 1) * dim);
    // The visitor's ratings with this one applied, in the session's order (a change keeps its place).
    const rated = e.session.rated().map((r) => (r.movie === m ? { movie: m, stars } : r));
    if (!before) rated.push({ movie: m, stars });
    const boost = neighbourTerm(model.ranker, rated);
    const { index } = scoreCandidates(z, pass.movieEmb, dim, g.numMovies, exclude, 20, scale, boost);
    const t3 = performance.now();
    return {
      rebuildMs: t1 - t0,
      feedsMs: t2 - t1 - pass.ms,
      forwardMs: pass.ms,
      scoreMs: t3 - t2,
      totalMs: t3 - t0,
      backend: pass.backend,
      top: [...index].map((i) => g.movieIds[i]),
    };
  } finally {
    if (before) graph.setRating(node, m, before.rating, before.time);
    else graph.removeRating(node, m);
  }
}
