/**
 * MostPop: every user, in the graph or a visitor, gets the movies ranked by how many training ratings they
 * have (rated movies masked by the harness).
 */
import type { Method, Recommender } from '../recommender.ts';

export function mostPop(): Method {
  return {
    name: 'MostPop',
    deterministic: true,
    fit({ split }): Recommender {
      const { graph } = split;
      const pop = new Float32Array(graph.numMovies);
      for (let m = 0; m < graph.numMovies; m++) pop[m] = graph.moviePtr[m + 1] - graph.moviePtr[m];
      return {
        scoreUser: (_u, out) => out.set(pop),
        scoreNewUser: (_m, _r, out) => out.set(pop),
      };
    },
  };
}
