/**
 * Drives what a page shows from the recommender, for the site and the widget alike: one call to the worker
 * per user action — a rating, a removal, new filters, another "browse as" — answered with everything the
 * page repaints from (a `ProfileView`: the visitor's ratings, the list, the status). A change made in
 * another tab refreshes it once; a change made here does not (the answer already carries the new view).
 *
 * One controller per client (`controllerFor`), so several widgets on a page share it and its list: each
 * says how many recommendations it shows (`want`), the controller asks for the most any of them wants, and
 * each shows the top of the same list. Listeners get every new view as a `view` event, and failures of a
 * refresh nobody awaited (another tab's change, the model arriving) as an `error` event.
 */
import type { ProfileView, RecommendRequest } from '../core/api.ts';
import type { RecommenderClient } from './recommender-client.ts';

/** How many recommendations a page gets when nobody said (the worker's default). */
const DEFAULT_COUNT = 20;

export class RecommendationController extends EventTarget {
  readonly client: RecommenderClient;
  #request: Omit<RecommendRequest, 'n'> = {};
  readonly #wants = new Map<object, number>();
  #view: ProfileView | null = null;
  #inflight: { key: string; answer: Promise<ProfileView> } | null = null;
  /** Calls issued, and the newest one whose answer was shown: an older answer arriving late is not shown. */
  #issued = 0;
  #shown = 0;

  constructor(client: RecommenderClient) {
    super();
    this.client = client;
    const refreshUnasked = () =>
      this.refresh().catch((err: Error) => this.dispatchEvent(new CustomEvent('error', { detail: err })));
    client.addEventListener('ratings-changed', (e) => {
      if ((e as CustomEvent<{ source: string }>).detail.source === 'other-tab') refreshUnasked();
    });
    // The lists shown so far were the popular one: the first personal list replaces it.
    client.addEventListener('personalised', () => {
      if (this.#view) refreshUnasked();
    });
  }

  /** The latest view; null before the first answer. */
  get view(): ProfileView | null {
    return this.#view;
  }

  /** What the list is for and filtered by (its length comes from `want`); takes effect on the next call. */
  set request(request: Omit<RecommendRequest, 'n'>) {
    this.#request = request;
  }

  get request(): RecommendRequest {
    const counts = [...this.#wants.values()];
    return { ...this.#request, n: counts.length > 0 ? Math.max(...counts) : DEFAULT_COUNT };
  }

  /** `owner` shows `count` recommendations (a widget's `count`); the list is as long as the longest want. */
  want(owner: object, count: number): void {
    this.#wants.set(owner, count);
  }

  /** `owner` no longer shows recommendations (a widget removed from the page). */
  forget(owner: object): void {
    this.#wants.delete(owner);
  }

  /** Asks for the current view; concurrent refreshes of the same request share one call. */
  refresh(): Promise<ProfileView> {
    const request = this.request;
    const key = JSON.stringify(request);
    if (this.#inflight?.key === key) return this.#inflight.answer;
    const seq = ++this.#issued;
    const answer = this.client.call('view', request).then((view) => this.#publish(view, seq));
    const inflight = { key, answer };
    this.#inflight = inflight;
    const done = () => {
      if (this.#inflight === inflight) this.#inflight = null;
    };
    answer.then(done, done);
    return answer;
  }

  /** Rates a movie (null stars removes the rating): one call, answered with the new view. */
  async rate(movieId: number, stars: number | null): Promise<ProfileView> {
    const seq = ++this.#issued;
    const view =
      stars == null
        ? await this.client.call('removeRating', movieId, this.request)
        : await this.client.call('rate', movieId, stars, this.request);
    return this.#publish(view, seq);
  }

  #publish(view: ProfileView, seq: number): ProfileView {
    if (seq < this.#shown) return this.#view ?? view;
    this.#shown = seq;
    this.#view = view;
    this.client.updateStatus(view.status);
    this.dispatchEvent(new CustomEvent('view', { detail: view }));
    return view;
  }
}

const controllers = new WeakMap<RecommenderClient, RecommendationController>();

/** The one controller of `client` on this page. */
export function controllerFor(client: RecommenderClient): RecommendationController {
  let controller = controllers.get(client);
  if (!controller) {
    controller = new RecommendationController(client);
    controllers.set(client, controller);
  }
  return controller;
}
