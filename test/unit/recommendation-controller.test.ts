/**
 * The page's shared refresh controller against a fake client: one call per rating and per refresh, the
 * list as long as the longest want, concurrent refreshes shared, this tab's own changes not refreshed twice,
 * another tab's refreshed once, and an answer that arrives after a newer one not shown.
 */
import { expect, test } from 'vitest';
import { RecommendationController } from '../../src/client/recommendation-controller.ts';
import type { RecommenderClient } from '../../src/client/recommender-client.ts';
import type { EngineStatus, ProfileView, RecommendRequest } from '../../src/core/api.ts';

class FakeClient extends EventTarget {
  calls: { method: string; args: unknown[] }[] = [];
  statuses: EngineStatus[] = [];
  /** Resolvers of the answers not yet given, oldest first. */
  pending: ((view: ProfileView) => void)[] = [];
  auto = true;

  call(method: string, ...args: unknown[]): Promise<ProfileView> {
    this.calls.push({ method, args });
    const request = args.at(-1) as RecommendRequest;
    const view = viewFor(this.calls.length, request);
    if (this.auto) return Promise.resolve(view);
    return new Promise((resolve) => this.pending.push(() => resolve(view)));
  }

  updateStatus(status: EngineStatus): void {
    this.statuses.push(status);
  }
}

function viewFor(serial: number, request: RecommendRequest): ProfileView {
  return {
    ratings: [],
    result: {
      items: [],
      forUser: `answer ${serial} for n=${request?.n}`,
      popularFallback: false,
      scoringMs: 0,
      position: null,
    },
    status: { state: 'ready' } as EngineStatus,
  };
}

function setup() {
  const client = new FakeClient();
  const controller = new RecommendationController(client as unknown as RecommenderClient);
  const shown: string[] = [];
  controller.addEventListener('view', (e) => shown.push((e as CustomEvent<ProfileView>).detail.result.forUser));
  return { client, controller, shown };
}

test('a rating and a removal are one call each, with the current request, and repaint every listener', async () => {
  const { client, controller, shown } = setup();
  controller.request = { excludeLowRated: false };
  controller.want({ widget: 'a' }, 8);
  controller.want({ widget: 'b' }, 5);
  await controller.rate(50, 5);
  await controller.rate(50, null);
  expect(client.calls).toEqual([
    { method: 'rate', args: [50, 5, { excludeLowRated: false, n: 8 }] },
    { method: 'removeRating', args: [50, { excludeLowRated: false, n: 8 }] },
  ]);
  expect(shown).toEqual(['answer 1 for n=8', 'answer 2 for n=8']);
  expect(client.statuses).toHaveLength(2);
});

test('without wants the list has the default length; concurrent refreshes of one request share a call', async () => {
  const { client, controller } = setup();
  expect(controller.request.n).toBe(20);
  const [a, b] = await Promise.all([controller.refresh(), controller.refresh()]);
  expect(a).toBe(b);
  expect(client.calls).toHaveLength(1);
  expect(client.calls[0]).toEqual({ method: 'view', args: [{ n: 20 }] });
});

test("this tab's own changes are not refreshed again; another tab's are, once", async () => {
  const { client, shown } = setup();
  client.dispatchEvent(new CustomEvent('ratings-changed', { detail: { source: 'this-tab' } }));
  await Promise.resolve();
  expect(client.calls).toHaveLength(0);
  client.dispatchEvent(new CustomEvent('ratings-changed', { detail: { source: 'other-tab' } }));
  await expect.poll(() => shown.length).toBe(1);
  expect(client.calls.map((c) => c.method)).toEqual(['view']);
});

test('an answer that arrives after a newer one is not shown', async () => {
  const { client, controller, shown } = setup();
  client.auto = false;
  const refresh = controller.refresh();
  const rating = controller.rate(1, 4);
  const [first, second] = client.pending;
  second(viewFor(0, {}));
  await rating;
  first(viewFor(0, {}));
  await refresh;
  expect(shown).toEqual(['answer 2 for n=20']);
  expect(controller.view?.result.forUser).toBe('answer 2 for n=20');
});
