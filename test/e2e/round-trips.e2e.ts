/**
 * One user action, one round trip: a rating on the site, and a rating in a widget on another origin (two
 * widgets sharing one worker on the page), each send exactly one message to the inference worker — the
 * rating's answer carries the ratings, the new list and the status the page repaints from. Counted on the
 * page by wrapping `Worker.prototype.postMessage` before any of the page's scripts run.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { RunningServer } from '../../scripts/static-server.ts';
import { startWidgetDemo } from '../../scripts/widget-demo.ts';
import { launchChromium } from './browser.ts';
import { listSettled, widgetsSettled } from './site-page.ts';

let browser: Browser;
let widget: RunningServer;
let host: RunningServer;

beforeAll(async () => {
  ({ widget, host } = await startWidgetDemo());
  browser = await launchChromium('none');
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([widget?.close(), host?.close()]);
});

/** A context whose pages record every message posted to a worker (the comlink call's method path). */
async function countingContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  await context.addInitScript(() => {
    const sent: string[] = [];
    (window as unknown as { workerMessages: string[] }).workerMessages = sent;
    const proto = Worker.prototype as unknown as { postMessage: (...args: unknown[]) => void };
    const post = proto.postMessage;
    proto.postMessage = function (this: Worker, ...args: unknown[]) {
      const message = args[0] as { type?: string; path?: string[] } | null;
      sent.push(message?.path?.join('.') || message?.type || 'message');
      post.apply(this, args);
    };
  });
  return context;
}

const messages = (page: Page) =>
  page.evaluate(() => [...(window as unknown as { workerMessages: string[] }).workerMessages]);
const resetMessages = (page: Page) =>
  page.evaluate(() => {
    (window as unknown as { workerMessages: string[] }).workerMessages.length = 0;
  });

const listed = (page: Page, scope: string) =>
  page
    .locator(`${scope} cinesage-recommendation-list li[data-movie-id]`)
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-movie-id')).join(','));

/** Clicks "stars" on the first row of `scope`'s picker that shows `title`, and counts the messages it costs. */
async function countRating(page: Page, scope: string, title: string, stars: number): Promise<string[]> {
  await page.locator(`${scope} cinesage-movie-picker`).getByRole('searchbox').fill(title);
  const row = page.locator(`${scope} cinesage-movie-picker li`).filter({ hasText: title }).first();
  await row.waitFor();
  // Let the search's own calls settle before counting.
  await page.waitForTimeout(500);
  const before = await listed(page, scope);
  await resetMessages(page);
  await row.getByRole('radio', { name: new RegExp(`^${stars} stars? for `) }).click();
  await expect.poll(() => listed(page, scope)).not.toBe(before);
  // Anything a rating still sends after the list changed (a status refresh, a second refresh) arrives now.
  await page.waitForTimeout(1000);
  return messages(page);
}

test('a rating on the site sends one message to the worker', async () => {
  const context = await countingContext();
  const page = await context.newPage();
  await page.goto(inject('siteUrl'));
  await listSettled(page);
  const sent = await countRating(page, '', 'Star Wars', 5);
  console.log(`site: ${sent.length} message(s) per rating: ${sent.join(', ')}`);
  expect(sent).toHaveLength(1);
  // A change of an existing rating costs the same.
  const again = await countRating(page, '', 'Star Wars', 2);
  expect(again).toHaveLength(1);
  await context.close();
});

test('a rating in a widget sends one message to the worker, and both widgets on the page repaint', async () => {
  const context = await countingContext();
  const page = await context.newPage();
  await page.goto(host.url);
  await page.locator('#first cinesage-recommendation-list li').first().waitFor({ timeout: 120_000 });
  await page.locator('#second cinesage-recommendation-list li').first().waitFor({ timeout: 60_000 });
  await widgetsSettled(page);
  const sent = await countRating(page, '#first', 'Star Wars', 5);
  console.log(`widget: ${sent.length} message(s) per rating: ${sent.join(', ')}`);
  expect(sent).toHaveLength(1);
  await expect
    .poll(() => listed(page, '#second'))
    .toBe((await listed(page, '#first')).split(',').slice(0, 5).join(','));
  await context.close();
});
