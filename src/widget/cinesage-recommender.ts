/**
 * `<cinesage-recommender>`: CineSage for other sites — rate a few movies and get recommendations computed
 * on the visitor's device, in one element. Styles are sealed in shadow DOM both ways (host styles do not
 * reach in, ours do not leak out); theming goes through CSS custom properties and `::part()`.
 *
 * The worker starts only when the element becomes visible or is interacted with. Several widgets on one
 * page share one worker; the visitor's ratings are stored under the widget's own names in the host origin.
 *
 * @attr artifacts - Base URL of manifest.json and the artifacts (default: `artifacts/` beside widget.js).
 * @attr count - Number of recommendations (default 10).
 * @attr layout - `compact` (recommendations and search only) or `full` (also genres, reasons, your ratings).
 * @attr theme - `light` (default) or `dark`.
 * @attr backend - `auto` (default: WebGPU when available) or `wasm`.
 * @attr store - Storage namespace (default `cinesage-widget`); widgets with the same store share a profile.
 *
 * @prop {RecommendResult | null} recommendations - The latest recommendations (read-only).
 * @prop {EngineStatus | null} status - The recommender's state (read-only).
 * @method rate(movieId, stars) - Rates a movie (stars null removes the rating); resolves after the update.
 * @method refresh() - Recomputes the recommendations.
 *
 * @fires cinesage-progress - `detail: LoadProgress` while downloading and setting up.
 * @fires cinesage-ready - `detail: EngineStatus` when the first recommendations can be shown.
 * @fires cinesage-recommendations - `detail: RecommendResult` after every update.
 * @fires cinesage-error - `detail: { name, message }` when something failed (the widget shows it too).
 *
 * @csspart frame - The widget's box. @csspart header - Title row. @csspart search - The search field.
 * @csspart list - The recommendation list. @csspart item - Each recommendation.
 * @cssprop --cinesage-font - Font family. @cssprop --cinesage-text - Text colour.
 * @cssprop --cinesage-surface - Background. @cssprop --cinesage-accent - Accent colour.
 * @cssprop --cinesage-border - Border colour. @cssprop --cinesage-muted - Secondary text colour.
 * @cssprop --cinesage-star-color - Filled stars.
 */
import { html, LitElement } from 'lit';
import { MovieFinder, type MovieQuery } from '../client/movie-finder.ts';
import { controllerFor, type RecommendationController } from '../client/recommendation-controller.ts';
import { getRecommenderClient, type RecommenderClient } from '../client/recommender-client.ts';
import type { EngineStatus, LoadProgress, MovieSummary, ProfileView, RecommendResult } from '../core/api.ts';
import { formatBytes } from '../ui/format.ts';
import '../ui/movie-picker.ts';
import '../ui/recommendation-list.ts';
import { widgetStyles } from './widget-styles.ts';

export class CineSageRecommender extends LitElement {
  static override properties = {
    artifacts: { type: String },
    count: { type: Number },
    layout: { type: String, reflect: true },
    theme: { type: String, reflect: true },
    backend: { type: String },
    store: { type: String },
    phase: { state: true },
    progressText: { state: true },
    error: { state: true },
    result: { state: true },
    ratings: { state: true },
    genres: { state: true },
    movies: { state: true },
  };
  static override styles = widgetStyles;

  declare artifacts: string;
  declare count: number;
  declare layout: 'compact' | 'full';
  declare theme: 'light' | 'dark';
  declare backend: 'auto' | 'wasm';
  declare store: string;
  declare phase: 'idle' | 'loading' | 'ready' | 'error';
  declare progressText: string;
  declare error: string | null;
  declare result: RecommendResult | null;
  declare ratings: Map<number, number>;
  /** The genres the picker offers, asked once. */
  declare protected genres: string[];
  /** The picker's movies: the answer to its latest query. */
  declare protected movies: MovieSummary[];
  #client: RecommenderClient | null = null;
  /** Shared by every widget with the same artifacts and store: one call per rating repaints them all. */
  #controller: RecommendationController | null = null;
  /** This widget's picker's queries (each widget its own, so one's answers never drop another's). */
  #finder: MovieFinder | null = null;
  #observer: IntersectionObserver | null = null;
  #status: EngineStatus | null = null;

  constructor() {
    super();
    this.artifacts = '';
    this.count = 10;
    this.layout = 'compact';
    this.theme = 'light';
    this.backend = 'auto';
    this.store = 'cinesage-widget';
    this.phase = 'idle';
    this.progressText = '';
    this.error = null;
    this.result = null;
    this.ratings = new Map();
    this.genres = [];
    this.movies = [];
  }

  get recommendations(): RecommendResult | null {
    return this.result;
  }

  get status(): EngineStatus | null {
    return this.#status;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#controller?.want(this, this.count);
    this.addEventListener('focusin', this.#startOnce);
    this.addEventListener('pointerdown', this.#startOnce);
    if ('IntersectionObserver' in globalThis) {
      this.#observer = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) this.#startOnce();
      });
      this.#observer.observe(this);
    } else {
      this.#startOnce();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#observer?.disconnect();
    this.#observer = null;
    this.#controller?.forget(this);
  }

  #emit(type: string, detail: unknown) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  #startOnce = () => {
    if (this.phase !== 'idle') return;
    this.#observer?.disconnect();
    void this.#start();
  };

  async #start(): Promise<void> {
    this.phase = 'loading';
    this.error = null;
    const artifactsUrl = this.artifacts
      ? new URL(this.artifacts, location.href).href
      : new URL(/* @vite-ignore */ 'artifacts/', import.meta.url).href;
    const client = getRecommenderClient({
      artifactsUrl,
      backend: this.backend === 'wasm' ? 'wasm' : 'auto',
      storeName: this.store,
      useCacheApi: true,
    });
    this.#client = client;
    this.#finder = new MovieFinder(client);
    client.addEventListener('progress', (e) => {
      const p = (e as CustomEvent<LoadProgress>).detail;
      this.progressText =
        p.phase === 'download' && p.total
          ? `${p.message} ${formatBytes(p.loaded)} of ${formatBytes(p.total)}`
          : p.message;
      this.#emit('cinesage-progress', p);
    });
    const controller = controllerFor(client);
    this.#controller = controller;
    controller.want(this, this.count);
    controller.addEventListener('view', (e) => this.#show((e as CustomEvent<ProfileView>).detail));
    controller.addEventListener('error', (e) => this.#fail((e as CustomEvent<Error>).detail));
    try {
      this.#status = await client.ready();
      this.phase = 'ready';
      this.#emit('cinesage-ready', this.#status);
      const [genres] = await Promise.all([client.call('genres'), this.refresh()]);
      this.genres = genres;
      // The popular list is on screen; the controller swaps in the personal one when the model is in.
      await client.personalised();
    } catch (err) {
      this.#fail(err as Error);
    }
  }

  /** Shows the top `count` of a view (every widget sharing the controller gets each view). */
  #show(view: ProfileView) {
    if (this.phase !== 'ready') return;
    this.ratings = new Map(view.ratings.map((r) => [r.movieId, r.stars]));
    this.result = { ...view.result, items: view.result.items.slice(0, this.count) };
    this.#status = view.status;
    this.#emit('cinesage-recommendations', this.result);
  }

  #fail(err: Error) {
    this.phase = 'error';
    this.error = err.message;
    this.#emit('cinesage-error', { name: err.name, message: err.message });
  }

  /** Recomputes the recommendations (after ratings changed elsewhere, say). */
  async refresh(): Promise<void> {
    const controller = this.#controller;
    if (!controller || this.phase !== 'ready') return;
    try {
      controller.want(this, this.count);
      await controller.refresh();
    } catch (err) {
      this.#fail(err as Error);
    }
  }

  /** Rates a movie for the visitor (null stars removes the rating). */
  async rate(movieId: number, stars: number | null): Promise<void> {
    if (this.phase === 'idle') this.#startOnce();
    const client = this.#client;
    const controller = this.#controller;
    if (!client || !controller) throw new Error('The widget is not started.');
    await client.ready();
    controller.want(this, this.count);
    await controller.rate(movieId, stars);
  }

  #onRate = (e: CustomEvent<{ movieId: number; stars: number | null }>) => {
    e.stopPropagation();
    this.rate(e.detail.movieId, e.detail.stars).catch((err: Error) => this.#fail(err));
  };

  /** The picker asked for movies (an event kept inside the widget): a search or the most-rated. */
  #onMovieQuery = async (e: CustomEvent<MovieQuery>) => {
    e.stopPropagation();
    if (!this.#finder) return;
    try {
      const movies = await this.#finder.find(e.detail);
      if (movies) this.movies = movies;
    } catch (err) {
      this.#fail(err as Error);
    }
  };

  override render() {
    const full = this.layout === 'full';
    return html`<div class="frame" part="frame" @cinesage-rate=${this.#onRate}>
      <header part="header">
        <strong class="brand">CineSage</strong>
        <span class="muted">recommendations computed on your device</span>
      </header>
      ${
        this.phase === 'idle'
          ? html`<button class="start" @click=${this.#startOnce}>Start recommendations</button>`
          : this.phase === 'loading'
            ? html`<p class="muted" role="status" aria-live="polite">${this.progressText || 'Starting…'}</p>`
            : this.phase === 'error'
              ? html`<p class="error" role="alert">${this.error}</p>`
              : html`<cinesage-movie-picker
                  exportparts="search"
                  .genres=${this.genres}
                  .movies=${this.movies}
                  .ratings=${this.ratings}
                  .ratingStep=${this.#status?.ratingStep ?? 1}
                  .pageSize=${full ? 8 : 4}
                  @cinesage-movie-query=${this.#onMovieQuery}
                ></cinesage-movie-picker>
                <cinesage-recommendation-list
                  exportparts="list, item"
                  .result=${this.result}
                  .ratings=${this.ratings}
                  .ratingStep=${this.#status?.ratingStep ?? 1}
                  ?compact=${!full}
                ></cinesage-recommendation-list>`
      }
    </div>`;
  }
}

if (!customElements.get('cinesage-recommender')) customElements.define('cinesage-recommender', CineSageRecommender);

declare global {
  interface HTMLElementTagNameMap {
    'cinesage-recommender': CineSageRecommender;
  }
}
