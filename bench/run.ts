/**
 * `npm run bench` (issue #8): builds what is missing (artifacts, the site into .cache/bench-site, the
 * benchmark page), drives them in headless Chromium and writes bench/results.json (every raw timing) and
 * bench/RESULTS.md (medians, min–max, ratios from the same run, and the bound each figure is compared
 * against). Timings never fail anything; the script fails only when it cannot measure. Its modes and
 * options are `USAGE` below (`npm run bench -- --help`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { ensureArtifacts } from '../pipeline/artifacts/build-default.ts';
import { launchBenchBrowser, startCountingServer } from './browser.ts';
import { buildBenchPage } from './build-page.ts';
import { type GraphResult, type KernelPlan, measureBandwidth, runKernelPlan } from './kernels.ts';
import { type LinkRun, linkRun } from './links.ts';
import { LINKS } from './pacing-proxy.ts';
import { renderReport } from './report.ts';
import { runScale } from './scale.ts';
import { coldAndWarm, type RatingRun, ratingRun, type VisitPair } from './site.ts';
import { runVariantReport, type VariantRow } from './variants.ts';

export interface FileSize {
  path: string;
  bytes: number;
  gzipBytes: number;
}

export interface BenchResults {
  startedAt: string;
  machine: { cpus: number; cpuModel: string; memoryBytes: number; chromium: string; node: string };
  quick: boolean;
  /** Single-thread copy bandwidth seen by the page, GB/s (read + write). */
  bandwidthGBs: number;
  graphs: GraphResult[];
  site: {
    wasm: VisitPair[];
    /** A WebGPU adapter present (SwiftShader): the policy's choice. */
    webgpu: VisitPair[];
    /** `?backend=webgpu`: the WebGPU path itself (a full pass on the adapter at start-up). */
    webgpuForced: VisitPair[];
    ratingsWasm: RatingRun | null;
    ratingsWebgpu: RatingRun | null;
    /** Raw and gzip sizes of every file the site serves (as the bench server sends them, gzip level 6). */
    files: FileSize[];
  };
  variants: VariantRow[];
  /** Cold and warm visits through the pacing proxy (section 5). */
  links: LinkRun[];
  runtimeMs: number;
}

const SITE_DIR = join('.cache', 'bench-site');
const SITE_INPUTS = [
  'index.html',
  'vite.config.ts',
  'src',
  'workers',
  'public',
  'bench/reference.worker.ts',
  'bench/reference-rating.ts',
];
const USAGE = `Usage: npm run bench [-- options]
  (none)                     the full run: bench/results.json and bench/RESULTS.md (about 10 minutes on 2 cores)
  --quick                    fewer runs and no 1M-item catalog (for working on the bench itself)
  --links                    only the real-link rows (§5), printed, nothing written
  --scale LABEL=DIR …        only the catalog-scale rows, each artifact folder served as the site's
                             (repeatable; writes bench/SCALE.md, bench/scale.ts)
  --dataset NAME | --data DIR   the site and the real-catalog rows on that data set's artifacts
                             (built if missing; default ml-100k)`;
const { values: options } = parseArgs({
  args: process.argv.slice(2),
  options: {
    help: { type: 'boolean', short: 'h' },
    quick: { type: 'boolean' },
    links: { type: 'boolean' },
    scale: { type: 'string', multiple: true },
    dataset: { type: 'string' },
    data: { type: 'string' },
  },
  strict: true,
});
if (options.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const quick = options.quick ?? false;
if (options.dataset !== undefined && options.data !== undefined) throw new Error('give --dataset or --data, not both');
/** The data set the site rows and the real-catalog kernel rows run on (its key once the artifacts are ensured). */
const datasetOptions = { dataset: options.dataset, data: options.data };
const datasetLabel = options.data ?? options.dataset ?? 'ml-100k';
const started = performance.now();
const log = (line: string) =>
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${line}\n`);

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Builds the production site into SITE_DIR when it is missing or older than its sources. */
function ensureSite(): void {
  const built = join(SITE_DIR, 'index.html');
  const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
  if (builtAt > Math.max(...SITE_INPUTS.map(newestMtime))) return;
  log('building the site (vite build)…');
  // Bench mode: the worker also answers `benchReferenceRating` (bench/reference.worker.ts).
  execFileSync(
    'npx',
    ['vite', 'build', '--mode', 'bench', '--outDir', SITE_DIR, '--emptyOutDir', '--logLevel', 'warn'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
}

function siteFiles(dir: string, prefix = ''): FileSize[] {
  const out: FileSize[] = [];
  for (const name of readdirSync(join(dir, prefix))) {
    const rel = prefix ? `${prefix}/${name}` : name;
    const st = statSync(join(dir, rel));
    if (st.isDirectory()) out.push(...siteFiles(dir, rel));
    else if (!rel.endsWith('.map')) {
      const bytes = readFileSync(join(dir, rel));
      out.push({ path: `/${rel}`, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 6 }).length });
    }
  }
  return out;
}

const PLANS: KernelPlan[] = [
  {
    graph: { name: datasetLabel },
    forwards: [
      ['wasm', 'fp32'],
      ['wasm', 'int8'],
      ['wasm', 'fp16'],
      ['webgpu', 'fp32'],
      ['webgpu', 'int8'],
      ['webgpu', 'fp16'],
      ['ts', 'fp32'],
    ],
    runs: quick ? 2 : 5,
    budgetMs: 40_000,
  },
  {
    graph: { name: 'synthetic-10k', items: 10_000, users: 2_000, edges: 100_000, seed: 1 },
    forwards: [
      ['wasm', 'fp32'],
      ['webgpu', 'fp32'],
      ['ts', 'fp32'],
    ],
    runs: quick ? 2 : 5,
    budgetMs: 40_000,
  },
  {
    graph: { name: 'synthetic-100k', items: 100_000, users: 20_000, edges: 1_000_000, seed: 2 },
    forwards: [
      ['wasm', 'fp32'],
      ['webgpu', 'fp32'],
      ['ts', 'fp32'],
    ],
    runs: quick ? 1 : 3,
    budgetMs: 80_000,
  },
  ...(quick
    ? []
    : [
        {
          graph: { name: 'synthetic-1m', items: 1_000_000, users: 100_000, edges: 5_000_000, seed: 3 },
          forwards: [
            ['wasm', 'fp32'],
            ['webgpu', 'fp32'],
            ['ts', 'fp32'],
          ],
          runs: 3,
          budgetMs: 80_000,
        } satisfies KernelPlan,
      ]),
];

function logLink(run: LinkRun): void {
  const { cold, warm } = run;
  log(
    `  ${run.link.name}, ${run.gpu === 'none' ? 'no adapter' : 'WebGPU adapter'}: first list ${cold.firstListMs.toFixed(0)} ms (seen ${cold.seenFirstListMs.toFixed(0)}; ${(cold.bytesToFirstList / 1e6).toFixed(2)} MB), personal ${cold.personalMs.toFixed(0)} ms (${(cold.bytesToPersonal / 1e6).toFixed(2)} MB); warm ${warm.firstListMs.toFixed(0)} / ${warm.personalMs.toFixed(0)} ms`,
  );
}

async function main(): Promise<void> {
  log(`CineSage benchmarks${quick ? ' (quick)' : ''}`);
  const key = await ensureArtifacts(datasetOptions);
  PLANS[0].graph.name = key;
  ensureSite();
  if (options.scale) {
    const sets = options.scale.map((arg) => {
      const eq = arg.indexOf('=');
      if (eq < 1) throw new Error(`--scale wants LABEL=DIR, not "${arg}"`);
      return { label: arg.slice(0, eq), dir: arg.slice(eq + 1) };
    });
    await runScale(sets, log);
    log('wrote bench/SCALE.md');
    return;
  }
  if (options.links) {
    const server = await startCountingServer(SITE_DIR);
    try {
      for (const link of LINKS)
        for (const gpu of ['none', 'webgpu'] as const) logLink(await linkRun(server.url, link, gpu));
    } finally {
      await server.close();
    }
    return;
  }
  log('building the benchmark page…');
  const pageDir = await buildBenchPage();

  // Forward passes and scoring, in a browser with a (software) WebGPU adapter.
  const pageServer = await startCountingServer(pageDir);
  const gpuBrowser = await launchBenchBrowser('webgpu');
  const chromium = gpuBrowser.version();
  const graphs: GraphResult[] = [];
  let bandwidthGBs = Number.NaN;
  try {
    bandwidthGBs = await measureBandwidth(gpuBrowser, pageServer.url);
    log(`memory bandwidth (single-thread copy): ${bandwidthGBs.toFixed(1)} GB/s`);
    for (const plan of PLANS) {
      log(`forward + scoring: ${plan.graph.name}`);
      graphs.push(await runKernelPlan(gpuBrowser, pageServer.url, plan, log));
    }
  } finally {
    await gpuBrowser.close();
    await pageServer.close();
  }

  // The site: cold and warm visits, memory, ratings vs the reference system.
  const siteServer = await startCountingServer(SITE_DIR);
  const site: BenchResults['site'] = {
    wasm: [],
    webgpu: [],
    webgpuForced: [],
    ratingsWasm: null,
    ratingsWebgpu: null,
    files: siteFiles(SITE_DIR),
  };
  const links: LinkRun[] = [];
  try {
    const pairs = (
      gpu: 'none' | 'webgpu',
      count: number,
      ratings: number,
      store: (r: RatingRun) => void,
      query = '',
    ) => {
      const out: VisitPair[] = [];
      return (async () => {
        for (let i = 0; i < count; i++) {
          const rate =
            i === 0 && ratings > 0
              ? async (page: Page) => {
                  store(await ratingRun(page, ratings));
                }
              : undefined;
          const pair = await coldAndWarm(gpu, siteServer.url + query, siteServer, rate);
          log(
            `  ${gpu === 'none' ? 'no adapter' : `adapter${query}`} visit ${i + 1}: cold ${pair.cold.firstRecsMs.toFixed(0)} ms (${pair.cold.backend}, ${(pair.cold.bytesToFirstRecs / 1e6).toFixed(2)} MB), warm ${pair.warm.firstRecsMs.toFixed(0)} ms (${pair.warm.embeddingSource})`,
          );
          out.push(pair);
        }
        return out;
      })();
    };
    log('site on the WASM path (no WebGPU adapter)');
    site.wasm = await pairs('none', quick ? 1 : 3, quick ? 3 : 8, (r) => {
      site.ratingsWasm = r;
    });
    log('site with a WebGPU adapter (SwiftShader): the policy, then ?backend=webgpu');
    site.webgpu = await pairs('webgpu', quick ? 1 : 2, 0, () => undefined);
    site.webgpuForced = await pairs(
      'webgpu',
      1,
      3,
      (r) => {
        site.ratingsWebgpu = r;
      },
      '?backend=webgpu',
    );
    log('site on real links (pacing proxy)');
    for (const link of LINKS) {
      for (const gpu of ['none', 'webgpu'] as const) {
        const runs = quick || link.bitsPerSecond < 5e6 || gpu === 'webgpu' ? 1 : 3;
        for (let i = 0; i < runs; i++) {
          const run = await linkRun(siteServer.url, link, gpu);
          logLink(run);
          links.push(run);
        }
      }
    }
  } finally {
    await siteServer.close();
  }

  log('model variants (pipeline/onnx/variant-report.ts on the shipped weights)');
  const variants = runVariantReport(join('public', 'artifacts', 'model.fp32.onnx'));

  const results: BenchResults = {
    startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryBytes: totalmem(),
      chromium,
      node: process.version,
    },
    quick,
    bandwidthGBs,
    graphs,
    site,
    variants,
    links,
    runtimeMs: performance.now() - started,
  };
  writeFileSync(join('bench', 'results.json'), `${JSON.stringify(results, null, 1)}\n`);
  writeFileSync(join('bench', 'RESULTS.md'), renderReport(results));
  log(`wrote bench/results.json and bench/RESULTS.md in ${(results.runtimeMs / 60_000).toFixed(1)} min`);
}

await main();
