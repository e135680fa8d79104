/**
 * Global setup of the e2e layer: builds the artifacts if missing, then the production site (unless CINESAGE_E2E_SKIP_BUILD=1 and a build
 * exists), serves it on 127.0.0.1 and hands the URL to the tests.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { ensureDefaultArtifacts } from '../../pipeline/artifacts/build-default.ts';
import { startStaticServer } from '../../scripts/static-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    siteUrl: string;
  }
}

export default async function setup(project: TestProject) {
  await ensureDefaultArtifacts();
  if (!(process.env.CINESAGE_E2E_SKIP_BUILD === '1' && existsSync('dist/index.html'))) {
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  }
  const site = await startStaticServer({ root: 'dist' });
  project.provide('siteUrl', site.url);
  return () => site.close();
}
