/**
 * Global setup of the browser layer: the engine tests run on the real artifacts (ML-100K snapshot and the
 * trained model), built once if missing, and served from their own loopback server with CORS (Vite's dev
 * server only knows public files that existed when it started). A second server serves the same set with
 * a manifest whose hashes past the catalog are wrong: the start-up with damaged files, deterministically;
 * a pacing proxy serves the first set slowly: the start-up while the serving snapshot still downloads.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startPacingProxy } from '../../bench/pacing-proxy.ts';
import { ensureDefaultArtifacts } from '../../pipeline/artifacts/build-default.ts';
import { ARTIFACTS_DIR } from '../../pipeline/artifacts/paths.ts';
import { startStaticServer } from '../../scripts/static-server.ts';
import { WIDGET_CORS_HEADERS } from '../../scripts/widget-demo.ts';
import type { Manifest } from '../../src/core/manifest.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    artifactsUrl: string;
    /** The same artifacts through a 2 Mbit/s link: the serving snapshot takes seconds after its prefixes. */
    slowArtifactsUrl: string;
    /** The same artifacts, but the manifest's model hashes are wrong (every model download fails to verify). */
    brokenModelArtifactsUrl: string;
  }
}

export default async function setup(project: TestProject) {
  await ensureDefaultArtifacts();
  const server = await startStaticServer({ root: ARTIFACTS_DIR, headers: WIDGET_CORS_HEADERS });
  project.provide('artifactsUrl', server.url);
  const slow = await startPacingProxy(server.url, { name: '2 Mbit/s', bitsPerSecond: 2e6, latencyMs: 20 });
  project.provide('slowArtifactsUrl', slow.url);
  const broken = await mkdtemp(join(tmpdir(), 'cinesage-broken-model-'));
  await cp(ARTIFACTS_DIR, broken, { recursive: true });
  const manifest = JSON.parse(await readFile(join(broken, 'manifest.json'), 'utf8')) as Manifest;
  // Everything past the serving snapshot's catalog is damaged: the model files, and the serving snapshot's
  // personal prefix and whole-file hashes (its catalog prefix still verifies).
  for (const a of manifest.artifacts) {
    if (a.kind === 'model') a.sha256 = '0'.repeat(64);
    if (a.kind === 'serving') {
      a.sha256 = '0'.repeat(64);
      a.metadata.personalSha256 = '0'.repeat(64);
    }
  }
  await writeFile(join(broken, 'manifest.json'), JSON.stringify(manifest));
  const brokenServer = await startStaticServer({ root: broken, headers: WIDGET_CORS_HEADERS });
  project.provide('brokenModelArtifactsUrl', brokenServer.url);
  return async () => {
    await slow.close();
    await server.close();
    await brokenServer.close();
    await rm(broken, { recursive: true, force: true });
  };
}
