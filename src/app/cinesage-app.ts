/**
 * `<cinesage-app>`: the site. Shows start-up progress, then the rating page: a movie picker, the
 * visitor's recommendations (updated on every rating, without a reload), filters, the taste map, the
 * profile tools and the status panel. All model work goes through the shared `RecommenderClient`.
 * Just over 300 lines because it wires every component's properties and events in one template; the work
 * behind each event lives elsewhere (src/client controller and movie finder, ./profile-actions.ts).
 */
import { html, LitElement } from 'lit';
import { MovieFinder, type MovieQuery } from '../client/movie-finder.ts';
import { controllerFor, type RecommendationController } from '../client/recommendation-controller.ts';
import { getRecommenderClient, type RecommenderClient } from '../client/recommender-client.ts';
import type {
  EngineStatus,
  LoadProgress,
  MovieSummary,
  ProfileView,
  RatedMovie,
  RecommendResult,
  TasteMap,
} from '../core/api.ts';
import type { RecommendationFilterValues } from '../ui/recommendation-filters.ts';
import { appStyles } from './app-styles.ts';
import { exportProfile, importProfile, type ProfileOutcome, resetProfile } from './profile-actions.ts';
import '../ui/loading-screen.ts';
import '../ui/movie-picker.ts';
import '../ui/profile-panel.ts';
import '../ui/recommendation-filters.ts';
import '../ui/recommendation-list.ts';
import '../ui/status-panel.ts';
import '../ui/taste-map.ts';
import { applyUpdate, startOfflineSupport } from './offline.ts';

export class CineSageApp extends LitElement {
  static override properties = {
    phase: { state: true },
    status: { state: true },
    files: { state: true },
    step: { state: true },
    error: { state: true },
    result: { state: true },
    rated: { state: true },
    map: { state: true },
    genres: { state: true },
    pickerMovies: { state: true },
    profileMessage: { state: true },
    yearRange: { state: true },
    users: { state: true },
    viewAs: { state: true },
    offlineReady: { state: true },
    updateAvailable: { state: true },
  };
  static override styles = appStyles;

  declare phase: 'loading' | 'ready' | 'error';
  declare status: EngineStatus | null;
  declare files: Map<string, LoadProgress>;
  declare step: string;
  declare error: string | null;
  declare result: RecommendResult | null;
  declare rated: RatedMovie[];
  declare map: TasteMap | null;
  declare genres: string[];
  /** The picker's movies: the answer to its latest query. */
  declare pickerMovies: MovieSummary[];
  /** How the last export, import or reset went, shown in the profile panel. */
  declare profileMessage: { text: string; error: boolean } | null;
  declare yearRange: [number, number] | null;
  declare users: number[];
  declare viewAs: number | null;
  declare offlineReady: boolean | null;
  declare updateAvailable: boolean;
  readonly client: RecommenderClient;
  readonly #controller: RecommendationController;
  readonly #finder: MovieFinder;
  #filters: RecommendationFilterValues = { genres: [], years: null, minPopularity: 0, excludeLowRated: true };

  constructor() {
    super();
    this.phase = 'loading';
    this.status = null;
    this.files = new Map();
    this.step = 'Starting…';
    this.error = null;
    this.result = null;
    this.rated = [];
    this.map = null;
    this.genres = [];
    this.pickerMovies = [];
    this.profileMessage = null;
    this.yearRange = null;
    this.users = [];
    this.viewAs = null;
    this.offlineReady = null;
    this.updateAvailable = false;
    const params = new URLSearchParams(location.search);
    const backend = params.get('backend');
    this.client = getRecommenderClient({
      artifactsUrl: new URL('artifacts/', document.baseURI).href,
      backend: backend === 'wasm' || backend === 'webgpu' ? backend : 'auto',
      modelVariant:
        params.get('model') === 'int8' || params.get('model') === 'fp32'
          ? (params.get('model') as 'int8' | 'fp32')
          : undefined,
      storeName: 'cinesage',
      // The worker keeps verified artifacts in the cache the service worker serves them from, so a first
      // visit made before the service worker took over still works offline afterwards.
      useCacheApi: true,
    });
    this.client.addEventListener('progress', (e) => this.#onProgress((e as CustomEvent<LoadProgress>).detail));
    this.#finder = new MovieFinder(this.client);
    this.client.addEventListener('status', (e) => {
      this.status = (e as CustomEvent<EngineStatus>).detail;
    });
    // Every answer of the controller (a rating, a refresh, another tab's change) repaints the page.
    this.#controller = controllerFor(this.client);
    this.#controller.want(this, 20);
    this.#controller.addEventListener('view', (e) => this.#show((e as CustomEvent<ProfileView>).detail));
    this.#controller.addEventListener('error', (e) => {
      this.error = (e as CustomEvent<Error>).detail.message;
    });
    document.addEventListener('cinesage-offline-ready', () => {
      this.offlineReady = true;
    });
    document.addEventListener('cinesage-update-available', () => {
      this.updateAvailable = true;
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#start();
  }

  #onProgress(p: LoadProgress) {
    if (p.phase === 'download' && p.file) {
      this.files = new Map(this.files).set(p.file, p);
    }
    this.step = p.message;
  }

  async #start() {
    this.phase = 'loading';
    this.error = null;
    try {
      // The catalog is open: the popular list, search and rating work; nothing else is on the critical path.
      await this.client.ready();
      const [genres, yearRange, users] = await Promise.all([
        this.client.call('genres'),
        this.client.call('yearRange'),
        this.client.call('sampleUsers', 30),
        this.#refresh(),
      ]);
      this.genres = genres;
      this.yearRange = yearRange;
      this.users = users;
      this.phase = 'ready';
    } catch (err) {
      this.error = `${(err as Error).message}`;
      this.phase = 'error';
      return;
    }
    try {
      // The controller swaps in the personal list itself; the map's movie points come with the model.
      await this.client.personalised();
      const map = await this.client.call('tasteMap');
      this.map = { ...map, visitor: this.#controller.view?.result.position ?? null };
    } catch (err) {
      this.error = `Personal recommendations are unavailable: ${(err as Error).message}`;
    } finally {
      // Only now, not competing with the downloads above: the service worker precaches the shell and the
      // WASM runtime in the background, for offline use.
      startOfflineSupport();
    }
  }

  /** The list's request from the filters and whom it is for (its length, 20, is the controller's want). */
  #applyRequest(): void {
    const f = this.#filters;
    this.#controller.request = {
      userId: this.viewAs ?? undefined,
      excludeRated: true,
      excludeLowRated: f.excludeLowRated,
      genres: f.genres.length ? f.genres : undefined,
      years: f.years ?? undefined,
      minPopularity: f.minPopularity || undefined,
    };
  }

  #show(view: ProfileView) {
    this.rated = view.ratings;
    this.result = view.result;
    if (this.map) this.map = { ...this.map, visitor: view.result.position };
    this.#markPainted(view.result);
  }

  /**
   * Performance marks for what the visitor feels (read by the bench, and by any RUM tool): the first list
   * painted, the first personal list painted (neither the popular fallback nor the stand-in; it may be
   * scored against compact codes), and the first exact personal list painted.
   */
  #markPainted(result: RecommendResult): void {
    const marks = ['cinesage:first-list'];
    if (!result.popularFallback && !result.personalising) marks.push('cinesage:first-personal-list');
    if (!result.popularFallback && !result.personalising && !result.approximate) {
      marks.push('cinesage:exact-personal-list');
    }
    const todo = marks.filter((m) => performance.getEntriesByName(m).length === 0);
    if (todo.length === 0) return;
    void this.updateComplete.then(() =>
      // After the next frame is painted.
      requestAnimationFrame(() =>
        setTimeout(() => {
          for (const m of todo) if (performance.getEntriesByName(m).length === 0) performance.mark(m);
        }, 0),
      ),
    );
  }

  /** One call: the ratings, the list for the current filters and the status. */
  #refresh(): Promise<ProfileView> {
    this.#applyRequest();
    return this.#controller.refresh();
  }

  /** A refresh after a change on the page (filters, profile, "browse as"); a failure is shown in the banner. */
  #refreshShowingErrors() {
    this.#refresh().catch((err: Error) => {
      this.error = err.message;
    });
  }

  async #onRate(e: CustomEvent<{ movieId: number; stars: number | null }>) {
    const { movieId, stars } = e.detail;
    try {
      await this.#controller.rate(movieId, stars);
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  /** The picker asked for movies: a search or the most-rated; a late answer to an older query is not shown. */
  async #onMovieQuery(e: CustomEvent<MovieQuery>) {
    try {
      const movies = await this.#finder.find(e.detail);
      if (movies) this.pickerMovies = movies;
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  /** Export, import or reset (src/app/profile-actions.ts): show the outcome, refresh when ratings changed. */
  async #onProfile(action: Promise<ProfileOutcome>) {
    const outcome = await action;
    this.profileMessage = outcome.message;
    if (outcome.changed) this.#refreshShowingErrors();
  }

  #ratingsMap(): Map<number, number> {
    return new Map(this.rated.map((r) => [r.movieId, r.stars]));
  }

  override render() {
    const header = html`<header>
      <h1>CineSage</h1>
      <p class="muted">Movie recommendations from a graph neural network that runs entirely on your device.</p>
    </header>`;
    if (this.phase !== 'ready') {
      return html`${header}<cinesage-loading-screen
          .files=${this.files}
          .step=${this.step}
          .error=${this.error}
          @cinesage-retry=${() => void this.#start()}
        ></cinesage-loading-screen>`;
    }
    const ratings = this.#ratingsMap();
    return html`${header}
      ${
        this.updateAvailable
          ? html`<p class="banner" role="status">
            A new version of CineSage is available. <button class="action" @click=${() => void applyUpdate()}>Reload</button>
            (your ratings are kept)
          </p>`
          : null
      }
      ${
        this.status?.storage.mode === 'memory'
          ? html`<p class="banner" role="alert">${this.status.storage.reason}</p>`
          : null
      }
      ${this.error ? html`<p class="banner" role="alert">${this.error}</p>` : null}
      <div class="grid" @cinesage-rate=${this.#onRate}>
        <div class="stack">
          <section aria-label="Rate movies">
            <cinesage-movie-picker
              .genres=${this.genres}
              .movies=${this.pickerMovies}
              .ratings=${ratings}
              .ratingStep=${this.status?.ratingStep ?? 1}
              @cinesage-movie-query=${this.#onMovieQuery}
            ></cinesage-movie-picker>
          </section>
          <section aria-label="Your profile">
            <cinesage-profile-panel
              .rated=${this.rated}
              .ratingStep=${this.status?.ratingStep ?? 1}
              .users=${this.users}
              .viewAs=${this.viewAs}
              .message=${this.profileMessage}
              @cinesage-export=${() => this.#onProfile(exportProfile(this.client, this.rated.length))}
              @cinesage-import=${(e: CustomEvent<{ file: File }>) => this.#onProfile(importProfile(this.client, e.detail.file))}
              @cinesage-reset=${() => this.#onProfile(resetProfile(this.client))}
              @cinesage-view-as=${(e: CustomEvent<{ userId: number | null }>) => {
                this.viewAs = e.detail.userId;
                this.#refreshShowingErrors();
              }}
            ></cinesage-profile-panel>
          </section>
        </div>
        <div class="stack">
          <section aria-label="Recommendations">
            <cinesage-recommendation-filters
              .genres=${this.genres}
              .yearRange=${this.yearRange}
              @cinesage-filters-change=${(e: CustomEvent<RecommendationFilterValues>) => {
                this.#filters = e.detail;
                this.#refreshShowingErrors();
              }}
            ></cinesage-recommendation-filters>
            <cinesage-recommendation-list
              .result=${this.result}
              .ratings=${ratings}
              .ratingStep=${this.status?.ratingStep ?? 1}
              .heading=${this.viewAs === null ? 'Recommended for you' : `Recommended for MovieLens user ${this.viewAs}`}
            ></cinesage-recommendation-list>
          </section>
          <section aria-label="Taste map">
            <cinesage-taste-map
              .map=${this.map}
              .highlight=${new Set(this.result?.items.map((i) => i.movieId) ?? [])}
            ></cinesage-taste-map>
          </section>
          <section aria-label="Status">
            <cinesage-status-panel .status=${this.status} .offlineReady=${this.offlineReady}></cinesage-status-panel>
          </section>
        </div>
      </div>`;
  }
}

/** Saves `text` as a file named `name` through the browser's download. */
if (!customElements.get('cinesage-app')) customElements.define('cinesage-app', CineSageApp);

declare global {
  interface HTMLElementTagNameMap {
    'cinesage-app': CineSageApp;
  }
}
