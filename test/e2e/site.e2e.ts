/**
 * The site as a visitor meets it: the production build in headless Chromium under a strict CSP, first visit
 * to first recommendations, five ratings that each change the list, a reload without a forward pass, an
 * offline reload, the WebGPU and WASM paths, a refused malformed import, and a phone-sized screen.
 * Screenshots of the main states go to docs/screenshots/ (used by the README).
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { launchChromium, screenshotPath } from './browser.ts';
import { listSettled, openSite, rateBySearch, recommendedIds } from './site-page.ts';

const RATE = ['Star Wars', 'Fargo', 'Godfather', 'Pulp Fiction', 'Toy Story'];

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource.*favicon/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return errors;
}

const statusField = (page: Page, field: string) =>
  page.locator(`cinesage-status-panel [data-field="${field}"]`).innerText();

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium('none');
});
afterAll(async () => {
  await browser?.close();
});

describe('a visitor on the WASM path', () => {
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await context?.close();
  });

  test('first visit: popular movies with the reason said, then shipped embeddings and no runtime download', async () => {
    page = await context.newPage();
    errors = watchErrors(page);
    await page.goto(inject('siteUrl'));
    await expect(page.title()).resolves.toContain('CineSage');
    await page.locator('cinesage-recommendation-list li').first().waitFor({ timeout: 120_000 });
    // The popular list is on screen first ("on its way" while the model loads), then stays for a visitor
    // with no ratings.
    await expect(page.locator('cinesage-recommendation-list [role="status"]').innerText()).resolves.toMatch(
      /Your personal list is on its way|No ratings yet, so these are the most popular movies/,
    );
    await listSettled(page);
    await expect(page.locator('cinesage-recommendation-list [role="status"]').innerText()).resolves.toMatch(
      /No ratings yet, so these are the most popular movies/,
    );
    await expect
      .poll(() => statusField(page, 'embeddings'), { timeout: 60_000 })
      .toMatch(/shipped with the site, verified against the model.*0 full passes/s);
    await expect(statusField(page, 'backend')).resolves.toMatch(
      /WebAssembly.*Not downloaded: nothing has needed a full pass/s,
    );
    await expect(statusField(page, 'startup')).resolves.toMatch(
      /catalog [\d.]+ m?s · personal recommendations [\d.]+ m?s/,
    );
    await page.screenshot({ path: screenshotPath('first-visit.png') });
    expect(errors).toEqual([]);
  });

  test('rating five movies changes the recommendations each time, without a reload', async () => {
    let previous = await recommendedIds(page);
    const navigations: string[] = [];
    page.on('framenavigated', (f) => navigations.push(f.url()));
    for (const [i, title] of RATE.entries()) {
      await rateBySearch(page, title, i === 4 ? 2 : 5);
      await expect
        .poll(async () => (await recommendedIds(page)).join(','), { timeout: 10_000 })
        .not.toBe(previous.join(','));
      previous = await recommendedIds(page);
      await expect(page.locator('cinesage-profile-panel h2').innerText()).resolves.toContain(`Your ratings (${i + 1})`);
    }
    expect(navigations).toEqual([]);
    await expect(page.locator('cinesage-recommendation-list [role="status"]').innerText()).resolves.toMatch(
      /20 recommendations for you/,
    );
    await expect(page.locator('cinesage-recommendation-list ol').innerText()).resolves.toMatch(/Because you rated/);
    await page.screenshot({ path: screenshotPath('recommendations.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  test('stars are keyboard operable: arrows change a rating, Delete removes it', async () => {
    const group = page.getByRole('radiogroup', { name: /Your rating for Toy Story/ }).first();
    await group.getByRole('radio', { checked: true }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => group.getByRole('radio', { name: /^3 stars/ }).getAttribute('aria-checked')).toBe('true');
    await page.keyboard.press('Delete');
    await expect.poll(async () => page.locator('cinesage-profile-panel h2').innerText()).toContain('Your ratings (4)');
    await rateBySearch(page, 'Toy Story', 2);
    await expect.poll(async () => page.locator('cinesage-profile-panel h2').innerText()).toContain('Your ratings (5)');
  });

  test('a reload keeps the ratings and shows recommendations without a forward pass', async () => {
    const before = await recommendedIds(page);
    await page.reload();
    await listSettled(page);
    await expect(page.locator('cinesage-profile-panel h2').innerText()).resolves.toContain('Your ratings (5)');
    expect(await recommendedIds(page)).toEqual(before);
    await expect(statusField(page, 'embeddings')).resolves.toMatch(/shipped with the site.*0 full passes/s);
  });

  test('a malformed import is refused and the profile is unchanged', async () => {
    const before = await recommendedIds(page);
    const bad = join(tmpdir(), `cinesage-bad-${Date.now()}.json`);
    writeFileSync(bad, '[{"movieId": 50, "rating": 9}]');
    await page.locator('cinesage-profile-panel input[type=file]').setInputFiles(bad);
    const alert = page.locator('cinesage-profile-panel [role="alert"]');
    await alert.waitFor();
    await expect(alert.innerText()).resolves.toMatch(
      /was not imported: Entry 1 \(movie 50\): the rating 9 is outside 1–5 stars\. Your current ratings are unchanged\./,
    );
    await expect(page.locator('cinesage-profile-panel h2').innerText()).resolves.toContain('Your ratings (5)');
    expect(await recommendedIds(page)).toEqual(before);
  });

  test('after the first visit, a reload with the network off works fully', async () => {
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    const before = await recommendedIds(page);
    await context.setOffline(true);
    try {
      await page.reload();
      await listSettled(page);
      expect(await recommendedIds(page)).toEqual(before);
      await rateBySearch(page, 'Casablanca', 5);
      await expect.poll(async () => (await recommendedIds(page)).join(',')).not.toBe(before.join(','));
      await expect(statusField(page, 'offline')).resolves.toMatch(/works without a network/);
    } finally {
      await context.setOffline(false);
    }
  });
});

test('with a WebGPU adapter, ML-100K still runs on WASM by the policy; ?backend=webgpu forces WebGPU and says so', async () => {
  const gpuBrowser = await launchChromium('webgpu');
  try {
    const fresh = () => gpuBrowser.newContext({ viewport: { width: 1280, height: 900 } });
    const auto = await openSite(await fresh());
    await expect
      .poll(() => statusField(auto, 'backend'), { timeout: 60_000 })
      .toMatch(/^WebAssembly \(processor\).*at 100,000 ratings it is faster end to end than WebGPU/s);
    await auto.context().close();
    // A fresh profile, so the pass is not skipped for embeddings stored by the page above.
    const page = await openSite(await fresh(), '?backend=webgpu');
    const errors = watchErrors(page);
    await expect
      .poll(() => statusField(page, 'embeddings'), { timeout: 120_000 })
      .toMatch(/computed by a full forward pass · 1 full pass/);
    await expect(statusField(page, 'backend')).resolves.toMatch(/^WebGPU \(graphics processor\).*as requested/s);
    const before = await recommendedIds(page);
    await rateBySearch(page, 'Star Wars', 5);
    await expect.poll(async () => (await recommendedIds(page)).join(',')).not.toBe(before.join(','));
    await page.locator('cinesage-status-panel').scrollIntoViewIfNeeded();
    await page.locator('cinesage-status-panel').screenshot({ path: screenshotPath('status-webgpu.png') });
    expect(errors).toEqual([]);
  } finally {
    await gpuBrowser.close();
  }
});

test('one visit is enough for offline: the service worker, registered after the first personal list, and the worker’s caches', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await openSite(context);
    await rateBySearch(page, 'Casablanca', 5);
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 60_000 })
      .toBe(true);
    const before = await recommendedIds(page);
    await context.setOffline(true);
    await page.reload();
    await listSettled(page);
    expect(await recommendedIds(page)).toEqual(before);
    await rateBySearch(page, 'Fargo', 5);
    await expect.poll(async () => (await recommendedIds(page)).join(',')).not.toBe(before.join(','));
    await expect(statusField(page, 'embeddings')).resolves.toMatch(/shipped with the site.*0 full passes/s);
  } finally {
    await context.close();
  }
});

test('a phone-sized screen shows everything in one column without sideways scrolling', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 }, isMobile: true });
  const page = await openSite(context, '?backend=wasm');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: screenshotPath('phone.png') });
  await context.close();
});

test('with the storage quota exhausted, the site keeps working in memory and says so', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  // A real quota limit for this origin (the artifacts' Cache API copy already does not fit)…
  await cdp.send('Storage.overrideQuotaForOrigin', {
    origin: new URL(inject('siteUrl')).origin,
    quotaSize: 256 * 1024,
  });
  await page.goto(inject('siteUrl'));
  await listSettled(page);
  await expect(statusField(page, 'storage')).resolves.toMatch(/saved on this device/);
  // …then filled by other data of the origin until IndexedDB refuses: the visitor's next write fails.
  const filled = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('quota-filler', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('blobs');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    for (let i = 0; i < 2000; i++) {
      const error = await new Promise<string | null>((resolve) => {
        const tx = db.transaction('blobs', 'readwrite');
        tx.objectStore('blobs').put(crypto.getRandomValues(new Uint8Array(16 * 1024)), i);
        tx.oncomplete = () => resolve(null);
        tx.onabort = () => resolve(tx.error?.name ?? 'aborted');
      });
      if (error) return error;
    }
    return 'never full';
  });
  expect(filled).toBe('QuotaExceededError');
  const before = await recommendedIds(page);
  await rateBySearch(page, 'Star Wars', 5);
  const alert = page.locator('cinesage-app p.banner[role="alert"]');
  await alert.waitFor({ timeout: 30_000 });
  await expect(alert.innerText()).resolves.toMatch(/no storage space left.*kept only until you close the page/);
  await expect(statusField(page, 'storage')).resolves.toMatch(/in memory only/);
  // The rating that could not be stored is kept and counted, and the list follows it.
  await expect.poll(async () => (await recommendedIds(page)).join(',')).not.toBe(before.join(','));
  await expect(page.locator('cinesage-profile-panel h2').innerText()).resolves.toContain('Your ratings (1)');
  await rateBySearch(page, 'Fargo', 4);
  await expect.poll(() => page.locator('cinesage-profile-panel h2').innerText()).toContain('Your ratings (2)');
  await context.close();
});
