/**
 * The benchmark page's entry: installs the benchmark API (bench/forward-bench.ts), reading artifacts over
 * fetch, on `window.cinesageBench` for bench/run.ts to drive (see protocol.ts), and marks the page ready.
 */
import { createBenchApi } from '../forward-bench.ts';
import type { BenchApi } from './protocol.ts';

const api = createBenchApi(async (name, artifactsUrl) => {
  const res = await fetch(new URL(name, artifactsUrl));
  if (!res.ok) throw new Error(`${name}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
});

(window as unknown as { cinesageBench: BenchApi }).cinesageBench = api;
document.body.dataset.ready = 'true';
