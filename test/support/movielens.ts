/**
 * The real ML-100K for tests that need it. Never a silent skip: without the data the test fails with what
 * to do (the unit layer's global setup downloads it when it is nowhere to be found).
 */
import { findMovieLensDir } from '../../pipeline/data/movielens.ts';

export function movieLensDir(): string {
  const dir = findMovieLensDir();
  if (dir === null) {
    throw new Error(
      'ML-100K is needed by this test and was not found in $MOVIELENS_DIR, ./data/ml-100k or ../shared/datasets/ml-100k: run `npm run data -- build` to download it.',
    );
  }
  return dir;
}
