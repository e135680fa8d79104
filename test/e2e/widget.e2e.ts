/**
 * The embeddable widget as another site sees it: the host page on one 127.0.0.1 port, widget.js, its
 * worker, the wasm and the artifacts on another (CORS). Two widgets share one worker and one profile, a
 * rating inside a widget updates both, a hostile host stylesheet changes nothing inside, storage is
 * namespaced, and a second visit needs no artifact download (Cache API, no service worker of its own).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type RunningServer, startStaticServer } from '../../scripts/static-server.ts';
import { startWidgetDemo } from '../../scripts/widget-demo.ts';
import { launchChromium, screenshotPath } from './browser.ts';
import { widgetsSettled } from './site-page.ts';

let browser: Browser;
let widget: RunningServer;
let host: RunningServer;
let plainHost: RunningServer;

beforeAll(async () => {
  ({ widget, host } = await startWidgetDemo());
  // The same widget from the same origin on a page without the hostile stylesheet, to compare styles.
  const dir = mkdtempSync(join(tmpdir(), 'cinesage-plain-host-'));
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><html><body><cinesage-recommender id="first" count="8" layout="full"></cinesage-recommender>
      <script type="module" src="${widget.url}widget.js"></script></body></html>`,
  );
  plainHost = await startStaticServer({ root: dir });
  browser = await launchChromium('none');
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([widget?.close(), host?.close(), plainHost?.close()]);
});

const items = (page: Page, id: string) =>
  page
    .locator(`#${id} cinesage-recommendation-list li[data-movie-id]`)
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-movie-id')));

/** Computed styles of a few elements deep inside the widget. */
const innerStyles = (page: Page) =>
  page.evaluate(() => {
    const w = document.querySelector('#first') as HTMLElement & { shadowRoot: ShadowRoot };
    const frame = w.shadowRoot.querySelector('.frame') as HTMLElement;
    const list = w.shadowRoot.querySelector('cinesage-recommendation-list') as HTMLElement & { shadowRoot: ShadowRoot };
    const title = list.shadowRoot.querySelector('.title') as HTMLElement;
    const pick = (el: Element) => {
      const s = getComputedStyle(el);
      return [s.color, s.fontFamily, s.fontSize, s.letterSpacing, s.textTransform, s.borderTopStyle, s.lineHeight].join(
        '|',
      );
    };
    return { frame: pick(frame), title: pick(title) };
  });

test('two widgets from another origin start, recommend, and update together after a rating', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(host.url);
  expect(new URL(host.url).port).not.toBe(new URL(widget.url).port);
  await page.locator('#first cinesage-recommendation-list li').first().waitFor({ timeout: 120_000 });
  await page.locator('#second cinesage-recommendation-list li').first().waitFor({ timeout: 60_000 });
  await widgetsSettled(page);
  expect(await items(page, 'first')).toHaveLength(8);
  expect(await items(page, 'second')).toHaveLength(5);

  const before = await items(page, 'first');
  await page.locator('#first').getByRole('searchbox').fill('Star Wars');
  const row = page.locator('#first cinesage-movie-picker li').filter({ hasText: 'Star Wars' }).first();
  await row.getByRole('radio', { name: /^5 stars for/ }).click();
  await expect.poll(async () => (await items(page, 'first')).join(',')).not.toBe(before.join(','));
  await expect
    .poll(async () => (await items(page, 'second')).join(','))
    .toBe((await items(page, 'first')).slice(0, 5).join(','));

  const events = await page.evaluate(
    () => (window as unknown as { widgetEvents: { type: string; id: string }[] }).widgetEvents,
  );
  const types = new Set(events.map((e) => e.type));
  expect(types).toEqual(new Set(['cinesage-progress', 'cinesage-ready', 'cinesage-recommendations']));
  expect(await page.evaluate(() => customElements.get('cinesage-recommender') !== undefined)).toBe(true);

  const dbs = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  expect(dbs).toContain('cinesage-widget');
  expect(dbs).not.toContain('cinesage');
  expect(errors).toEqual([]);
  await page.screenshot({ path: screenshotPath('widget.png') });

  // Second visit: the artifacts come from the Cache API, not the network.
  const second = await context.newPage();
  const artifactRequests: string[] = [];
  context.on('request', (r) => {
    if (/\.(bin|onnx)(\?|$)/.test(r.url())) artifactRequests.push(r.url());
  });
  await second.goto(host.url);
  await second.locator('#first cinesage-recommendation-list li').first().waitFor({ timeout: 60_000 });
  const cached = await second.evaluate(() =>
    (
      window as unknown as { widgetEvents: { type: string; detail: { phase: string; cached?: boolean } }[] }
    ).widgetEvents
      .filter((e) => e.type === 'cinesage-progress' && e.detail.phase === 'download')
      .every((e) => e.detail.cached === true),
  );
  expect(cached).toBe(true);
  expect(artifactRequests).toEqual([]);
  await context.close();
});

test('a hostile host stylesheet does not change the widget, and the widget does not restyle the host', async () => {
  const styles: Record<string, { frame: string; title: string }> = {};
  const hostParagraph: Record<string, string> = {};
  for (const [name, url] of [
    ['hostile', host.url],
    ['plain', plainHost.url],
  ] as const) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await page.goto(url);
    await page.locator('#first cinesage-recommendation-list li').first().waitFor({ timeout: 120_000 });
    styles[name] = await innerStyles(page);
    if (name === 'hostile') {
      hostParagraph[name] = await page.locator('p.article').evaluate((p) => getComputedStyle(p).fontFamily);
    }
    await context.close();
  }
  expect(styles.hostile).toEqual(styles.plain);
  expect(hostParagraph.hostile).toMatch(/Courier New/);
});

test('the worker starts only when a widget becomes visible', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cinesage-lazy-host-'));
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><html><body><div style="height: 3000px">Scroll down for recommendations</div>
      <cinesage-recommender id="first"></cinesage-recommender>
      <script type="module" src="${widget.url}widget.js"></script></body></html>`,
  );
  const lazyHost = await startStaticServer({ root: dir });
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  try {
    const page = await context.newPage();
    await page.goto(lazyHost.url);
    await page.waitForFunction(() => customElements.get('cinesage-recommender') !== undefined);
    await page.waitForTimeout(500);
    expect(page.workers()).toHaveLength(0);
    await page.locator('#first').scrollIntoViewIfNeeded();
    await page.locator('#first cinesage-recommendation-list li').first().waitFor({ timeout: 120_000 });
    expect(page.workers()).toHaveLength(1);
  } finally {
    await context.close();
    await lazyHost.close();
  }
});
