/**
 * Start-up in two phases, so the visitor sees a list as soon as the catalog is known.
 * 1. Catalog: storage → manifest → backend policy and model variant (decided before any download) →
 *    verified snapshot → catalog and the visitor's stored ratings. `startEngine` resolves here: the popular
 *    list, search and rating all work.
 * 2. Personalisation, in the background: the model's weights, then the movie embeddings from IndexedDB,
 *    else shipped with the site (verified against the snapshot and model), else one full forward pass on
 *    the chosen runtime (stored afterwards) → the visitor's exact embedding and the ranker. `modelReady`
 *    resolves here. The onnxruntime build is downloaded only if a pass is ever needed.
 */
import type { InitOptions, LoadProgress } from '../../src/core/api.ts';
import { Catalog } from '../../src/core/catalog.ts';
import { CineSageError } from '../../src/core/errors.ts';
import { embeddingDim, type ModelParams } from '../../src/core/model/params.ts';
import { type Projection2D, pca2d } from '../../src/core/projection.ts';
import { createRanker, type Ranker } from '../../src/core/recommend/recommend.ts';
import type { Snapshot } from '../../src/core/snapshot/format.ts';
import {
  fetchManifest,
  type LoadOptions,
  loadModel,
  loadShippedEmbeddings,
  loadSnapshot,
  type ManifestFile,
  pickModel,
} from '../artifacts/artifact-set.ts';
import { chooseBackend } from '../runtime/backend-policy.ts';
import { type BackendPlan, ForwardRunner } from '../runtime/forward-runner.ts';
import { chooseVariant, probeWebGPU } from '../runtime/ort-session.ts';
import { openProfileStore, type ProfileStore } from '../storage/profile-store.ts';
import { DatasetUsers } from './dataset-users.ts';
import type { StatusBoard } from './status.ts';
import { VisitorSession } from './visitor-session.ts';

/** What personal recommendations need: the model, the movie embeddings and what is built on them. */
export interface ModelEngine {
  params: ModelParams;
  modelInfo: ManifestFile;
  runner: ForwardRunner;
  ranker: Ranker;
  /** Movie embeddings of the snapshot graph (exact for every movie the visitor has not rated). */
  movieEmb: Float32Array;
  users: DatasetUsers;
  /** The taste map's projection, computed on first use (not on the start-up path). */
  projection(): Projection2D;
}

export interface Engine {
  store: ProfileStore;
  catalog: Catalog;
  /** The visitor's ratings (from the start) and embedding (once the model is attached). */
  session: VisitorSession;
  snapshotInfo: ManifestFile;
  /** Identifies this snapshot + model pair in storage. */
  key: string;
  /** The model part; null until personalisation is ready. */
  model: ModelEngine | null;
  /** Resolves with `model`, or rejects with the reason personal recommendations cannot start. */
  modelReady: Promise<ModelEngine>;
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
  const [store, cache] = await Promise.all([
    openProfileStore(options.storeName ?? 'cinesage'),
    options.useCacheApi && typeof caches !== 'undefined'
      ? caches.open('cinesage-artifacts').catch(() => null)
      : Promise.resolve(null),
  ]);
  status.storage = { ...store.status, usageBytes: null };
  const load: LoadOptions = { baseUrl: options.artifactsUrl, onProgress, cache };

  onProgress({ phase: 'setup', message: 'Reading the artifact manifest…' });
  const files = await fetchManifest(options.artifactsUrl, cache);
  const snapshotInfo = files.find((f) => f.kind === 'snapshot');
  if (!snapshotInfo) throw new CineSageError('The artifact manifest lists no snapshot; rebuild the artifacts.');
  const plan = await planBackend(options, snapshotInfo.edges ?? 0);
  const modelInfo = pickModel(files, variantFor(options, plan));
  const key = `${snapshotInfo.sha256}:${modelInfo.sha256}`;

  const snapshot = await loadSnapshot(snapshotInfo, load);
  const catalog = new Catalog(snapshot);
  const session = new VisitorSession(catalog);
  session.replace(await store.getRatings());
  status.dataset = snapshot.dataset.name;
  status.counts = {
    users: snapshot.graph.numUsers,
    movies: snapshot.graph.numMovies,
    ratings: snapshot.graph.numEdges,
  };
  status.backend = plan.backend;
  status.backendReason = plan.reason;
  status.timings.catalogMs = performance.now() - t0;

  const engine: Engine = {
    store,
    catalog,
    session,
    snapshotInfo,
    key,
    model: null,
    modelReady: Promise.resolve(null as unknown as ModelEngine),
    saveVisitorBits() {
      void store.putBitset(key, 'visitor', session.ratedBits());
    },
  };
  engine.saveVisitorBits();
  engine.modelReady = personalise(engine, {
    snapshot: { info: snapshotInfo, value: snapshot },
    modelInfo,
    shipped: options.backend === 'wasm' || options.backend === 'webgpu' ? undefined : shippedFor(files, modelInfo),
    plan,
    load,
    board,
  }).then((model) => {
    engine.model = model;
    status.timings.initMs = performance.now() - t0;
    onProgress({ phase: 'setup', message: 'Ready.' });
    return model;
  });
  // Never an unhandled rejection: the service reports it (status 'error', `whenPersonalised`).
  engine.modelReady.catch(() => undefined);
  const previousKey = await store.getFact<string>('artifactKey');
  status.artifactsChanged = previousKey !== undefined && previousKey !== key;
  await store.putFact('artifactKey', key);
  status.artifacts = [snapshotInfo, modelInfo].map(({ name, size, sha256 }) => ({ name, size, sha256 }));
  status.modelVariant = modelInfo.variant ?? 'fp32';
  return engine;
}

/** Phase 2: the model, the movie embeddings (stored, shipped or computed) and everything built on them. */
async function personalise(
  engine: Engine,
  parts: {
    snapshot: { info: ManifestFile; value: Snapshot };
    modelInfo: ManifestFile;
    shipped: ManifestFile | undefined;
    plan: BackendPlan;
    load: LoadOptions;
    board: StatusBoard;
  },
): Promise<ModelEngine> {
  const { snapshot, modelInfo, shipped, plan, load, board } = parts;
  const { store, key } = engine;
  const g = snapshot.value.graph;
  const { params, modelBytes } = await loadModel(modelInfo, snapshot, load);
  const runner = new ForwardRunner(plan, modelBytes, params);
  const dim = embeddingDim(params.config);

  load.onProgress({ phase: 'setup', message: 'Loading movie embeddings…' });
  let movieEmb = await store.getEmbeddings(key, 'movie', g.numMovies, dim);
  let userEmb = movieEmb ? await store.getEmbeddings(key, 'user', g.numUsers, dim) : null;
  if (movieEmb) {
    board.status.embeddingSource = 'indexeddb';
  } else {
    if (shipped) {
      movieEmb = await loadShippedEmbeddings(
        shipped,
        { snapshot: snapshot.info, model: modelInfo, numMovies: g.numMovies, dim },
        load,
      );
      board.status.embeddingSource = 'shipped';
    } else {
      load.onProgress({
        phase: 'setup',
        message: `Computing embeddings (one full pass on ${runner.backend === 'webgpu' ? 'WebGPU' : 'WebAssembly'})…`,
      });
      const pass = await runner.run(g);
      board.fullPass(pass.ms);
      movieEmb = pass.movieEmb;
      userEmb = pass.userEmb;
      board.status.embeddingSource = 'computed';
    }
    await store.putEmbeddings(key, 'movie', movieEmb, dim);
    if (userEmb) await store.putEmbeddings(key, 'user', userEmb, dim);
    await store.evictOtherVersions(key);
  }

  load.onProgress({ phase: 'setup', message: 'Preparing your recommendations…' });
  engine.session.attach(params, movieEmb);
  const baseMovieEmb = movieEmb;
  let projection: Projection2D | null = null;
  return {
    params,
    modelInfo,
    runner,
    ranker: createRanker(params, movieEmb, g.numMovies, dim),
    movieEmb,
    users: new DatasetUsers({
      base: { userEmb, movieEmb },
      catalog: engine.catalog,
      session: engine.session,
      runner,
      store,
      artifactKey: key,
      status: board,
    }),
    projection() {
      projection ??= pca2d(baseMovieEmb, g.numMovies, dim);
      return projection;
    },
  };
}

/** The shipped embeddings computed with exactly this model file, when the manifest has them. */
function shippedFor(files: ManifestFile[], model: ManifestFile): ManifestFile | undefined {
  return files.find((f) => f.kind === 'embeddings' && f.variant === (model.variant ?? 'fp32'));
}

/** The backend a pass would run on (backend-policy.ts), decided from the manifest before any download. */
async function planBackend(options: InitOptions, edges: number): Promise<BackendPlan & { f16: boolean }> {
  const forced = options.backend === 'wasm' || options.backend === 'webgpu' ? options.backend : null;
  const adapter = forced === 'wasm' ? null : await probeWebGPU();
  if (forced === 'webgpu' && !adapter) {
    throw new CineSageError(
      'WebGPU was requested, but this browser has no WebGPU adapter. Remove ?backend=webgpu to use WebAssembly.',
    );
  }
  const decision = chooseBackend({
    edges,
    adapter: adapter ? { software: adapter.software === true } : null,
    forced,
  });
  const f16 = decision.backend === 'webgpu' && adapter !== null && [...adapter.features].includes('shader-f16');
  return { ...decision, adapter: decision.backend === 'webgpu' ? adapter : null, f16 };
}

/** int8 weights (a quarter of the bytes, same ranking within noise) when asked for or the visitor saves data. */
function variantFor(options: InitOptions, plan: BackendPlan & { f16: boolean }) {
  const saveData = (navigator as Navigator & { connection?: { saveData?: boolean } }).connection?.saveData === true;
  return chooseVariant({
    hasShaderF16: plan.f16,
    backend: plan.backend,
    preferSmall: options.modelVariant === 'int8' || (options.modelVariant === undefined && saveData),
  });
}
