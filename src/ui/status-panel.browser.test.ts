/** The status panel: the engine's state, backend, timings, embeddings, offline readiness and storage, in words. */
import { expect, test } from 'vitest';
import type { EngineStatus } from '../core/api.ts';
import type { StatusPanel } from './status-panel.ts';
import './status-panel.ts';

const STATUS: EngineStatus = {
  state: 'ready',
  reason: null,
  errorName: null,
  backend: 'wasm',
  backendReason: 'no WebGPU adapter in this browser',
  modelVariant: 'int8',
  dataset: 'ml-100k',
  artifacts: [{ name: 'model.onnx', size: 2048, sha256: '0123456789abcdef' }],
  counts: { users: 943, movies: 1682, ratings: 100000 },
  embeddingSource: 'indexeddb',
  fullForwardPasses: 1,
  timings: {
    catalogMs: 310.2,
    personalMs: 900.1,
    initMs: 1234.4,
    lastFullForwardMs: null,
    lastUpdateMs: 4.25,
    lastScoringMs: 0.5,
  },
  storage: { mode: 'indexeddb', reason: null, usageBytes: 3 * 1024 * 1024 },
  visitorRatings: 3,
  ratingStep: 1,
  artifactsChanged: false,
};

async function mount(status: EngineStatus | null, offlineReady: boolean | null = null) {
  const el = document.createElement('cinesage-status-panel');
  el.status = status;
  el.offlineReady = offlineReady;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const root = (el: StatusPanel) => el.shadowRoot as ShadowRoot;
/** The definition list as term → text pairs. */
const rows = (el: StatusPanel) =>
  Object.fromEntries(
    [...root(el).querySelectorAll('dt')].map((dt) => [
      dt.textContent,
      dt.nextElementSibling?.textContent?.replace(/\s+/g, ' ').trim(),
    ]),
  );

test('without a status it says it is starting, and has no panel part', async () => {
  const el = await mount(null);
  expect(root(el).querySelector('h2')?.textContent).toBe('Status');
  expect(root(el).textContent).toContain('Starting…');
  expect(root(el).querySelector('[part=panel]')).toBeNull();
  el.remove();
});

test('a ready engine in plain words: backend and why, model, artifacts, catalog size, embeddings, timings, storage', async () => {
  const el = await mount(STATUS, true);
  expect(root(el).querySelector('[part=panel]')?.tagName).toBe('DL');
  expect(rows(el)).toEqual({
    State: 'Ready',
    'Runs on': 'WebAssembly (processor) (no WebGPU adapter in this browser)',
    Model: 'int8 weights · ml-100k',
    Artifacts: 'model.onnx 2.0 KB 0123456789',
    Catalog: '1,682 movies and 100,000 ratings by 943 users · whole stars (1–5)',
    Embeddings: 'loaded from this device (no forward pass needed) · 1 full pass so far',
    'Last full pass': '—',
    'Last update': '4.3 ms (your embedding after a rating)',
    'Last scoring': '500 µs',
    'Start-up': 'catalog 310 ms · personal recommendations 1234 ms',
    Offline: 'ready: works without a network',
    Storage: 'saved on this device · 3.00 MB used',
  });
  el.remove();
});

test('a degraded engine: the reason, WebGPU, computed embeddings, memory-only storage, not yet offline', async () => {
  const el = await mount(
    {
      ...STATUS,
      state: 'degraded',
      reason: 'ratings are kept in memory only',
      backend: 'webgpu',
      backendReason: null,
      embeddingSource: 'computed',
      fullForwardPasses: 2,
      storage: { mode: 'memory', reason: 'IndexedDB is not available in private windows', usageBytes: null },
    },
    false,
  );
  const r = rows(el);
  expect(r.State).toBe('Working, with a limitation — ratings are kept in memory only');
  expect(r['Runs on']).toBe('WebGPU (graphics processor)');
  expect(r.Embeddings).toBe('computed by a full forward pass · 2 full passes so far');
  expect(r.Offline).toBe('not yet cached');
  expect(r.Storage).toBe('in memory only IndexedDB is not available in private windows');
  expect(root(el).querySelector('[data-field=storage] strong')?.textContent).toBe('in memory only');
  el.offlineReady = null;
  el.status = { ...STATUS, state: 'error', reason: 'the model file is damaged' };
  await el.updateComplete;
  expect(rows(el).State).toBe('Stopped by an error — the model file is damaged');
  expect(rows(el).Offline).toBe('—');
  el.remove();
});

test('while personalising: popular movies for now, shipped embeddings, and a runtime never downloaded', async () => {
  const el = await mount(
    {
      ...STATUS,
      state: 'personalising',
      reason: 'Your personal recommendations are on their way.',
      backendReason: 'WebAssembly: at 100,000 ratings it is faster end to end than WebGPU',
      embeddingSource: 'shipped',
      fullForwardPasses: 0,
    },
    null,
  );
  const r = rows(el);
  expect(r.State).toBe('Showing popular movies — Your personal recommendations are on their way.');
  expect(r['Runs on']).toBe(
    'WebAssembly (processor) (WebAssembly: at 100,000 ratings it is faster end to end than WebGPU) Not downloaded: nothing has needed a full pass on this device yet.',
  );
  expect(r.Embeddings).toBe(
    'shipped with the site, verified against the model (no forward pass needed) · 0 full passes so far',
  );
  el.status = { ...el.status, state: 'ready', embeddingSource: 'codes' } as typeof el.status;
  await el.updateComplete;
  expect(rows(el).Embeddings).toBe(
    'compact codes for now (lists close to exact); the exact embeddings are still downloading · 0 full passes so far',
  );
  el.remove();
});

test('the catalog in plain words: its size and star scale for any data set, "—" before it is known', async () => {
  const el = await mount({
    ...STATUS,
    dataset: 'ml-latest-small',
    counts: { users: 610, movies: 9742, ratings: 100836 },
    ratingStep: 0.5,
  });
  expect(rows(el).Model).toBe('int8 weights · ml-latest-small');
  expect(rows(el).Catalog).toBe('9,742 movies and 100,836 ratings by 610 users · half stars (0.5–5)');
  el.status = { ...STATUS, counts: { users: 1, movies: 1, ratings: 1 }, ratingStep: null };
  await el.updateComplete;
  expect(root(el).querySelector('[data-field=catalog]')?.textContent).toBe('1 movie and 1 rating by 1 user');
  el.status = { ...STATUS, state: 'loading', counts: null };
  await el.updateComplete;
  expect(rows(el).Catalog).toBe('—');
  el.remove();
});
