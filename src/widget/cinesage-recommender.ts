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
import { css, html, LitElement } from 'lit';
import { getRecommenderClient, type RecommenderClient } from '../client/recommender-client.ts';
import type { EngineStatus, LoadProgress, RecommendResult } from '../core/api.ts';
import { formatBytes } from '../ui/format.ts';
import '../ui/movie-picker.ts';
import '../ui/recommendation-list.ts';

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
  };
  static override styles = css`
    :host {
      display: block;
      contain: content;
    }
    :host([hidden]) {
      display: none;
    }
    .frame {
      all: initial;
      display: block;
      box-sizing: border-box;
      font-family: var(--cinesage-font, system-ui, -apple-system, 'Segoe UI', sans-serif);
      font-size: 15px;
      line-height: 1.4;
      color: var(--cinesage-text, #1c1b22);
      background: var(--cinesage-surface, #fff);
      border: 1px solid var(--cinesage-border, #e3e1ea);
      border-radius: 10px;
      padding: 12px 14px;
      text-align: left;
    }
    :host([theme='dark']) .frame {
      --cinesage-text: #eeeef3;
      --cinesage-surface: #1f1e26;
      --cinesage-border: #3a3846;
      --cinesage-border-strong: #55526a;
      --cinesage-muted: #b4b1c4;
      --cinesage-accent: #a79dff;
      --cinesage-accent-soft: #2d2a45;
      --cinesage-star-empty: #77748a;
      --cinesage-star-color: #f3b33d;
      --cinesage-focus: #a79dff;
      color: var(--cinesage-text);
      background: var(--cinesage-surface);
    }
    header {
      display: flex;
      justify-content: space-between;
      align-items: baseline;
      gap: 8px;
      margin-bottom: 6px;
    }
    strong.brand {
      font-size: 16px;
    }
    .muted {
      color: var(--cinesage-muted, #5d5a6b);
      font-size: 13px;
    }
    .error {
      color: #8a1c13;
      background: #fde8e6;
      padding: 6px 8px;
      border-radius: 6px;
    }
    button.start {
      font: inherit;
      padding: 6px 12px;
      border-radius: 6px;
      border: 1px solid var(--cinesage-accent, #4b3fd1);
      background: transparent;
      color: var(--cinesage-accent, #4b3fd1);
      cursor: pointer;
    }
  `;

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
  #client: RecommenderClient | null = null;
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
  }

  get recommendations(): RecommendResult | null {
    return this.result;
  }

  get status(): EngineStatus | null {
    return this.#status;
  }

  override connectedCallback(): void {
    super.connectedCallback();
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
    client.addEventListener('progress', (e) => {
      const p = (e as CustomEvent<LoadProgress>).detail;
      this.progressText =
        p.phase === 'download' && p.total
          ? `${p.message} ${formatBytes(p.loaded)} of ${formatBytes(p.total)}`
          : p.message;
      this.#emit('cinesage-progress', p);
    });
    client.addEventListener('ratings-changed', () => void this.refresh());
    try {
      this.#status = await client.ready();
      this.phase = 'ready';
      this.#emit('cinesage-ready', this.#status);
      await this.refresh();
    } catch (err) {
      this.#fail(err as Error);
    }
  }

  #fail(err: Error) {
    this.phase = 'error';
    this.error = err.message;
    this.#emit('cinesage-error', { name: err.name, message: err.message });
  }

  /** Recomputes the recommendations (after ratings changed elsewhere, say). */
  async refresh(): Promise<void> {
    const client = this.#client;
    if (!client || this.phase !== 'ready') return;
    try {
      const [rated, result] = await Promise.all([
        client.call('getRatings'),
        client.call('recommend', { n: this.count, excludeRated: true }),
      ]);
      this.ratings = new Map(rated.map((r) => [r.movieId, r.stars]));
      this.result = result;
      this.#emit('cinesage-recommendations', result);
    } catch (err) {
      this.#fail(err as Error);
    }
  }

  /** Rates a movie for the visitor (null stars removes the rating). */
  async rate(movieId: number, stars: number | null): Promise<void> {
    if (this.phase === 'idle') this.#startOnce();
    const client = this.#client;
    if (!client) throw new Error('The widget is not started.');
    await client.ready();
    if (stars == null) await client.call('removeRating', movieId);
    else await client.call('rate', movieId, stars);
    await this.refresh();
  }

  #onRate = (e: CustomEvent<{ movieId: number; stars: number | null }>) => {
    e.stopPropagation();
    this.rate(e.detail.movieId, e.detail.stars).catch((err: Error) => this.#fail(err));
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
                  .client=${this.#client}
                  .ratings=${this.ratings}
                  .pageSize=${full ? 8 : 4}
                ></cinesage-movie-picker>
                <cinesage-recommendation-list
                  exportparts="list, item"
                  .result=${this.result}
                  .ratings=${this.ratings}
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
