/**
 * Start-up: storage → backend and model variant → verified artifacts → embeddings from IndexedDB (no forward
 * pass) or one full forward pass (then stored) → catalog, visitor (stored ratings re-applied) and ranking →
 * ready. Produces the `Engine`: every part the running service works with.
 */
import type { InitOptions, LoadProgress } from '../../src/core/api.ts';
import { Catalog } from '../../src/core/catalog.ts';
import { CineSageError } from '../../src/core/errors.ts';
import { embeddingDim } from '../../src/core/model/params.ts';
import { type Projection2D, pca2d } from '../../src/core/projection.ts';
import { createRanker, type Ranker } from '../../src/core/recommend/recommend.ts';
import { type ArtifactSet, loadArtifactSet } from '../artifacts/artifact-set.ts';
import { ForwardRunner } from '../runtime/forward-runner.ts';
import { type BackendChoice, chooseVariant, probeWebGPU, selectBackend } from '../runtime/ort-session.ts';
import { openProfileStore, type ProfileStore } from '../storage/profile-store.ts';
import { DatasetUsers } from './dataset-users.ts';
import type { StatusBoard } from './status.ts';
import { VisitorSession } from './visitor-session.ts';

export interface Engine {
  set: ArtifactSet;
  store: ProfileStore;
  runner: ForwardRunner;
  catalog: Catalog;
  ranker: Ranker;
  /** Movie embeddings of the snapshot graph (exact for every movie the visitor has not rated). */
  movieEmb: Float32Array;
  session: VisitorSession;
  users: DatasetUsers;
  /** The taste map's projection, computed on first use (not on the start-up path). */
  projection(): Projection2D;
  /** Stores the visitor's rated bitset after a change (in the background; the ratings are already stored). */
  saveVisitorBits(): void;
}

export async function startEngine(
  options: InitOptions,
  onProgress: (e: LoadProgress) => void,
  board: StatusBoard,
): Promise<Engine> {
  const t0 = performance.now();
  const status = board.status;
  status.state = 'loading';
  status.reason = 'Starting';
  const store = await openProfileStore(options.storeName ?? 'cinesage');
  status.storage = { ...store.status, usageBytes: null };

  onProgress({ phase: 'setup', message: 'Looking for a graphics processor (WebGPU)…' });
  const choice = await chooseBackend(options);
  const set = await loadArtifactSet({
    baseUrl: options.artifactsUrl,
    variant: variantFor(options, choice),
    onProgress,
    cache:
      options.useCacheApi && typeof caches !== 'undefined'
        ? await caches.open('cinesage-artifacts').catch(() => null)
        : null,
  });
  const g = set.snapshot.graph;
  const runner = new ForwardRunner(choice, set.modelBytes, set.params);
  const dim = embeddingDim(set.params.config);

  onProgress({ phase: 'setup', message: 'Loading movie embeddings…' });
  let movieEmb = await store.getEmbeddings(set.key, 'movie', g.numMovies, dim);
  let userEmb = movieEmb ? await store.getEmbeddings(set.key, 'user', g.numUsers, dim) : null;
  if (movieEmb && userEmb) {
    status.embeddingSource = 'indexeddb';
  } else {
    onProgress({
      phase: 'setup',
      message: `Computing embeddings (one full pass on ${choice.backend === 'webgpu' ? 'WebGPU' : 'WebAssembly'})…`,
    });
    const pass = await runner.run(g);
    board.fullPass(pass.ms);
    movieEmb = pass.movieEmb;
    userEmb = pass.userEmb;
    status.embeddingSource = 'computed';
    await store.putEmbeddings(set.key, 'movie', movieEmb, dim);
    await store.putEmbeddings(set.key, 'user', userEmb, dim);
    await store.evictOtherVersions(set.key);
  }

  onProgress({ phase: 'setup', message: 'Preparing your profile…' });
  const catalog = new Catalog(set.snapshot);
  const session = new VisitorSession(catalog, set.params, movieEmb);
  session.replace(await store.getRatings());
  const baseMovieEmb = movieEmb;
  let projection: Projection2D | null = null;
  const engine: Engine = {
    set,
    store,
    runner,
    catalog,
    ranker: createRanker(set.params, movieEmb, g.numMovies, dim),
    movieEmb,
    session,
    users: new DatasetUsers({
      base: { userEmb: userEmb as Float32Array, movieEmb },
      catalog,
      session,
      runner,
      store,
      artifactKey: set.key,
      status: board,
    }),
    projection() {
      projection ??= pca2d(baseMovieEmb, g.numMovies, dim);
      return projection;
    },
    saveVisitorBits() {
      void store.putBitset(set.key, 'visitor', session.ratedBits());
    },
  };
  engine.saveVisitorBits();
  const previousKey = await store.getFact<string>('artifactKey');
  status.artifactsChanged = previousKey !== undefined && previousKey !== set.key;
  await store.putFact('artifactKey', set.key);

  status.modelVariant = set.variant;
  status.dataset = set.snapshot.dataset.name;
  status.artifacts = [set.snapshotInfo, set.modelInfo].map(({ name, size, sha256 }) => ({ name, size, sha256 }));
  status.counts = { users: g.numUsers, movies: g.numMovies, ratings: g.numEdges };
  status.timings.initMs = performance.now() - t0;
  onProgress({ phase: 'setup', message: 'Ready.' });
  return engine;
}

/** WebGPU when allowed and the browser has an adapter, else WebAssembly; refuses a forced WebGPU without one. */
async function chooseBackend(options: InitOptions): Promise<BackendChoice> {
  const adapter = options.backend === 'wasm' ? null : await probeWebGPU();
  if (options.backend === 'webgpu' && !adapter) {
    throw new CineSageError(
      'WebGPU was requested, but this browser has no WebGPU adapter. Remove ?backend=webgpu to use WebAssembly.',
    );
  }
  return selectBackend({ preferWebGPU: options.backend !== 'wasm', adapterInfo: adapter });
}

/** int8 weights (a quarter of the bytes, same ranking within noise) when asked for or the visitor saves data. */
function variantFor(options: InitOptions, choice: BackendChoice) {
  const saveData = (navigator as Navigator & { connection?: { saveData?: boolean } }).connection?.saveData === true;
  return chooseVariant({
    hasShaderF16: choice.hasShaderF16,
    backend: choice.backend,
    preferSmall: options.modelVariant === 'int8' || (options.modelVariant === undefined && saveData),
  });
}
