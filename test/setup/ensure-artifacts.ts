/**
 * Global setup of the browser layer: the engine tests run on the real artifacts (ML-100K snapshot and the
 * trained model), built once if missing, and served from their own loopback server with CORS (Vite's dev
 * server only knows public files that existed when it started).
 */
import type { TestProject } from 'vitest/node';
import { ensureDefaultArtifacts } from '../../pipeline/artifacts/build-default.ts';
import { ARTIFACTS_DIR } from '../../pipeline/artifacts/paths.ts';
import { startStaticServer } from '../../scripts/static-server.ts';
import { WIDGET_CORS_HEADERS } from '../../scripts/widget-demo.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    artifactsUrl: string;
  }
}

export default async function setup(project: TestProject) {
  await ensureDefaultArtifacts();
  const server = await startStaticServer({ root: ARTIFACTS_DIR, headers: WIDGET_CORS_HEADERS });
  project.provide('artifactsUrl', server.url);
  return () => server.close();
}
