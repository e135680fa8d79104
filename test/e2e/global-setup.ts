/**
 * Global setup of the e2e layer: builds the artifacts if missing, then the production site (unless CINESAGE_E2E_SKIP_BUILD=1 and a build
 * exists), serves it on 127.0.0.1 and hands the URL to the tests. A second server serves the same build
 * with the ml-latest-small artifacts in place of ML-100K's (what `npm start -- --dataset ml-latest-small`
 * serves), built once into artifacts/ml-latest-small/.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureDatasetArtifacts, ensureDefaultArtifacts } from '../../pipeline/artifacts/build-default.ts';
import { startStaticServer } from '../../scripts/static-server.ts';

/** The strictest policy the site must work under: no eval, wasm compilation allowed (workers get it too). */
export const SITE_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'";

declare module 'vitest' {
  export interface ProvidedContext {
    siteUrl: string;
    /** The same site serving the ml-latest-small catalog. */
    latestSiteUrl: string;
  }
}

export default async function setup(project: TestProject) {
  await ensureDefaultArtifacts();
  if (!(process.env.CINESAGE_E2E_SKIP_BUILD === '1' && existsSync('dist/index.html'))) {
    // Vitest sets NODE_ENV=test, which would make Vite build in development mode (lit's dev build, no SW).
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
  }
  const headers = { 'content-security-policy': SITE_CSP };
  const site = await startStaticServer({ root: 'dist', headers });
  project.provide('siteUrl', site.url);

  const latest = await ensureDatasetArtifacts({ dataset: 'ml-latest-small' });
  const latestRoot = mkdtempSync(join(tmpdir(), 'cinesage-latest-site-'));
  cpSync('dist', latestRoot, { recursive: true });
  rmSync(join(latestRoot, 'artifacts'), { recursive: true, force: true });
  cpSync(latest.dir, join(latestRoot, 'artifacts'), { recursive: true });
  const latestSite = await startStaticServer({ root: latestRoot, headers });
  project.provide('latestSiteUrl', latestSite.url);
  return async () => {
    await Promise.all([site.close(), latestSite.close()]);
    rmSync(latestRoot, { recursive: true, force: true });
  };
}
