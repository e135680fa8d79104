/**
 * The forward-pass benchmark on a real GPU without a browser: installs Dawn's WebGPU (the npm package
 * `webgpu`, Chromium's own implementation) as `navigator.gpu` in Node and drives bench/forward-bench.ts —
 * the same onnxruntime-web builds through workers/runtime/ort-session.ts as the site — on WebGPU (fp32,
 * int8, fp16) and WASM, writing gpu-node.json and GPU-NODE.md (plus parity against WASM fp32) to a folder.
 *
 *   node bench/gpu-node.ts [--artifacts DIR] [--out DIR] [--webgpu PATH] [--no-webgpu] [--quick]
 *                          [--budget SECONDS] [--graphs ml-100k,synthetic-10k,…] [--list-adapters]
 *
 * --artifacts (env CINESAGE_ARTIFACTS, default public/artifacts): snapshot.bin and model.{fp32,int8,fp16}.onnx.
 * --out (env CINESAGE_OUT, default .cache/gpu-node): where the JSON and the report go (rewritten after
 * every row, so a crash keeps the rows before it). --webgpu (env CINESAGE_WEBGPU): the `webgpu` package's
 * folder or index.js (default: `webgpu` from node_modules). DAWN_FLAGS (env): extra Dawn
 * options separated by `;` (e.g. `adapter=NVIDIA H200;enable-dawn-features=…`); on Linux
 * `backend=vulkan` is added unless a backend is given. --budget (env CINESAGE_BUDGET_S, default 300): the
 * whole run's time; rows whose predicted time does not fit are skipped with the reason. Exit status 0
 * when the run finished (with or without an adapter), 1 when it could not start (artifacts, ORT), 3 when
 * no onnxruntime-web pass ran.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { ModelVariant } from '../src/core/model/onnx-contract.ts';
import { createBenchApi, type NodeBenchApi } from './forward-bench.ts';
import { int, mb, ms, span, table } from './markdown.ts';
import type { ForwardBackend, ForwardResult, GraphConfig, PreparedGraph } from './page/protocol.ts';
import { forwardBound, summarize } from './stats.ts';

const { values: options } = parseArgs({
  args: process.argv.slice(2),
  options: {
    artifacts: { type: 'string' },
    out: { type: 'string' },
    webgpu: { type: 'string' },
    'no-webgpu': { type: 'boolean' },
    quick: { type: 'boolean' },
    budget: { type: 'string' },
    graphs: { type: 'string' },
    'list-adapters': { type: 'boolean' },
  },
  strict: true,
});

const started = performance.now();
const elapsed = () => performance.now() - started;
const log = (line: string) => process.stderr.write(`[${(elapsed() / 1000).toFixed(0)} s] ${line}\n`);
const quick = options.quick ?? false;
const artifactsDir = resolve(options.artifacts ?? process.env.CINESAGE_ARTIFACTS ?? join('public', 'artifacts'));
const outDir = resolve(options.out ?? process.env.CINESAGE_OUT ?? join('.cache', 'gpu-node'));
const budgetMs = 1000 * Number(options.budget ?? process.env.CINESAGE_BUDGET_S ?? (quick ? 120 : 300));
/** Kept free at the end of the budget for writing the report. */
const RESERVE_MS = 5_000;

// ---------------------------------------------------------------------------------------------------
// Dawn

interface AdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean | null;
  features: string[];
  hasShaderF16: boolean;
  limits: Record<string, number>;
}

interface WebGpuReport {
  available: boolean;
  /** Why not (dawn.node did not load, no adapter, …). */
  reason?: string;
  package?: { path: string; version: string };
  flags: string[];
  adapter?: AdapterReport;
}

interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

/** The `webgpu` package: the given folder or index.js, else the bare name from node_modules. */
async function importDawn(): Promise<{ mod: DawnModule; path: string; version: string }> {
  const given = options.webgpu ?? process.env.CINESAGE_WEBGPU;
  const candidates = given ? [given] : ['webgpu'];
  const errors: string[] = [];
  for (const c of candidates) {
    const bare = c === 'webgpu';
    const abs = isAbsolute(c) ? c : resolve(c);
    const entry = bare ? c : abs.endsWith('.js') ? abs : join(abs, 'index.js');
    try {
      const mod = (await import(bare ? entry : pathToFileURL(entry).href)) as DawnModule;
      const pkgPath = bare
        ? import.meta.resolve('webgpu/package.json')
        : pathToFileURL(join(entry, '..', 'package.json')).href;
      let version = 'unknown';
      try {
        version = JSON.parse(readFileSync(new URL(pkgPath), 'utf8')).version;
      } catch {}
      return { mod, path: bare ? import.meta.resolve('webgpu') : entry, version };
    } catch (err) {
      errors.push(`${c}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`the webgpu package did not load (${errors.join('; ')})`);
}

function dawnFlags(): string[] {
  const extra = (process.env.DAWN_FLAGS ?? '')
    .split(';')
    .map((f) => f.trim())
    .filter(Boolean);
  const hasBackend = extra.some((f) => f.startsWith('backend='));
  return process.platform === 'linux' && !hasBackend ? ['backend=vulkan', ...extra] : extra;
}

const LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBuffersPerShaderStage',
];

/** Loads Dawn, installs it as `navigator.gpu` (ORT and ort-session.ts use the global) and describes the adapter. */
async function installWebGpu(): Promise<WebGpuReport> {
  const flags = dawnFlags();
  if (options['no-webgpu'] || process.env.CINESAGE_NO_WEBGPU === '1') {
    return { available: false, flags, reason: 'WebGPU turned off (--no-webgpu)' };
  }
  let dawn: Awaited<ReturnType<typeof importDawn>>;
  try {
    dawn = await importDawn();
  } catch (err) {
    return { available: false, flags, reason: (err as Error).message };
  }
  const report: WebGpuReport = { available: false, flags, package: { path: dawn.path, version: dawn.version } };
  let gpu: GPU;
  try {
    Object.assign(globalThis, dawn.mod.globals);
    gpu = dawn.mod.create(flags);
  } catch (err) {
    return { ...report, reason: `dawn.node create(${JSON.stringify(flags)}) failed: ${(err as Error).message}` };
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (err) {
    return { ...report, reason: `requestAdapter threw: ${(err as Error).message.split('\n').join(' | ')}` };
  }
  if (!adapter) {
    return {
      ...report,
      reason: `requestAdapter returned null with Dawn flags ${JSON.stringify(flags)} (no usable device on that backend: check the Vulkan loader and ICD, e.g. VK_DRIVER_FILES)`,
    };
  }
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean; device?: string };
  const features = [...adapter.features].map(String).sort();
  const limits: Record<string, number> = {};
  for (const k of LIMITS) limits[k] = Number((adapter.limits as unknown as Record<string, number>)[k]);
  report.adapter = {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    isFallbackAdapter: info.isFallbackAdapter ?? (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter ?? null,
    features,
    hasShaderF16: features.includes('shader-f16'),
    limits,
  };
  // Node 22 has a global `navigator`; ORT's WebGPU build reads `navigator.gpu`.
  Object.defineProperty(globalThis.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
  report.available = true;
  return report;
}

/**
 * Prints the adapters Dawn enumerates (it lists them when asked for an unknown adapter name) on the chosen
 * backend, and on OpenGL ES too when no backend was given (a diagnosis when Vulkan finds nothing).
 */
async function listAdapters(): Promise<void> {
  const flags = dawnFlags().filter((f) => !f.startsWith('adapter='));
  const given = (process.env.DAWN_FLAGS ?? '').includes('backend=');
  const dawn = await importDawn();
  Object.assign(globalThis, dawn.mod.globals);
  const backends = given ? [null] : ['vulkan', 'opengles'];
  for (const b of backends) {
    const f = b ? [...flags.filter((x) => !x.startsWith('backend=')), `backend=${b}`] : flags;
    const gpu = dawn.mod.create([...f, 'adapter=<list all adapters>']);
    try {
      const a = await gpu.requestAdapter();
      log(`Dawn ${dawn.version} (${f.join(' ')}): ${a ? 'an adapter answered without a list' : 'no adapter at all'}`);
    } catch (err) {
      log(`Dawn ${dawn.version} (${f.join(' ')}): ${(err as Error).message.replace(/^no adapter.*\n/, '')}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Plans

interface NodePlan {
  graph: GraphConfig;
  forwards: [ForwardBackend, ModelVariant][];
  runs: number;
  /** Per row: timed runs stop once this much time has passed since the row started (at least one runs). */
  budgetMs: number;
}

const GPU_ROWS: [ForwardBackend, ModelVariant][] = [
  ['webgpu', 'fp32'],
  ['webgpu', 'int8'],
  ['webgpu', 'fp16'],
];

/** bench/run.ts's graphs; WASM fp32 first on each (the parity reference and the ratio's denominator). */
const PLANS: NodePlan[] = [
  {
    graph: { name: 'ml-100k' },
    forwards: [['wasm', 'fp32'], ['wasm', 'int8'], ['wasm', 'fp16'], ...GPU_ROWS, ['ts', 'fp32']],
    runs: quick ? 3 : 20,
    budgetMs: 15_000,
  },
  {
    graph: { name: 'synthetic-10k', items: 10_000, users: 2_000, edges: 100_000, seed: 1 },
    forwards: [['wasm', 'fp32'], ['wasm', 'int8'], ...GPU_ROWS],
    runs: quick ? 3 : 20,
    budgetMs: 15_000,
  },
  {
    graph: { name: 'synthetic-100k', items: 100_000, users: 20_000, edges: 1_000_000, seed: 2 },
    forwards: [['wasm', 'fp32'], ...GPU_ROWS],
    runs: quick ? 2 : 10,
    budgetMs: 20_000,
  },
  {
    graph: { name: 'synthetic-1m', items: 1_000_000, users: 100_000, edges: 5_000_000, seed: 3 },
    forwards: [['wasm', 'fp32'], ...GPU_ROWS],
    runs: quick ? 1 : 5,
    budgetMs: 30_000,
  },
];

// ---------------------------------------------------------------------------------------------------
// Running

interface Parity {
  against: string;
  maxAbsUser: number;
  maxAbsMovie: number;
  meanAbs: number;
  /** Largest |value| of the reference embeddings (scale of the differences). */
  refMaxAbs: number;
}

/** parity: against WASM fp32; paritySame: against WASM of the same variant (quantisation error cancels). */
type Row = ForwardResult & { parity?: Parity; paritySame?: Parity; wallMs?: number };

interface GraphRun {
  graph: PreparedGraph | null;
  error?: string;
  forwards: Row[];
}

export interface GpuNodeResults {
  startedAt: string;
  runtimeMs: number;
  finished: boolean;
  quick: boolean;
  budgetMs: number;
  artifacts: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryBytes: number;
    platform: string;
    node: string;
    ort: Record<string, string>;
    env: Record<string, string>;
  };
  webgpu: WebGpuReport;
  graphs: GraphRun[];
  /** The row running when the results were last written (names the culprit after a crash). */
  running?: string;
}

type Embeddings = ReturnType<NodeBenchApi['kept']>;

function parity(out: NonNullable<Embeddings>, ref: NonNullable<Embeddings>, against: string): Parity {
  const diff = (a: Float32Array, b: Float32Array) => {
    let max = 0;
    let sum = 0;
    for (let i = 0; i < a.length; i++) {
      const d = Math.abs(a[i] - b[i]);
      if (!(d <= max)) max = d; // NaN propagates as the max
      sum += d;
    }
    return { max, sum };
  };
  let refMaxAbs = 0;
  for (const arr of [ref.userEmb, ref.movieEmb]) for (const x of arr) refMaxAbs = Math.max(refMaxAbs, Math.abs(x));
  if (out.userEmb.length !== ref.userEmb.length || out.movieEmb.length !== ref.movieEmb.length) {
    return { against, maxAbsUser: Number.NaN, maxAbsMovie: Number.NaN, meanAbs: Number.NaN, refMaxAbs };
  }
  const u = diff(out.userEmb, ref.userEmb);
  const m = diff(out.movieEmb, ref.movieEmb);
  return {
    against,
    maxAbsUser: u.max,
    maxAbsMovie: m.max,
    meanAbs: (u.sum + m.sum) / (out.userEmb.length + out.movieEmb.length),
    refMaxAbs,
  };
}

/** Resolves to null when `ms` passes first (the promise keeps running: a hung GPU is not cancellable). */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((r) => {
    timer = setTimeout(() => r(null), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function main(): Promise<number> {
  log(
    `CineSage forward pass on Node + Dawn WebGPU${quick ? ' (quick)' : ''}; artifacts ${artifactsDir}; results ${outDir}`,
  );
  mkdirSync(outDir, { recursive: true });
  if (options['list-adapters']) {
    await listAdapters();
    return 0;
  }

  const webgpu = await installWebGpu();
  if (webgpu.available && webgpu.adapter) {
    const a = webgpu.adapter;
    log(
      `WebGPU: ${a.description || '(no description)'} — vendor ${a.vendor || '?'}, architecture ${a.architecture || '?'}, fallback ${a.isFallbackAdapter}, shader-f16 ${a.hasShaderF16 ? 'yes' : 'NO'}; Dawn ${webgpu.package?.version} flags ${webgpu.flags.join(' ')}`,
    );
    log(`  features: ${a.features.join(' ')}`);
    log(
      `  limits: ${Object.entries(a.limits)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    );
  } else {
    log(`WebGPU NOT AVAILABLE: ${webgpu.reason}. The WebGPU rows are reported as not run; WASM and TS still run.`);
  }

  let ortVersions: Record<string, string> = {};
  try {
    const ort = await import('onnxruntime-web/wasm');
    ortVersions = { ...(ort.env.versions as Record<string, string>) };
  } catch (err) {
    log(`onnxruntime-web did not load: ${(err as Error).message}`);
    return 1;
  }
  const env: Record<string, string> = {};
  for (const k of ['VK_ICD_FILENAMES', 'VK_DRIVER_FILES', 'VK_ADD_DRIVER_FILES', 'LD_LIBRARY_PATH', 'DAWN_FLAGS']) {
    if (process.env[k]) env[k] = process.env[k] as string;
  }
  const results: GpuNodeResults = {
    startedAt: new Date().toISOString(),
    runtimeMs: 0,
    finished: false,
    quick,
    budgetMs,
    artifacts: artifactsDir,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryBytes: totalmem(),
      platform: `${process.platform}-${process.arch}`,
      node: process.version,
      ort: ortVersions,
      env,
    },
    webgpu,
    graphs: [],
  };
  const save = () => {
    results.runtimeMs = elapsed();
    writeFileSync(join(outDir, 'gpu-node.json'), `${JSON.stringify(results, null, 1)}\n`);
    writeFileSync(join(outDir, 'GPU-NODE.md'), renderReport(results));
  };
  save();

  const api = createBenchApi(async (name, dir) => {
    const b = await readFile(join(dir, name));
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  });
  try {
    const loaded = await api.load(artifactsDir);
    log(`model: ${loaded.numMovies} movies, feature widths ${loaded.userFeatureDim} / ${loaded.movieFeatureDim}`);
  } catch (err) {
    log(`cannot read the artifacts in ${artifactsDir}: ${(err as Error).message}`);
    return 1;
  }

  const only = options.graphs?.split(',').map((s) => s.trim());
  /** Fastest ms per edge seen per backend+variant (and per backend), to predict the next graph's pass. */
  const msPerEdge = new Map<string, number>();
  let webgpuHung: string | null = null;

  for (const plan of PLANS) {
    if (only && !only.includes(plan.graph.name)) continue;
    const run: GraphRun = { graph: null, forwards: [] };
    results.graphs.push(run);
    if (budgetMs - elapsed() < RESERVE_MS + 5_000) {
      run.error = `${plan.graph.name}: not run, the run's ${(budgetMs / 1000).toFixed(0)} s budget is spent`;
      log(run.error);
      continue;
    }
    log(`graph ${plan.graph.name}: preparing…`);
    try {
      run.graph = await api.prepare(plan.graph);
    } catch (err) {
      run.error = `${plan.graph.name}: prepare failed: ${(err as Error).message.slice(0, 300)}`;
      log(run.error);
      save();
      continue;
    }
    const g = run.graph;
    log(
      `  ${g.name}: ${g.users} users, ${g.items} items, ${g.edges} edges (generated in ${g.generateMs.toFixed(0)} ms, feeds ${g.feedsMs.toFixed(0)} ms)`,
    );
    /** WASM embeddings of this graph by variant: the parity references. */
    const references = new Map<ModelVariant, NonNullable<Embeddings>>();
    for (const [backend, variant] of plan.forwards) {
      const key = `${backend} ${variant}`;
      const skip = (reason: string) => {
        run.forwards.push({ backend, variant, ok: false, runsMs: [], reason });
        log(`    ${key}: not run: ${reason}`);
        save();
      };
      if (backend === 'webgpu' && !webgpu.available) {
        skip(`WebGPU unavailable: ${webgpu.reason}`);
        continue;
      }
      if (backend === 'webgpu' && webgpuHung) {
        skip(`WebGPU stopped answering earlier (${webgpuHung})`);
        continue;
      }
      if (backend === 'webgpu' && variant === 'fp16' && !webgpu.adapter?.hasShaderF16) {
        skip('the WebGPU adapter has no shader-f16');
        continue;
      }
      const left = budgetMs - elapsed() - RESERVE_MS;
      const perEdge = msPerEdge.get(key) ?? msPerEdge.get(backend);
      const estimate = perEdge === undefined ? null : perEdge * g.edges;
      // A warm-up plus one timed run must fit what is left of the run.
      if (estimate !== null && 2 * estimate > Math.min(left, 2 * plan.budgetMs)) {
        skip(
          `about ${(estimate / 1000).toFixed(1)} s per pass predicted from the previous graph; a warm-up plus one run would not fit ${left < 2 * plan.budgetMs ? `the ${(left / 1000).toFixed(0)} s left of the run's budget` : `twice the row's ${(plan.budgetMs / 1000).toFixed(0)} s budget`}`,
        );
        continue;
      }
      if (left < 3_000) {
        skip(`the run's ${(budgetMs / 1000).toFixed(0)} s budget is spent`);
        continue;
      }
      const rowBudget = Math.max(0, Math.min(plan.budgetMs, left - 2 * (estimate ?? 0)));
      // Session creation + warm-up + timed runs; generous, since the first WebGPU pass compiles shaders.
      const hardMs = Math.max(30_000, Math.min(left, rowBudget + 4 * (estimate ?? plan.budgetMs) + 30_000));
      log(`    ${key}: running (up to ${plan.runs} runs, ${(rowBudget / 1000).toFixed(0)} s budget)…`);
      results.running = `${g.name} ${key}`;
      save();
      const t0 = performance.now();
      let r: Row | null;
      try {
        r = await withTimeout(
          api.forward({ backend, variant, runs: plan.runs, budgetMs: rowBudget, keep: true }),
          hardMs,
        );
      } catch (err) {
        r = { backend, variant, ok: false, runsMs: [], reason: `threw: ${(err as Error).message.slice(0, 300)}` };
      }
      const wallMs = performance.now() - t0;
      results.running = undefined;
      if (r === null) {
        const why = `${key} on ${g.name} gave no answer within ${(hardMs / 1000).toFixed(0)} s`;
        if (backend === 'webgpu') webgpuHung = why;
        skip(`timed out: ${why}`);
        continue;
      }
      r.wallMs = wallMs;
      if (!r.ok && backend === 'wasm' && r.reason?.includes('bad_alloc'))
        r.reason += ' (the 4 GiB wasm32 heap is full)';
      if (r.ok && r.runsMs.length > 0) {
        const pe = Math.min(...r.runsMs) / g.edges;
        msPerEdge.set(key, pe);
        msPerEdge.set(backend, Math.min(pe, msPerEdge.get(backend) ?? Number.POSITIVE_INFINITY));
      }
      if (r.ok) {
        const out = api.kept();
        const fp32 = references.get('fp32');
        const same = references.get(variant);
        if (out && fp32 && !(backend === 'wasm' && variant === 'fp32')) r.parity = parity(out, fp32, 'wasm fp32');
        if (out && same && backend !== 'wasm' && variant !== 'fp32')
          r.paritySame = parity(out, same, `wasm ${variant}`);
        if (out && backend === 'wasm') references.set(variant, out);
      }
      run.forwards.push(r);
      const p =
        (r.parity
          ? `; max |Δ| vs WASM fp32 ${r.parity.maxAbsUser.toExponential(2)} (users) ${r.parity.maxAbsMovie.toExponential(2)} (items), |ref| ≤ ${r.parity.refMaxAbs.toFixed(2)}`
          : '') +
        (r.paritySame
          ? `; vs WASM ${variant} ${Math.max(r.paritySame.maxAbsUser, r.paritySame.maxAbsMovie).toExponential(2)}`
          : '');
      log(
        `    ${key}: ${r.ok ? `create ${r.createMs?.toFixed(0) ?? '—'} ms, first ${r.firstMs?.toFixed(1)} ms, runs ${r.runsMs.map((x) => x.toFixed(1)).join(' ')} ms${p}` : `not run: ${r.reason}`}`,
      );
      save();
    }
  }
  results.finished = true;
  save();
  log(
    `wrote ${join(outDir, 'gpu-node.json')} and ${join(outDir, 'GPU-NODE.md')} in ${(elapsed() / 1000).toFixed(0)} s`,
  );
  if (!results.graphs.some((g) => g.forwards.some((f) => f.ok && f.backend !== 'ts'))) {
    log('no onnxruntime-web pass ran at all: see the reasons above');
    return 3;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------------
// Report

const exp = (x: number): string => (Number.isFinite(x) ? x.toExponential(1) : String(x));

/** HBM3e peak of an H200, for the bound column (the ONNX formulation's bytes at that rate). */
const H200_BYTES_PER_S = 4.8e12;

export function renderReport(r: GpuNodeResults): string {
  const a = r.webgpu.adapter;
  const gpuName = a
    ? `WebGPU (${[a.vendor, a.architecture].filter(Boolean).join(' ') || a.description || 'adapter'}${a.isFallbackAdapter ? ', fallback' : ''})`
    : 'WebGPU';
  const label = (b: ForwardBackend) => (b === 'ts' ? 'plain TS' : b === 'webgpu' ? gpuName : 'WASM (1 thread)');
  const rows: string[][] = [];
  const notes: string[] = [];
  const skipped: string[] = [];
  for (const g of r.graphs) {
    if (!g.graph) {
      skipped.push(`- ${g.error ?? 'a graph failed before its first forward'}`);
      continue;
    }
    const p = g.graph;
    const wasmRow = g.forwards.find((f) => f.backend === 'wasm' && f.variant === 'fp32');
    const wasm = wasmRow?.ok && wasmRow.runsMs.length > 0 ? summarize(wasmRow.runsMs).median : Number.NaN;
    for (const f of g.forwards) {
      const s = f.ok && f.runsMs.length > 0 ? summarize(f.runsMs) : null;
      let vs = '—';
      if (s && f.backend === 'wasm' && f.variant === 'fp32') vs = '1×';
      else if (s && Number.isFinite(wasm)) {
        const x = wasm / s.median;
        vs = x >= 1 ? `**${x.toFixed(x >= 10 ? 0 : 1)}× faster**` : `${(1 / x).toFixed(1 / x >= 10 ? 0 : 1)}× slower`;
      }
      const diff = (q: Parity | undefined) =>
        q ? `${exp(Math.max(q.maxAbsUser, q.maxAbsMovie))} (mean ${exp(q.meanAbs)})` : '—';
      const par = f.ok && f.backend === 'wasm' && f.variant === 'fp32' ? 'reference' : diff(f.parity);
      rows.push([
        p.name,
        `${int(p.users)} / ${int(p.items)} / ${int(p.edges)}`,
        label(f.backend),
        f.variant,
        s ? span(s) : `**not run**: ${f.reason}`,
        f.ok ? ms(f.firstMs) : '—',
        f.ok ? ms(f.createMs) : '—',
        vs,
        par,
        diff(f.paritySame),
      ]);
      if (!f.ok) skipped.push(`- ${p.name}: ${f.backend} ${f.variant}: ${f.reason}`);
    }
    const b = forwardBound(p);
    const refMax = g.forwards.find((f) => f.parity)?.parity?.refMaxAbs;
    notes.push(
      `- ${p.name}: ${(b.macs / 1e6).toFixed(0)} M multiply-adds; the ONNX graph moves ${mb(b.onnxBytes)} (the [E, w] messages and int64 edge indices), ${ms((b.onnxBytes / H200_BYTES_PER_S) * 1000)} ms at an H200's 4.8 TB/s peak; building the feeds took ${ms(p.feedsMs)} ms (CPU, before every ORT pass)${p.generateMs > 1 ? `, generating the graph ${ms(p.generateMs)} ms` : ''}${refMax !== undefined ? `; largest embedding value ${refMax.toFixed(3)}` : ''}.`,
    );
  }
  const m = r.machine;
  const adapterLines = a
    ? [
        `- Adapter: vendor \`${a.vendor}\`, architecture \`${a.architecture}\`, device \`${a.device}\`, description \`${a.description}\`, isFallbackAdapter ${a.isFallbackAdapter}.`,
        `- shader-f16: **${a.hasShaderF16 ? 'present' : 'absent'}**. Features: ${a.features.map((f) => `\`${f}\``).join(', ')}.`,
        `- Limits: ${Object.entries(a.limits)
          .map(([k, v]) => `${k} ${int(v)}`)
          .join(', ')}.`,
      ]
    : [`- **WebGPU not available**: ${r.webgpu.reason}`];
  return [
    '# CineSage forward pass on a GPU: Node + Dawn WebGPU vs WASM',
    '',
    `Generated by \`node bench/gpu-node.ts\`${r.quick ? ' --quick' : ''} on ${r.startedAt.slice(0, 10)}: ${m.cpus} × ${m.cpuModel}, ${(m.memoryBytes / 2 ** 20).toFixed(0)} MiB RAM, ${m.platform}, Node ${m.node}, onnxruntime-web ${m.ort.web ?? '?'} (common ${m.ort.common ?? '?'}), webgpu (dawn.node) ${r.webgpu.package?.version ?? '—'}, Dawn flags \`${r.webgpu.flags.join(' ') || '(none)'}\`. Runtime ${(r.runtimeMs / 1000).toFixed(0)} s${r.finished ? '' : ' — **the run did not finish; rows after the last one shown are missing**'}. Raw timings: gpu-node.json.`,
    '',
    ...adapterLines,
    ...Object.entries(m.env).map(([k, v]) => `- \`${k}=${v}\``),
    '',
    '## Full forward pass',
    '',
    'The same code as the browser bench (bench/forward-bench.ts through workers/runtime/ort-session.ts): the `onnxruntime-web/webgpu` bundle with the WebGPU EP and CPU fallback disabled, the `onnxruntime-web/wasm` bundle with 1 thread, and the plain TS forward. Each row: session creation, one warm-up pass ("first run": shader compilation, first allocations), then timed passes (`session.run` from CPU-side feeds, so their upload is included, plus the download of both embedding tables) until the count or the row budget runs out. The first WebGPU row\'s session creation includes the start of ORT\'s WebGPU backend (adapter and device). "max abs diff": the largest absolute difference of the user and item embeddings from those of WASM on the same graph, fp32 or the same variant (where the quantisation error cancels); the mean in brackets; the largest embedding value is given per graph below.',
    '',
    table(
      [
        'graph',
        'users / items / edges',
        'backend',
        'variant',
        'median (min–max), ms',
        'first run, ms',
        'session create, ms',
        'vs WASM fp32',
        'max abs diff vs WASM fp32',
        'max abs diff vs WASM, same variant',
      ],
      rows,
    ),
    '',
    ...notes,
    '',
    '## Not run, and limits',
    '',
    ...(r.finished
      ? []
      : [
          `- **The run stopped before the end** (crash, kill or time-out)${r.running ? `, during **${r.running}**` : ''}: the rows after it did not run.`,
        ]),
    ...(skipped.length ? skipped : r.finished ? ['- Every planned row ran.'] : []),
    "- Node + Dawn is not Chromium: the WebGPU implementation (Dawn) and the ORT build are the browser's, but there is no GPU process, IPC or sandbox, so a browser adds a little per-dispatch overhead.",
    "- WASM runs on this machine's CPU, one thread (as the site does: ScatterND on the CPU EP races with more).",
    '',
  ].join('\n');
}

if (import.meta.main) {
  const code = await main().catch((err) => {
    log(`failed: ${(err as Error).stack ?? err}`);
    return 1;
  });
  // dawn.node keeps the process alive while `navigator.gpu` is referenced; exit explicitly.
  process.exit(code);
}
