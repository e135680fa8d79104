/**
 * Global setup of the e2e layer: builds the artifacts if missing, then the production site (unless CINESAGE_E2E_SKIP_BUILD=1 and a build
 * exists), serves it on 127.0.0.1 and hands the URL to the tests.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { ensureDefaultArtifacts } from '../../pipeline/artifacts/build-default.ts';
import { startStaticServer } from '../../scripts/static-server.ts';

/** The strictest policy the site must work under: no eval, wasm compilation allowed (workers get it too). */
export const SITE_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'";

declare module 'vitest' {
  export interface ProvidedContext {
    siteUrl: string;
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
  const site = await startStaticServer({ root: 'dist', headers: { 'content-security-policy': SITE_CSP } });
  project.provide('siteUrl', site.url);
  return () => site.close();
}
