/**
 * Runs one method on one split the same way for every method (README § Quality): fit on the training part, then
 * for each ranked user score every movie, mask the excluded ones, take the top 20 (the browser's `topN`)
 * and average Recall@20, NDCG@20 and HR@10 over the users, and Dislike@20 over those with a hidden
 * dislike; a method that predicts stars is also scored by RMSE and MAE over every test user's hidden
 * ratings. Transductive users are scored as graph nodes, inductive ones as new users from their revealed
 * ratings.
 */
import { dislikeAtK, hitRateAtK, ndcgAtK, ratingErrors, recallAtK } from '../../src/core/metrics.ts';
import { createBitset, setBit, topN } from '../../src/core/recommend/rank.ts';
import type { EvalUser, Split } from './protocols.ts';
import type { Method, Recommender } from './recommender.ts';

export interface MethodScore {
  recall20: number;
  ndcg20: number;
  hr10: number;
  /** Mean Dislike@20 over the `dislikeUsers` ranked users with a hidden dislike (null: none). */
  dislike20: number | null;
  dislikeUsers: number;
  /** Star prediction over `ratings` hidden ratings; null when the method does not predict stars. */
  rmse: number | null;
  mae: number | null;
  ratings: number;
  /** Users evaluated (ranked). */
  users: number;
  fitSeconds: number;
  scoreSeconds: number;
  /** Hyper-parameters the method chose while fitting. */
  info: Record<string, number | string>;
}

/** A score with the predicted stars (parallel to `hiddenRatingsOf(split)`; null: no prediction). */
export type ScoredRun = MethodScore & { predictions: Float32Array | null };

/** Fits `method` on `split` and scores it; also returns the fitted recommender and its predictions. */
export async function evaluate(
  split: Split,
  method: Method,
  seed: number,
  log: (line: string) => void = () => {},
): Promise<ScoredRun & { recommender: Recommender }> {
  const t0 = performance.now();
  const recommender = await method.fit({ split, seed, log });
  const fitSeconds = (performance.now() - t0) / 1000;
  return { ...scoreRun(split, recommender, fitSeconds), recommender };
}

/** Scores an already fitted recommender on `split`'s users. */
export function scoreFitted(split: Split, rec: Recommender, fitSeconds = 0): MethodScore {
  const { predictions: _, ...score } = scoreRun(split, rec, fitSeconds);
  return score;
}

function scoreRun(split: Split, rec: Recommender, fitSeconds: number): ScoredRun {
  const t1 = performance.now();
  const ranking = rankingMetrics(split, rec);
  const predictions = predictStars(split, rec);
  const errors = predictions ? ratingErrors(predictions, hiddenRatingsOf(split)) : null;
  return {
    ...ranking,
    rmse: errors?.rmse ?? null,
    mae: errors?.mae ?? null,
    ratings: predictions?.length ?? 0,
    fitSeconds,
    scoreSeconds: (performance.now() - t1) / 1000,
    info: rec.info ?? {},
    predictions,
  };
}

/** Scores every movie for one user: as a graph node (transductive) or from their revealed ratings. */
function userScorer(split: Split, rec: Recommender): (user: EvalUser, out: Float32Array) => void {
  return split.kind === 'transductive'
    ? (user, out) => rec.scoreUser(user.userIndex, out)
    : (user, out) => rec.scoreNewUser(user.revealedMovies, user.revealedRatings, out);
}

function rankingMetrics(
  split: Split,
  rec: Recommender,
): Pick<MethodScore, 'recall20' | 'ndcg20' | 'hr10' | 'dislike20' | 'dislikeUsers' | 'users'> {
  const n = split.graph.numMovies;
  const score = userScorer(split, rec);
  const scores = new Float32Array(n);
  const mask = createBitset(n);
  const pos = new Uint8Array(n);
  const bad = new Uint8Array(n);
  let recall = 0;
  let ndcg = 0;
  let hr = 0;
  let dislike = 0;
  let dislikeUsers = 0;
  for (const user of split.users) {
    score(user, scores);
    for (const m of user.exclude) setBit(mask, m);
    for (const m of user.positives) pos[m] = 1;
    for (const m of user.dislikes) bad[m] = 1;
    const top = topN(scores, 20, mask);
    const p = user.positives.length;
    recall += recallAtK(top, pos, p, 20);
    ndcg += ndcgAtK(top, pos, p, 20);
    hr += hitRateAtK(top, pos, 10);
    if (user.dislikes.length > 0) {
      dislike += dislikeAtK(top, bad, user.dislikes.length, 20);
      dislikeUsers++;
    }
    for (const m of user.exclude) setBit(mask, m, false);
    for (const m of user.positives) pos[m] = 0;
    for (const m of user.dislikes) bad[m] = 0;
  }
  const count = split.users.length;
  return {
    recall20: count ? recall / count : 0,
    ndcg20: count ? ndcg / count : 0,
    hr10: count ? hr / count : 0,
    dislike20: dislikeUsers ? dislike / dislikeUsers : null,
    dislikeUsers,
    users: count,
  };
}

/** Predicts one user's hidden ratings, or null when the method does not predict stars on this kind. */
function starPredictor(split: Split, rec: Recommender): ((user: EvalUser, out: Float32Array) => void) | null {
  if (split.kind === 'transductive') {
    const predict = rec.predictUser?.bind(rec);
    return predict ? (user, out) => predict(user.userIndex, user.hiddenMovies, out) : null;
  }
  const predict = rec.predictNewUser?.bind(rec);
  return predict ? (user, out) => predict(user.revealedMovies, user.revealedRatings, user.hiddenMovies, out) : null;
}

/** Every test user's hidden ratings, user after user (the order of `predictStars`). */
export function hiddenRatingsOf(split: Split): Float32Array {
  return concat(split.testUsers.map((u) => u.hiddenRatings));
}

/** The method's predicted stars for `hiddenRatingsOf(split)`, or null when it does not predict stars. */
export function predictStars(split: Split, rec: Recommender): Float32Array | null {
  const predict = starPredictor(split, rec);
  if (!predict) return null;
  return concat(
    split.testUsers.map((user) => {
      const out = new Float32Array(user.hiddenMovies.length);
      predict(user, out);
      return out;
    }),
  );
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
