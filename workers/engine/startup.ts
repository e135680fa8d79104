/**
 * Start-up in two phases, so the visitor sees a list as soon as the catalog is known.
 * 1. Catalog: storage → manifest → backend policy and model variant (decided before any download) →
 *    the serving snapshot of that variant when the manifest offers one (catalog, visitor cache and movie
 *    embeddings, no edges), else the full-graph snapshot → catalog and the visitor's stored ratings.
 *    `startEngine` resolves here: the popular list, search and rating all work.
 * 2. Personalisation, in the background. From a serving snapshot: as soon as its second prefix is in, the
 *    visitor model's weights and the scoring codes give a first personal list (`personalReady`; the rows
 *    of the movies the visitor rates come by range request, so their embedding is exact, and only the
 *    scores are approximate); once the whole file is in and verified, the exact cache and embeddings
 *    replace them (`modelReady`). Without one: the model file, then the movie embeddings from IndexedDB
 *    or one full forward pass on the chosen runtime (stored afterwards), then `modelReady`. The model
 *    file, the onnxruntime build and the full graph are downloaded only if a pass is ever needed.
 */
import type { InitOptions, LoadProgress } from '../../src/core/api.ts';
import { Catalog } from '../../src/core/catalog.ts';
import { ArtifactMismatchError, CineSageError } from '../../src/core/errors.ts';
import { baseEmbeddingDim, embeddingDim, type VisitorParams } from '../../src/core/model/params.ts';
import {
  buildVisitorCache,
  emptyVisitorCache,
  setVisitorRows,
  type VisitorCache,
  visitorCacheFromServing,
} from '../../src/core/model/visitor.ts';
import { type Projection2D, pca2d } from '../../src/core/projection.ts';
import { type RaterLists, raterListsOf } from '../../src/core/recommend/neighbours.ts';
import { createRanker, type Ranker } from '../../src/core/recommend/recommend.ts';
import { decodeScalarCodes } from '../../src/core/recommend/scalar-codes.ts';
import type { ServingCatalog, ServingPersonal, ServingSnapshot, Snapshot } from '../../src/core/snapshot/format.ts';
import {
  downloadManifest,
  fetchManifest,
  isStaleArtifact,
  type LoadOptions,
  loadModel,
  loadServing,
  loadSnapshot,
  type ManifestFile,
  pickModel,
} from '../artifacts/artifact-set.ts';
import { servingRowFetcher } from '../artifacts/serving-rows.ts';
import { chooseBackend, preferInt8, WEBGPU_MIN_EDGES } from '../runtime/backend-policy.ts';
import { type BackendPlan, ForwardRunner, type ModelSource } from '../runtime/forward-runner.ts';
import { type AdapterInfo, chooseVariant, probeWebGPU } from '../runtime/ort-session.ts';
import { openProfileStore, type ProfileStore } from '../storage/profile-store.ts';
import { DatasetUsers } from './dataset-users.ts';
import type { StatusBoard } from './status.ts';
import { VisitorSession } from './visitor-session.ts';

/** What personal recommendations need: the model, the movie embeddings and what is built on them. */
export interface ModelEngine {
  params: VisitorParams;
  modelInfo: ManifestFile;
  runner: ForwardRunner;
  ranker: Ranker;
  /**
   * Movie embeddings of the snapshot graph (exact for every movie the visitor has not rated), or while
   * `approximate`, the serving snapshot's scoring codes decoded.
   */
  movieEmb: Float32Array;
  /** True while scores come from the scoring codes (the exact embeddings are still downloading). */
  approximate: boolean;
  /** Makes sure the exact update holds the rows of `movies` (by range request, else once the whole file is in). */
  ensureRows(movies: readonly number[]): Promise<void>;
  users: DatasetUsers;
  /** The taste map's projection, computed on first use (not on the start-up path). */
  projection(): Projection2D;
}

export interface Engine {
  store: ProfileStore;
  catalog: Catalog;
  /** The visitor's ratings (from the start) and embedding (once the model is attached). */
  session: VisitorSession;
  /** Identifies this catalog + model pair in storage. */
  key: string;
  /** The model part; null until personalisation is ready (approximate at first with a serving snapshot). */
  model: ModelEngine | null;
  /** Resolves with the first `model`, approximate or exact (or rejects with the reason it cannot start). */
  personalReady: Promise<ModelEngine>;
  /** Resolves with the exact `model`, or rejects with the reason personal recommendations cannot start. */
  modelReady: Promise<ModelEngine>;
  /** Whether the manifest offers the full-graph snapshot (needed for "browse as" and full passes). */
  hasFullGraph: boolean;
  /** The full-graph snapshot: the one start-up read, else downloaded on first call. */
  fullGraph(): Promise<Snapshot>;
  /** The most active data set users, when the manifest lists them (no download needed). */
  sampleUserIds: number[] | null;
  /** Stores the visitor's rated bitset after a change (in the background; the ratings are already stored). */
  saveVisitorBits(): void;
}

/** Where the catalog came from: the serving snapshot, or the full graph. */
type Opened =
  | {
      kind: 'serving';
      info: ManifestFile;
      catalog: ServingCatalog;
      personal: Promise<ServingPersonal>;
      full: Promise<ServingSnapshot>;
    }
  | { kind: 'full'; info: ManifestFile; value: Snapshot };

/** What the catalog phase decided and opened from one manifest. */
interface Picked {
  plan: BackendPlan & { f16: boolean };
  modelInfo: ManifestFile;
  snapshotInfo: ManifestFile | undefined;
  servingInfo: ManifestFile | undefined;
  catalogInfo: ManifestFile;
  key: string;
  opened: Opened;
}

/** Backend policy and model variant from the manifest, then the catalog: the serving snapshot's, or the graph. */
async function openCatalog(files: ManifestFile[], options: InitOptions, load: LoadOptions): Promise<Picked> {
  const snapshotInfo = files.find((f) => f.kind === 'snapshot');
  const forced = options.backend === 'wasm' || options.backend === 'webgpu';
  const edges = snapshotInfo?.edges ?? files.find((f) => f.kind === 'serving')?.edges ?? 0;
  // The adapter is probed (tens of ms) only where it could change the decision.
  const probe = options.backend === 'webgpu' || (options.backend !== 'wasm' && edges >= WEBGPU_MIN_EDGES);
  const plan = planBackend(options, edges, probe ? await probeWebGPU() : null);
  const modelInfo = pickModel(files, variantFor(options, plan, files));
  // A forced backend means "run the pass there": start from the full graph, as a catalog without serving files does.
  const servingInfo = forced
    ? undefined
    : files.find(
        (f) => f.kind === 'serving' && f.variant === (modelInfo.variant ?? 'fp32') && f.model === modelInfo.name,
      );
  if (!servingInfo && !snapshotInfo) {
    throw new CineSageError('The artifact manifest lists no snapshot for this model; rebuild the artifacts.');
  }
  const catalogInfo = (servingInfo ?? snapshotInfo) as ManifestFile;
  let opened: Opened;
  if (servingInfo) {
    // The catalog as soon as its verified prefix is in; the rest keeps downloading for personalisation.
    const serving = loadServing(servingInfo, load);
    serving.full.catch(() => undefined);
    opened = {
      kind: 'serving',
      info: servingInfo,
      catalog: await serving.catalog,
      personal: serving.personal,
      full: serving.full,
    };
  } else {
    opened = { kind: 'full', info: catalogInfo, value: await loadSnapshot(catalogInfo, load) };
  }
  return {
    plan,
    modelInfo,
    snapshotInfo,
    servingInfo,
    catalogInfo,
    key: `${catalogInfo.sha256}:${modelInfo.sha256}`,
    opened,
  };
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
  const manifest = await fetchManifest(options.artifactsUrl, cache);
  let picked: Picked;
  try {
    picked = await openCatalog(manifest.files, options, load);
  } catch (err) {
    // The kept manifest is older than the site (a file gone or changed): once more with the site's own.
    if (!manifest.kept || !isStaleArtifact(err)) throw err;
    picked = await openCatalog(await downloadManifest(options.artifactsUrl, cache), options, load);
    manifest.kept = false;
  }
  const { plan, modelInfo, catalogInfo, key, opened, snapshotInfo, servingInfo } = picked;
  const catalog = new Catalog(opened.kind === 'serving' ? opened.catalog : opened.value);
  const session = new VisitorSession(catalog);
  session.replace(await store.getRatings());
  status.dataset = catalog.dataset.name;
  status.counts = catalog.counts;
  status.backend = plan.backend;
  status.backendReason = plan.reason;
  status.timings.catalogMs = performance.now() - t0;

  let full: Promise<Snapshot> | null = opened.kind === 'full' ? Promise.resolve(opened.value) : null;
  const engine: Engine = {
    store,
    catalog,
    session,
    key,
    model: null,
    personalReady: Promise.resolve(null as unknown as ModelEngine),
    modelReady: Promise.resolve(null as unknown as ModelEngine),
    hasFullGraph: snapshotInfo !== undefined,
    fullGraph() {
      if (!snapshotInfo) {
        return Promise.reject(
          new CineSageError('This catalog is served without its rating graph, so data set users cannot be browsed.'),
        );
      }
      full ??= loadSnapshot(snapshotInfo, load).catch((err) => {
        full = null;
        throw err;
      });
      return full;
    },
    sampleUserIds: servingInfo?.sampleUsers ?? null,
    saveVisitorBits() {
      void store.putBitset(key, 'visitor', session.ratedBits());
    },
  };
  engine.saveVisitorBits();
  let early: ((m: ModelEngine) => void) | null = null;
  engine.personalReady = new Promise<ModelEngine>((resolve) => {
    early = resolve;
  });
  const onEarly = (m: ModelEngine) => {
    engine.model = m;
    status.timings.personalMs = performance.now() - t0;
    early?.(m);
  };
  engine.modelReady = personalise(engine, {
    opened,
    modelInfo,
    plan,
    load,
    board,
    onEarly,
    baseUrl: options.artifactsUrl,
  })
    .catch((err: unknown) => {
      // The catalog matched the kept manifest but the model part does not: the site changed since; its own
      // manifest is being kept in the background, so a reload starts from it.
      if (manifest.kept && isStaleArtifact(err)) {
        throw new ArtifactMismatchError(
          (err as { file?: string }).file ?? modelInfo.name,
          'the site was updated since this device last loaded it; reload the page to use the new version',
        );
      }
      throw err;
    })
    .then((model) => {
      engine.model = model;
      status.timings.initMs = performance.now() - t0;
      status.timings.personalMs ??= status.timings.initMs;
      early?.(model);
      onProgress({ phase: 'setup', message: 'Ready.' });
      return model;
    });
  engine.personalReady = Promise.race([engine.personalReady, engine.modelReady]);
  // Never an unhandled rejection: the service reports it (status 'error', `whenPersonalised`).
  engine.modelReady.catch(() => undefined);
  engine.personalReady.catch(() => undefined);
  // Not on the first list's path: whether these artifacts are new to this device.
  void store.getFact<string>('artifactKey').then(async (previousKey) => {
    status.artifactsChanged = previousKey !== undefined && previousKey !== key;
    await store.putFact('artifactKey', key);
  });
  // The files the visitor path downloads: a serving snapshot carries the weights, so the model file is not one.
  const used = opened.kind === 'serving' ? [catalogInfo] : [catalogInfo, modelInfo];
  status.artifacts = used.map(({ name, size, sha256 }) => ({ name, size, sha256 }));
  status.modelVariant = modelInfo.variant ?? 'fp32';
  return engine;
}

interface PersonaliseParts {
  opened: Opened;
  modelInfo: ManifestFile;
  plan: BackendPlan;
  load: LoadOptions;
  board: StatusBoard;
  baseUrl: string;
  /** Called with the approximate model when the first personal list is possible before the exact one. */
  onEarly: (m: ModelEngine) => void;
}

/** Phase 2: the model, the movie embeddings (served, stored or computed) and everything built on them. */
async function personalise(engine: Engine, parts: PersonaliseParts): Promise<ModelEngine> {
  const { opened, modelInfo, plan, load, board } = parts;
  const { store, key, catalog } = engine;
  let model: ReturnType<ModelSource> | null = null;
  const modelFile: ModelSource = () => {
    model ??= loadModel(
      modelInfo,
      {
        file: opened.info.name,
        numMovies: catalog.numMovies,
        userFeatureDim: catalog.featureSpec.userColumns.length,
        movieFeatureDim: catalog.featureSpec.movieColumns.length,
      },
      load,
    ).catch((err: unknown) => {
      model = null;
      throw err;
    });
    return model;
  };
  const runner = new ForwardRunner(plan, modelFile);
  const parts2 = { engine, runner, modelInfo, board };

  if (opened.kind === 'serving') {
    let complete = false;
    opened.full.then(
      () => {
        complete = true;
      },
      () => undefined,
    );
    const personal = await opened.personal;
    if (!complete) await approximately(parts2, personal, parts);
    load.onProgress({ phase: 'setup', message: 'Loading movie embeddings…' });
    const serving = await opened.full;
    catalog.attachLinks(serving.movies.links);
    if (serving.model.sha256 !== modelInfo.sha256) {
      throw new ArtifactMismatchError(
        opened.info.name,
        `was built with another model than ${modelInfo.name}; rebuild the artifacts`,
      );
    }
    board.status.embeddingSource = 'shipped';
    return modelEngine(parts2, serving.params, visitorCacheFromServing(serving), null, serving.raters);
  }

  const { params } = await modelFile();
  const dim = embeddingDim(params.config);
  load.onProgress({ phase: 'setup', message: 'Loading movie embeddings…' });
  const g = opened.value.graph;
  let movieEmb = await store.getEmbeddings(key, 'movie', g.numMovies, dim);
  let userEmb = movieEmb ? await store.getEmbeddings(key, 'user', g.numUsers, dim) : null;
  if (movieEmb) {
    board.status.embeddingSource = 'indexeddb';
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
    await store.putEmbeddings(key, 'movie', movieEmb, dim);
    await store.putEmbeddings(key, 'user', userEmb, dim);
    await store.evictOtherVersions(key);
  }
  return modelEngine(parts2, params, buildVisitorCache(g, params, movieEmb), userEmb, raterListsOf(g));
}

type EngineParts = { engine: Engine; runner: ForwardRunner; modelInfo: ManifestFile; board: StatusBoard };

/**
 * The first personal list before the whole serving snapshot is in: the codes decoded as the movie
 * embeddings, the rows of the visitor's rated movies by range request. Skipped (the exact model follows)
 * when those rows cannot be fetched that way.
 */
async function approximately(parts: EngineParts, personal: ServingPersonal, p: PersonaliseParts): Promise<void> {
  const { engine } = parts;
  const fetchRows = servingRowFetcher(p.baseUrl, p.opened.info, personal);
  const cache = emptyVisitorCache(
    personal.params,
    engine.catalog.numMovies,
    decodeScalarCodes(personal.codes, engine.catalog.numMovies),
  );
  let early: ModelEngine | null = null;
  const ensureRows = async (movies: readonly number[]): Promise<boolean> => {
    const missing = movies.filter((m) => cache.hasRow[m] !== 1);
    if (missing.length === 0) return true;
    const rows = await fetchRows(missing).catch(() => null);
    if (!rows) return false;
    setVisitorRows(cache, rows);
    // Ratings changed while the rows were on their way: the embedding is computed again with them.
    if (early && engine.model === early) engine.session.refresh();
    return true;
  };
  // Every rated movie's rows before the session is attached (ratings may arrive while rows are fetched).
  for (;;) {
    const movies = engine.session.rated().map((r) => r.movie);
    if (movies.every((m) => cache.hasRow[m] === 1)) break;
    if (!(await ensureRows(movies))) return;
  }
  const m = modelEngine(parts, personal.params, cache, null, personal.raters);
  early = m;
  m.approximate = true;
  m.ensureRows = async (movies) => {
    if (engine.model !== m) return;
    // No ranges (or too many movies at once): the exact model, with every row, replaces this one.
    if (!(await ensureRows(movies))) await engine.modelReady;
  };
  parts.board.status.embeddingSource = 'codes';
  p.onEarly(m);
}

/**
 * The model part over `cache`: the visitor's session attached to it, the ranker (with the neighbourhood
 * term when `raters` are known), browse-as, the map.
 */
function modelEngine(
  parts: EngineParts,
  params: VisitorParams,
  cache: VisitorCache,
  userEmb: Float32Array | null,
  raters: RaterLists | null,
): ModelEngine {
  const { engine, runner, modelInfo, board } = parts;
  const { catalog, store, key } = engine;
  engine.session.attach(params, cache);
  const movieEmb = cache.movieEmb;
  const dim = cache.dim;
  let projection: Projection2D | null = null;
  return {
    params,
    modelInfo,
    runner,
    ranker: createRanker(params, movieEmb, catalog.numMovies, dim, raters),
    movieEmb,
    approximate: false,
    ensureRows: async () => undefined,
    users: new DatasetUsers({
      base: { userEmb, movieEmb },
      fullGraph: () => engine.fullGraph(),
      session: engine.session,
      runner,
      store,
      artifactKey: key,
      status: board,
    }),
    projection() {
      projection ??= pca2d(movieEmb, catalog.numMovies, dim, { width: baseEmbeddingDim(params.config) });
      return projection;
    },
  };
}

/** The backend a pass would run on (backend-policy.ts), decided from the manifest before any download. */
function planBackend(options: InitOptions, edges: number, adapter: AdapterInfo | null): BackendPlan & { f16: boolean } {
  const forced = options.backend === 'wasm' || options.backend === 'webgpu' ? options.backend : null;
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
/** The model variant: fp16 only for WebGPU with shader-f16; int8 by `preferInt8` (backend-policy.ts). */
function variantFor(options: InitOptions, plan: BackendPlan & { f16: boolean }, files: ManifestFile[]) {
  const saveData = (navigator as Navigator & { connection?: { saveData?: boolean } }).connection?.saveData === true;
  const fp32Bytes = files.find((f) => f.kind === 'model' && f.variant === 'fp32')?.size ?? null;
  return chooseVariant({
    hasShaderF16: plan.f16,
    backend: plan.backend,
    preferSmall: preferInt8({ requested: options.modelVariant, saveData, fp32Bytes }),
  });
}
