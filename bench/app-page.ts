/**
 * What the benchmarks ask of the built site's page: calls on its recommender client (the worker's
 * service), its status, the wait for personal recommendations, a click on a star, and the app's paint marks
 * (`cinesage:first-list`, `cinesage:first-personal-list`, `cinesage:exact-personal-list`). Node only (playwright-core).
 */
import type { Page } from 'playwright-core';
import type { EngineStatus } from '../src/core/api.ts';

type AppClient = {
  call(method: string, ...args: unknown[]): Promise<unknown>;
  refreshStatus(): Promise<EngineStatus>;
  personalised(): Promise<unknown>;
};

/** One call on the page's recommender client, e.g. `appCall(page, 'rate', 50, 4)`. */
export function appCall<T>(page: Page, method: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(
    ([m, a]) => (document.querySelector('cinesage-app') as unknown as { client: AppClient }).client.call(m, ...a),
    [method, args] as const,
  ) as Promise<T>;
}

/**
 * The worker's current status. The pending call is kept on `window` until it settles: right after the
 * first personal list, with Chromium 150, a status promise referenced only by the evaluation was reported
 * "garbage collected" by Playwright in 1–3 visits of 4 (the call itself answers within milliseconds when
 * the promise is kept; `.scratch`-style check: 4 of 4).
 */
export function engineStatus(page: Page): Promise<EngineStatus> {
  return page.evaluate(async () => {
    const held = window as unknown as { cinesageBenchStatus?: Promise<EngineStatus> };
    const client = (document.querySelector('cinesage-app') as unknown as { client: AppClient }).client;
    held.cinesageBenchStatus = client.refreshStatus();
    try {
      return await held.cinesageBenchStatus;
    } finally {
      held.cinesageBenchStatus = undefined;
    }
  });
}

/** Resolves once personal recommendations are possible (the model is in). */
export async function personalised(page: Page): Promise<void> {
  await page.evaluate(() =>
    (document.querySelector('cinesage-app') as unknown as { client: AppClient }).client.personalised(),
  );
}

/** Clicks `stars` on the first listed movie, as a visitor would (the list repaints itself), without waiting. */
export async function clickFirst(page: Page, stars: number): Promise<void> {
  await page.evaluate((stars) => {
    const app = document.querySelector('cinesage-app') as HTMLElement;
    const list = app.shadowRoot?.querySelector('cinesage-recommendation-list');
    const star = list?.shadowRoot
      ?.querySelector('li[data-movie-id] cinesage-star-rating')
      ?.shadowRoot?.querySelector<HTMLButtonElement>(`[data-stars="${stars}"]`);
    if (!star) throw new Error(`no ${stars}-star button on the first listed movie`);
    star.click();
  }, stars);
}

/** The page-clock time (ms from navigation start) of the app's performance mark `name`, waiting for it. */
export async function paintMark(page: Page, name: string, timeout = 300_000): Promise<number> {
  const handle = await page.waitForFunction((n) => performance.getEntriesByName(n)[0]?.startTime ?? null, name, {
    timeout,
  });
  return (await handle.jsonValue()) as number;
}
