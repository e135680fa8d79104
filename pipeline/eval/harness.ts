/**
 * Runs one method on one split the same way for every method (DESIGN §4): fit on the training part, then
 * for each evaluated user score every movie, mask the excluded ones, take the top 20 (the browser's
 * `topN`) and average
 * Recall@20, NDCG@20 and HR@10 over the users. Transductive users are scored as graph nodes, inductive
 * ones as new users from their revealed ratings.
 */
import { hitRateAtK, ndcgAtK, recallAtK } from '../../src/core/metrics.ts';
import { createBitset, setBit, topN } from '../../src/core/recommend/rank.ts';
import type { Split } from './protocols.ts';
import type { Method, Recommender } from './recommender.ts';

export interface MethodScore {
  recall20: number;
  ndcg20: number;
  hr10: number;
  /** Users evaluated. */
  users: number;
  fitSeconds: number;
  scoreSeconds: number;
  /** Hyper-parameters the method chose while fitting. */
  info: Record<string, number | string>;
}

/** Fits `method` on `split` and scores it; also returns the fitted recommender. */
export async function evaluate(
  split: Split,
  method: Method,
  seed: number,
  log: (line: string) => void = () => {},
): Promise<MethodScore & { recommender: Recommender }> {
  const t0 = performance.now();
  const recommender = await method.fit({ split, seed, log });
  const fitSeconds = (performance.now() - t0) / 1000;
  return { ...scoreFitted(split, recommender, fitSeconds), recommender };
}

/** Scores an already fitted recommender on `split`'s users. */
export function scoreFitted(split: Split, rec: Recommender, fitSeconds = 0): MethodScore {
  const t1 = performance.now();
  const n = split.graph.numMovies;
  const scores = new Float32Array(n);
  const mask = createBitset(n);
  const pos = new Uint8Array(n);
  let recall = 0;
  let ndcg = 0;
  let hr = 0;
  for (const user of split.users) {
    if (split.kind === 'transductive') rec.scoreUser(user.userIndex, scores);
    else rec.scoreNewUser(user.revealedMovies, user.revealedRatings, scores);
    for (const m of user.exclude) setBit(mask, m);
    for (const m of user.positives) pos[m] = 1;
    const top = topN(scores, 20, mask);
    const p = user.positives.length;
    recall += recallAtK(top, pos, p, 20);
    ndcg += ndcgAtK(top, pos, p, 20);
    hr += hitRateAtK(top, pos, 10);
    for (const m of user.exclude) setBit(mask, m, false);
    for (const m of user.positives) pos[m] = 0;
  }
  const count = split.users.length;
  return {
    recall20: count ? recall / count : 0,
    ndcg20: count ? ndcg / count : 0,
    hr10: count ? hr / count : 0,
    users: count,
    fitSeconds,
    scoreSeconds: (performance.now() - t1) / 1000,
    info: rec.info ?? {},
  };
}
