/**
 * Drives the benchmark page (bench/page/) for the forward-pass and scoring figures: one fresh page per
 * graph (the real ML-100K snapshot, then synthetic catalogs), each backend and variant timed after a
 * warm-up, WebGPU skipped with the reason when its estimated time would break the run's budget, then
 * exact vs ANN top-20 on the embeddings that graph's forward produced. Node only (playwright-core).
 */
import type { Browser, Page } from 'playwright-core';
import type { ModelVariant } from '../src/core/model/onnx-contract.ts';
import { BENCH_PAGE_PATH } from './build-page.ts';
import type {
  BenchApi,
  ForwardBackend,
  ForwardResult,
  GraphConfig,
  PreparedGraph,
  ScoringResult,
} from './page/protocol.ts';
import { median } from './stats.ts';

export interface KernelPlan {
  graph: GraphConfig;
  /** [backend, variant] pairs to time; the first WASM one keeps its embeddings for scoring. */
  forwards: [ForwardBackend, ModelVariant][];
  runs: number;
  budgetMs: number;
}

export interface GraphResult {
  graph: PreparedGraph | null;
  error?: string;
  forwards: ForwardResult[];
  scoring: ScoringResult | null;
}

type Call = <K extends keyof BenchApi>(name: K, arg?: Parameters<BenchApi[K]>[0]) => ReturnType<BenchApi[K]>;

async function openBenchPage(browser: Browser, baseUrl: string): Promise<{ page: Page; call: Call }> {
  const page = await browser.newPage();
  await page.goto(new URL(BENCH_PAGE_PATH, baseUrl).href);
  await page.waitForSelector('body[data-ready]');
  const call = ((name: string, arg?: unknown) =>
    page.evaluate(
      ([n, a]) => (window as unknown as { cinesageBench: Record<string, (x: unknown) => unknown> }).cinesageBench[n](a),
      [name, arg] as const,
    )) as Call;
  return { page, call };
}

/** ms per edge of the last WebGPU pass seen, to predict the next graph's. */
let webgpuMsPerEdge: number | null = null;

export async function runKernelPlan(
  browser: Browser,
  baseUrl: string,
  plan: KernelPlan,
  log: (line: string) => void,
): Promise<GraphResult> {
  const { page, call } = await openBenchPage(browser, baseUrl);
  const result: GraphResult = { graph: null, forwards: [], scoring: null };
  try {
    await call('load', new URL('artifacts/', baseUrl).href);
    result.graph = await call('prepare', plan.graph);
    const g = result.graph;
    log(
      `  ${g.name}: ${g.users} users, ${g.items} items, ${g.edges} edges (generated in ${g.generateMs.toFixed(0)} ms)`,
    );
    let kept = false;
    for (const [backend, variant] of plan.forwards) {
      if (backend === 'webgpu' && webgpuMsPerEdge !== null) {
        const estimate = webgpuMsPerEdge * g.edges;
        // A warm-up and one timed run must fit the budget.
        if (2 * estimate > plan.budgetMs) {
          result.forwards.push({
            backend,
            variant,
            ok: false,
            runsMs: [],
            reason: `about ${(estimate / 1000).toFixed(0)} s per pass predicted from the previous graph on this software (SwiftShader) adapter; a warm-up plus one run would exceed the ${(plan.budgetMs / 1000).toFixed(0)} s budget`,
          });
          log(`    ${backend} ${variant}: skipped (estimated ${(estimate / 1000).toFixed(0)} s per pass)`);
          continue;
        }
      }
      const keep = backend === 'wasm' && !kept;
      const r = await call('forward', { backend, variant, runs: plan.runs, budgetMs: plan.budgetMs, keep });
      if (keep && r.ok) kept = true;
      if (backend === 'webgpu' && r.ok && r.runsMs.length > 0) {
        webgpuMsPerEdge = Math.min(...r.runsMs) / g.edges;
      }
      result.forwards.push(r);
      log(
        `    ${backend} ${variant}: ${r.ok ? `first ${r.firstMs?.toFixed(0)} ms, runs ${r.runsMs.map((x) => x.toFixed(0)).join(' ')} ms` : r.reason}`,
      );
    }
    if (!kept) {
      // Scoring needs embeddings of this graph: fall back to the TS forward's.
      const r = await call('forward', { backend: 'ts', variant: 'fp32', runs: 0, budgetMs: 0, keep: true });
      kept = r.ok;
    }
    if (kept) {
      result.scoring = await call('scoring', { queries: 20, repeats: 3, probeFactors: [0.5, 1] });
      const s = result.scoring;
      log(
        `    scoring: exact median ${median(s.exactMs).toFixed(2)} ms; ANN build ${s.ann.buildMs.toFixed(0)} ms, ${s.ann.settings.map((a) => `nprobe ${a.nprobe}: ${median(a.ms).toFixed(2)} ms recall ${a.meanRecall.toFixed(3)}`).join('; ')}`,
      );
    }
  } catch (err) {
    result.error = (err as Error).message.split('\n')[0].slice(0, 300);
    log(`    failed: ${result.error}`);
  } finally {
    await page.close().catch(() => undefined);
  }
  return result;
}

/** Single-thread memory bandwidth of this machine as the page sees it (256 MB TypedArray copies), GB/s. */
export async function measureBandwidth(browser: Browser, baseUrl: string): Promise<number> {
  const { page } = await openBenchPage(browser, baseUrl);
  try {
    return await page.evaluate(() => {
      const n = 64 * 1024 * 1024;
      const a = new Float32Array(n).fill(1);
      const b = new Float32Array(n);
      const rates: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        b.set(a);
        const s = (performance.now() - t) / 1000;
        rates.push((2 * n * 4) / s / 1e9);
      }
      return Math.max(...rates);
    });
  } finally {
    await page.close();
  }
}
