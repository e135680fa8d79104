/**
 * `npm run bench -- --scale [--scale-artifacts DIR]…` (issue #15): the built site on catalogs of different
 * sizes, each through the pacing proxy at 10 Mbit/s / 40 ms from a fresh profile — bytes before the first
 * list, time to the first list and to the first personal list, the worker's and page's memory, and the
 * top-20 scoring time after ratings — written to bench/SCALE.md. Each artifact folder is served as the
 * site's `artifacts/` (the bench site, .cache/bench-site, must be built: `npm run bench` does it). Node only.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { appCall, clickFirst, paintMark } from './app-page.ts';
import { launchBenchBrowser, startCountingServer } from './browser.ts';
import { LINKS, startPacingProxy } from './pacing-proxy.ts';
import { median } from './stats.ts';

export interface ScaleRow {
  label: string;
  counts: { users: number; movies: number; ratings: number } | null;
  /** The files a first visit downloads, gzip bytes (level 6). */
  files: { name: string; bytes: number; gzipBytes: number }[];
  firstListMs: number;
  personalMs: number;
  /** The first personal list scored against the exact embeddings (the same as personalMs when it was). */
  exactMs: number;
  bytesToExact: number;
  /** Top-20 overlap of the first (code-scored) personal list with the exact one; null when it was exact. */
  earlyOverlap: number | null;
  bytesToFirstList: number;
  bytesToPersonal: number;
  /** measureUserAgentSpecificMemory once personal: all of it, and the worker's part. */
  memoryBytes: number | null;
  workerMemoryBytes: number | null;
  /** The worker's top-20 scoring after each of a few ratings, ms. */
  scoringMs: number[];
  embeddingSource: string | null;
  error?: string;
}

const LINK = LINKS[0];

/** The bench site with `artifacts/` pointing at `dir`. */
function siteWith(siteDir: string, dir: string, into: string): string {
  rmSync(into, { recursive: true, force: true });
  mkdirSync(into, { recursive: true });
  for (const name of readdirSync(siteDir)) {
    if (name === 'artifacts') continue;
    cpSync(join(siteDir, name), join(into, name), { recursive: true });
  }
  symlinkSync(resolve(dir), join(into, 'artifacts'));
  return into;
}

async function measure(label: string, siteDir: string, artifacts: string): Promise<ScaleRow> {
  const gzipped = (name: string) => {
    const bytes = readFileSync(join(artifacts, name));
    return { name, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 6 }).length };
  };
  const root = siteWith(siteDir, artifacts, join('.cache', 'scale-site', label.replace(/\W+/g, '-')));
  const server = await startCountingServer(root);
  const proxy = await startPacingProxy(server.url, LINK);
  const browser = await launchBenchBrowser('none');
  const row: ScaleRow = {
    label,
    counts: null,
    firstListMs: Number.NaN,
    personalMs: Number.NaN,
    exactMs: Number.NaN,
    bytesToExact: Number.NaN,
    earlyOverlap: null,
    bytesToFirstList: Number.NaN,
    bytesToPersonal: Number.NaN,
    memoryBytes: null,
    workerMemoryBytes: null,
    files: [],
    scoringMs: [],
    embeddingSource: null,
  };
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(proxy.url);
    const mark = (name: string) => paintMark(page, name, 600_000);
    row.firstListMs = await mark('cinesage:first-list');
    row.bytesToFirstList = proxy.bytes();
    // Clicked on the page, as a visitor would: the list repaints itself.
    await clickFirst(page, 4);
    row.personalMs = await mark('cinesage:first-personal-list');
    row.bytesToPersonal = proxy.bytes();
    type Listed = { items: { movieId: number }[]; approximate?: boolean };
    const early = await appCall<Listed>(page, 'recommend', { n: 20 });
    row.exactMs = await mark('cinesage:exact-personal-list');
    row.bytesToExact = proxy.bytes();
    if (early.approximate) {
      const exact = new Set((await appCall<Listed>(page, 'recommend', { n: 20 })).items.map((i) => i.movieId));
      row.earlyOverlap = early.items.filter((i) => exact.has(i.movieId)).length / exact.size;
    }
    type Timed = { status: { timings: { lastScoringMs: number } } };
    for (let i = 0; i < 5; i++) {
      const list = await appCall<{ items: { movieId: number }[] }>(page, 'recommend', { n: 20 });
      const view = await appCall<Timed>(page, 'rate', list.items[0].movieId, 4);
      row.scoringMs.push(view.status.timings.lastScoringMs);
    }
    const status = await appCall<{
      counts: ScaleRow['counts'];
      embeddingSource: string | null;
      artifacts: { name: string }[];
    }>(page, 'status');
    row.counts = status.counts;
    row.files = status.artifacts.map((a) => gzipped(a.name));
    row.embeddingSource = status.embeddingSource;
    const memory = await page.evaluate(async () => {
      const perf = performance as unknown as {
        measureUserAgentSpecificMemory?: () => Promise<{
          bytes: number;
          breakdown: { bytes: number; attribution: { scope: string }[] }[];
        }>;
      };
      if (!globalThis.crossOriginIsolated || !perf.measureUserAgentSpecificMemory) return null;
      const m = await perf.measureUserAgentSpecificMemory();
      const worker = m.breakdown
        .filter((b) => b.attribution.some((a) => a.scope === 'DedicatedWorkerGlobalScope'))
        .reduce((s, b) => s + b.bytes, 0);
      return { all: m.bytes, worker };
    });
    row.memoryBytes = memory?.all ?? null;
    row.workerMemoryBytes = memory?.worker ?? null;
    await context.close();
  } catch (err) {
    row.error = (err as Error).message.split('\n')[0];
  } finally {
    await browser.close();
    await proxy.close();
    await server.close();
  }
  return row;
}

const mb = (b: number | null) => (b == null || !Number.isFinite(b) ? '—' : `${(b / 1e6).toFixed(2)} MB`);
const sec = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '—');

export function renderScale(rows: ScaleRow[]): string {
  const lines = [
    '# CineSage at catalog scale',
    '',
    `Generated by \`npm run bench -- --scale\` (bench/scale.ts) on ${new Date().toISOString().slice(0, 10)}. Each catalog's built site through the pacing proxy at ${LINK.name}, fresh profile, no WebGPU adapter, one run each: the app's paint marks for the first list, the first personal list (4 stars clicked on the first listed movie as soon as the first list shows; scored against the serving snapshot's 6-bit codes while the rest of the file downloads) and the first exact personal list, the bytes sent before each, the top-20 overlap of the code-scored list with the exact one, all page + worker memory once personal (measureUserAgentSpecificMemory, cross-origin isolated), and the worker's top-20 scoring time over five more ratings (median).`,
    '',
    '| catalog | users / movies / ratings | files the visitor path used, gzip | first list | bytes before it | first personal list | bytes before it | exact personal list | bytes before it | code-scored top-20 overlap | memory: all / worker | top-20 scoring | embeddings |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const c = r.counts;
    lines.push(
      `| ${r.label} | ${c ? `${c.users.toLocaleString('en-US')} / ${c.movies.toLocaleString('en-US')} / ${c.ratings.toLocaleString('en-US')}` : '—'} | ${r.files.map((f) => `${f.name} ${mb(f.gzipBytes)}`).join(', ')} | ${sec(r.firstListMs)} | ${mb(r.bytesToFirstList)} | ${sec(r.personalMs)} | ${mb(r.bytesToPersonal)} | ${sec(r.exactMs)} | ${mb(r.bytesToExact)} | ${r.earlyOverlap === null ? 'exact from the start' : r.earlyOverlap.toFixed(2)} | ${mb(r.memoryBytes)} / ${mb(r.workerMemoryBytes)} | ${r.scoringMs.length ? `${median(r.scoringMs).toFixed(2)} ms` : '—'} | ${r.embeddingSource ?? '—'}${r.error ? ` — **failed**: ${r.error}` : ''} |`,
    );
  }
  lines.push(
    '',
    "To reproduce the ML-32M-shaped row: `npm run data -- synthesize --shape ml-32m --out DATA`, then `npm run artifacts -- --data DATA --format ml-latest --out ARTIFACTS` (sampled training, 30-minute budget; docs/scaling.md has the build's time and memory), then `npm run bench -- --scale ml-32m=ARTIFACTS`. Bars of issue #15 for that row: serving snapshot (+ model, no longer on the visitor path) ≤ 25 MB gzip, first list ≤ 4 s, first personal list ≤ 6 s, worker memory ≤ 300 MB, top-20 ≤ 10 ms.",
  );
  return `${lines.join('\n')}\n`;
}

/** Measures each `label=DIR` artifact folder and writes bench/SCALE.md. */
export async function runScale(sets: { label: string; dir: string }[], log: (l: string) => void): Promise<ScaleRow[]> {
  const siteDir = join('.cache', 'bench-site');
  if (!existsSync(join(siteDir, 'index.html')))
    throw new Error('build the bench site first (npm run bench -- --links)');
  const rows: ScaleRow[] = [];
  for (const { label, dir } of sets) {
    if (!statSync(dir).isDirectory()) throw new Error(`${dir} is not an artifacts folder`);
    log(`scale: ${label} (${dir})`);
    const row = await measure(label, siteDir, dir);
    log(
      `  first list ${sec(row.firstListMs)} (${mb(row.bytesToFirstList)}), personal ${sec(row.personalMs)} (${mb(row.bytesToPersonal)}), memory ${mb(row.memoryBytes)}, scoring ${row.scoringMs.map((x) => x.toFixed(2)).join(' ')} ms${row.error ? `, failed: ${row.error}` : ''}`,
    );
    rows.push(row);
  }
  writeFileSync(join('bench', 'SCALE.md'), renderScale(rows));
  return rows;
}
