/**
 * Global setup of the browser layer: the engine tests run on the real artifacts (ML-100K snapshot and the
 * trained model), built once if missing. Vite serves them from public/artifacts/.
 */
import { ensureDefaultArtifacts } from '../../pipeline/artifacts/build-default.ts';

export default async function setup() {
  await ensureDefaultArtifacts();
}
