/**
 * The `--export-predictions` file: one `userId,movieId,predicted` line per hidden test rating of a split
 * (u1: every `u1.test` pair), after a header line, so anyone can recompute the RMSE against the test file.
 */
import type { Split } from './protocols.ts';

export const PREDICTIONS_HEADER = 'userId,movieId,predicted';

/** The CSV text for `predicted`, parallel to the split's test users' hidden ratings (`hiddenRatingsOf`). */
export function formatPredictions(split: Split, predicted: Float32Array): string {
  const lines = [PREDICTIONS_HEADER];
  let i = 0;
  for (const user of split.testUsers) {
    for (const m of user.hiddenMovies) {
      if (i >= predicted.length) throw new RangeError(`${predicted.length} predictions for more hidden ratings`);
      lines.push(`${user.userId},${split.graph.movieIds[m]},${predicted[i++].toFixed(4)}`);
    }
  }
  if (i !== predicted.length) throw new RangeError(`${predicted.length} predictions for ${i} hidden ratings`);
  return `${lines.join('\n')}\n`;
}
