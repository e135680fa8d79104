/**
 * The site on real links: a fresh browser profile opens the built site through the pacing proxy
 * (bench/pacing-proxy.ts), with and without a WebGPU adapter. Timed from `page.goto`: the first list on
 * screen, and the first personal list — on the cold visit a rating is clicked as soon as the first list
 * shows; the warm visit (same profile, the rating stored) shows it as soon as the model is in. Node only.
 */
import type { Page } from 'playwright-core';
import type { GpuMode } from '../scripts/chromium.ts';
import { clickFirst, engineStatus, paintMark } from './app-page.ts';
import { launchBenchBrowser } from './browser.ts';
import { type Link, startPacingProxy } from './pacing-proxy.ts';

export interface LinkVisit {
  /** Navigation start → first list painted (the app's `cinesage:first-list` mark, page clock), ms. */
  firstListMs: number;
  /** Navigation start → first personal list painted (`cinesage:first-personal-list`), ms. */
  personalMs: number;
  /** The same two moments as Node saw them (page.goto → the list noticed by Playwright), ms. */
  seenFirstListMs: number;
  seenPersonalMs: number;
  bytesToFirstList: number;
  bytesToPersonal: number;
  embeddingSource: string | null;
  backend: string | null;
  /** Requests made before the first list was on screen. */
  requestsToFirstList: string[];
}

export interface LinkRun {
  link: Link;
  gpu: GpuMode;
  cold: LinkVisit;
  warm: LinkVisit;
}

const LIST = 'cinesage-recommendation-list li[data-movie-id]';

/** Resolves when the list on screen is a personal one (neither the popular fallback nor "on its way"). */
async function personalShown(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const app = document.querySelector('cinesage-app') as
        | (HTMLElement & { result: { popularFallback: boolean; personalising?: boolean } | null })
        | null;
      const r = app?.result;
      return r != null && !r.popularFallback && !r.personalising;
    },
    undefined,
    { timeout: 300_000, polling: 'raf' },
  );
}

async function visit(
  page: Page,
  url: string,
  proxy: { bytes(): number; requests(): string[] },
  rate: boolean,
): Promise<LinkVisit> {
  const bytes0 = proxy.bytes();
  const seen = proxy.requests().length;
  const t0 = performance.now();
  await page.goto(url);
  await page.locator(LIST).first().waitFor({ timeout: 300_000 });
  const seenFirstListMs = performance.now() - t0;
  const bytesToFirstList = proxy.bytes() - bytes0;
  const requestsToFirstList = proxy.requests().slice(seen);
  if (rate) await clickFirst(page, 4);
  await personalShown(page);
  const seenPersonalMs = performance.now() - t0;
  const firstListMs = await paintMark(page, 'cinesage:first-list');
  const personalMs = await paintMark(page, 'cinesage:first-personal-list');
  const bytesToPersonal = proxy.bytes() - bytes0;
  const status = await engineStatus(page);
  return {
    firstListMs,
    personalMs,
    seenFirstListMs,
    seenPersonalMs,
    bytesToFirstList,
    bytesToPersonal,
    embeddingSource: status.embeddingSource,
    backend: status.backend,
    requestsToFirstList,
  };
}

/** One cold visit (fresh profile, a rating clicked at the first list) and one warm return, through `link`. */
export async function linkRun(siteUrl: string, link: Link, gpu: GpuMode): Promise<LinkRun> {
  const proxy = await startPacingProxy(siteUrl, link);
  const browser = await launchBenchBrowser(gpu);
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const first = await context.newPage();
    const cold = await visit(first, proxy.url, proxy, true);
    // Let the background work (service worker precache) finish before the return visit, as a visitor would.
    await first.waitForTimeout(1000);
    await first
      .waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 120_000 })
      .catch(() => undefined);
    await first.close();
    const second = await context.newPage();
    const warm = await visit(second, proxy.url, proxy, false);
    await context.close();
    return { link, gpu, cold, warm };
  } finally {
    await browser.close();
    await proxy.close();
  }
}
