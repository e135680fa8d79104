/**
 * Benchmarks of the built site as a visitor meets it, in headless Chromium: a cold first visit (fresh
 * profile: bytes on the wire, time to the first list on screen) and a warm return visit (IndexedDB
 * embeddings and service-worker caches), memory, and ratings — each rating clicked in the recommendation
 * list and timed until the updated top-20 is painted, next to what the reference system does for the same
 * rating (`benchReferenceRating`: rebuild, full forward, score) and a check that both give the same top-20.
 * Node only (playwright-core).
 */
import type { Browser, Page } from 'playwright-core';
import { engineStatus, personalised } from './app-page.ts';
import { type CountingServer, launchBenchBrowser, type ProcessPeak, processPeaks } from './browser.ts';
import type { ReferenceRatingTimings } from './reference-rating.ts';

export interface VisitResult {
  /** Navigation start → first recommendation list on screen (Node wall clock), ms. */
  firstRecsMs: number;
  /** The worker's own start-up to the catalog, and to personal recommendations, ms. */
  catalogMs: number | null;
  initMs: number | null;
  backend: string | null;
  embeddingSource: string | null;
  fullForwardPasses: number;
  lastFullForwardMs: number | null;
  /** Bytes sent by the server until the first list, and until the network settled (service-worker precache). */
  bytesToFirstRecs: number;
  bytesSettled: number;
  requests: string[];
  /** Peak `usedJSHeapSize` of the page, sampled every ~200 ms (dedicated workers do not expose it). */
  pageHeapPeak: number | null;
  /** `performance.measureUserAgentSpecificMemory()` once settled: everything the page and its workers hold. */
  uaMemory: { bytes: number; breakdown: { bytes: number; types: string[]; scopes: string[] }[] } | null;
}

export interface VisitPair {
  cold: VisitResult;
  warm: VisitResult;
  /** Peak RSS of the browser's processes over both visits. */
  processes: ProcessPeak[];
}

export interface RatingSample {
  movieId: number;
  /** Star click → updated top-20 painted (in-page clock), ms. */
  onScreenMs: number;
  /** The worker's exact visitor update and its top-20 scoring, ms. */
  updateMs: number | null;
  scoringMs: number | null;
  reference: ReferenceRatingTimings;
  /** The list on screen equals the reference's top-20 (same ids, same order). */
  sameTop20: boolean;
}

export interface RatingRun {
  backend: string | null;
  /** The first reference call (ORT session creation included). */
  referenceWarmup: ReferenceRatingTimings;
  samples: RatingSample[];
}

const LIST = 'cinesage-recommendation-list li[data-movie-id]';

function sampleHeap(page: Page): { stop(): Promise<number | null> } {
  let pageMax: number | null = null;
  let running = true;
  const loop = (async () => {
    while (running) {
      const p = await page
        .evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize)
        .catch(() => undefined);
      if (typeof p === 'number') pageMax = Math.max(pageMax ?? 0, p);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return pageMax;
    },
  };
}

async function visit(page: Page, url: string, server: CountingServer): Promise<VisitResult> {
  const before = server.bytes();
  const seen = server.requests().length;
  const heap = sampleHeap(page);
  const t0 = performance.now();
  await page.goto(url);
  await page.locator(LIST).first().waitFor({ timeout: 300_000 });
  const firstRecsMs = performance.now() - t0;
  const bytesToFirstRecs = server.bytes() - before;
  // The status once personal recommendations are possible (start-up timings, embeddings, passes).
  await personalised(page);
  const status = await engineStatus(page);
  await page.waitForTimeout(2000);
  const pageHeapPeak = await heap.stop();
  const uaMemory = await page
    .evaluate(async () => {
      const perf = performance as unknown as {
        measureUserAgentSpecificMemory?: () => Promise<{
          bytes: number;
          breakdown: { bytes: number; types: string[]; attribution: { scope: string }[] }[];
        }>;
      };
      if (!globalThis.crossOriginIsolated || !perf.measureUserAgentSpecificMemory) return null;
      const m = await perf.measureUserAgentSpecificMemory();
      return {
        bytes: m.bytes,
        breakdown: m.breakdown
          .filter((b) => b.bytes > 0)
          .map((b) => ({ bytes: b.bytes, types: b.types, scopes: b.attribution.map((a) => a.scope) })),
      };
    })
    .catch(() => null);
  return {
    firstRecsMs,
    catalogMs: status.timings.catalogMs,
    initMs: status.timings.initMs,
    backend: status.backend,
    embeddingSource: status.embeddingSource,
    fullForwardPasses: status.fullForwardPasses,
    lastFullForwardMs: status.timings.lastFullForwardMs,
    bytesToFirstRecs,
    bytesSettled: server.bytes() - before,
    requests: server.requests().slice(seen),
    pageHeapPeak,
    uaMemory,
  };
}

/** A cold first visit in a fresh browser profile, then a warm reload in the same profile. */
export async function coldAndWarm(
  gpu: 'webgpu' | 'none',
  url: string,
  server: CountingServer,
  afterWarm?: (page: Page) => Promise<void>,
): Promise<VisitPair> {
  const browser: Browser = await launchBenchBrowser(gpu);
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const first = await context.newPage();
    const cold = await visit(first, url, server);
    await first.close();
    const second = await context.newPage();
    const warm = await visit(second, url, server);
    if (afterWarm) await afterWarm(second);
    const processes = await processPeaks(browser);
    await context.close();
    return { cold, warm, processes };
  } finally {
    await browser.close();
  }
}

/** The ids on screen, and the first one the visitor has not rated. */
async function listedIds(page: Page): Promise<number[]> {
  return page.locator(LIST).evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-movie-id'))));
}

/** Clicks `stars` on a listed movie and resolves when the changed list has been painted. */
async function rateOnScreen(page: Page, movieId: number, stars: number): Promise<number> {
  return page.evaluate(
    async ([movieId, stars]) => {
      type Listed = HTMLElement & { result: unknown; updateComplete: Promise<boolean> };
      const app = document.querySelector('cinesage-app') as HTMLElement;
      const list = app.shadowRoot?.querySelector('cinesage-recommendation-list') as Listed;
      const root = list.shadowRoot as ShadowRoot;
      const item = root.querySelector(`li[data-movie-id="${movieId}"]`);
      const star = item
        ?.querySelector('cinesage-star-rating')
        ?.shadowRoot?.querySelector<HTMLButtonElement>(`[data-stars="${stars}"]`);
      if (!star) throw new Error(`movie ${movieId} has no ${stars}-star button on screen`);
      const before = list.result;
      const changed = new Promise<void>((resolve) => {
        const observer = new MutationObserver(() => {
          if (list.result === before) return;
          observer.disconnect();
          resolve();
        });
        observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
      });
      const t0 = performance.now();
      star.click();
      await changed;
      await list.updateComplete;
      // After the next frame is painted.
      await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      return performance.now() - t0;
    },
    [movieId, stars] as const,
  );
}

async function reference(page: Page, movieId: number, stars: number): Promise<ReferenceRatingTimings> {
  return page.evaluate(
    ([movieId, stars]) =>
      (
        document.querySelector('cinesage-app') as unknown as {
          client: { call(m: string, ...a: number[]): Promise<ReferenceRatingTimings> };
        }
      ).client.call('benchReferenceRating', movieId, stars),
    [movieId, stars] as const,
  );
}

/**
 * `count` ratings of the top recommendation, 4 stars each: the reference system's work for that rating
 * first (state untouched), then the real click, timed to the painted list.
 */
export async function ratingRun(page: Page, count: number): Promise<RatingRun> {
  const stars = 4;
  // Ratings are timed on the personal path, after the model is in.
  await personalised(page);
  const first = (await listedIds(page))[0];
  const referenceWarmup = await reference(page, first, stars);
  const samples: RatingSample[] = [];
  for (let i = 0; i < count; i++) {
    const movieId = (await listedIds(page))[0];
    const ref = await reference(page, movieId, stars);
    const onScreenMs = await rateOnScreen(page, movieId, stars);
    const status = await engineStatus(page);
    const shown = await listedIds(page);
    samples.push({
      movieId,
      onScreenMs,
      updateMs: status.timings.lastUpdateMs,
      scoringMs: status.timings.lastScoringMs,
      reference: ref,
      sameTop20: shown.length === ref.top.length && shown.every((id, k) => id === ref.top[k]),
    });
  }
  const status = await engineStatus(page);
  return { backend: status.backend, referenceWarmup, samples };
}
