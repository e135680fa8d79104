import { css, html, LitElement } from 'lit';
import type { MovieSummary, RecommendResult } from '../core/api.ts';
import { formatMs, movieDetails } from './format.ts';
import { baseStyles } from './shared-styles.ts';
import { forwardRating } from './star-rating.ts';

/**
 * `<cinesage-recommendation-list>`: the ranked recommendations with title, year, genres, predicted rating,
 * the "because you rated …" reason and, where the data set has them, links to the movie's IMDb and TMDB
 * pages (ordinary links that open in a new tab only when followed; nothing is fetched from those sites);
 * announces updates politely to screen readers.
 *
 * @fires {CustomEvent<{ movieId: number; stars: number | null }>} cinesage-rate - When a recommendation is
 * rated in place (`stars` null: the rating was removed). Bubbles, composed.
 * @csspart list - The ordered list of recommendations.
 * @csspart item - Each recommendation (an `<li>` with `data-movie-id`).
 * @csspart predicted - The predicted rating of each recommendation.
 * @csspart links - The IMDb and TMDB links of a recommendation (absent when it has none, and when compact).
 * @csspart link - Each link (an `<a>` with `data-site` `imdb` or `tmdb`, named "IMDb page for <title>").
 * @cssprop --cinesage-font - Font family (default `system-ui, …`).
 * @cssprop --cinesage-font-size - Base font size (default `1rem`).
 * @cssprop --cinesage-text - Text colour (default `#1c1b22`).
 * @cssprop --cinesage-muted - Secondary text: summary, ranks, details, reasons (default `#5d5a6b`).
 * @cssprop --cinesage-border - Line between recommendations (default `#e3e1ea`).
 * @cssprop --cinesage-accent - IMDb and TMDB links (default `#4b3fd1`).
 * @cssprop --cinesage-star-color - Filled stars of the in-place rating (default `#b8740a`).
 * @cssprop --cinesage-star-empty - Empty stars of the in-place rating (default `#8d8a99`).
 * @cssprop --cinesage-focus - Focus ring colour (default `#4b3fd1`).
 */
export class RecommendationList extends LitElement {
  static override properties = {
    result: { attribute: false },
    ratings: { attribute: false },
    ratingStep: { attribute: false },
    compact: { type: Boolean, reflect: true },
    heading: { type: String },
  };
  static override styles = [
    baseStyles,
    css`
      ol.movies {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      ol.movies > li {
        display: flex;
        gap: 0.5rem;
        padding: 0.45rem 0.25rem;
        border-bottom: 1px solid var(--cinesage-border, #e3e1ea);
        align-items: flex-start;
        justify-content: space-between;
        flex-wrap: wrap;
      }
      .about {
        flex: 1 1 14rem;
      }
      .links {
        display: inline-flex;
        gap: 0.6rem;
      }
      .links a {
        color: var(--cinesage-accent, #4b3fd1);
      }
      .rating {
        display: flex;
        flex-direction: column;
        align-items: flex-end;
        gap: 0.1rem;
      }
    `,
  ];

  /** The recommendations to show; null while the first ones are computed. */
  declare result: RecommendResult | null;
  /** The visitor's ratings, movie id → stars, so a recommendation can be rated in place. */
  declare ratings: Map<number, number>;
  /** 1 for whole stars, 0.5 where the data set has half stars. */
  declare ratingStep: number;
  /** Hides genres, years, reasons and links. */
  declare compact: boolean;
  /** The heading above the list. */
  declare heading: string;

  constructor() {
    super();
    this.result = null;
    this.ratings = new Map();
    this.ratingStep = 1;
    this.compact = false;
    this.heading = 'Recommended for you';
  }

  #summary(): string {
    const r = this.result;
    if (!r) return 'Computing recommendations…';
    if (r.personalising) return 'Your personal list is on its way; meanwhile, these are the most popular movies.';
    if (r.popularFallback)
      return `No ratings yet, so these are the most popular movies. Rate a few to get your own list.`;
    const close = r.approximate ? ' (close to exact; the exact list follows in a moment)' : '';
    const count = `${r.items.length} recommendation${r.items.length === 1 ? '' : 's'}`;
    return `${count} for ${r.forUser}, scored in ${formatMs(r.scoringMs)}${close}.`;
  }

  /** IMDb and TMDB links, or nothing when the movie has neither. */
  #links(m: MovieSummary) {
    const sites = [
      { site: 'imdb', name: 'IMDb', url: m.imdbUrl },
      { site: 'tmdb', name: 'TMDB', url: m.tmdbUrl },
    ].filter((s) => s.url);
    if (sites.length === 0) return null;
    return html`<br /><span class="meta links" part="links">${sites.map(
      (s) =>
        html`<a
          part="link"
          data-site=${s.site}
          href=${s.url as string}
          target="_blank"
          rel="noopener noreferrer"
          aria-label=${`${s.name} page for ${m.title}`}
          >${s.name}</a
        >`,
    )}</span>`;
  }

  override render() {
    const items = this.result?.items ?? [];
    return html`
      <h2>${this.heading}</h2>
      <p class="muted" role="status" aria-live="polite">${this.#summary()}</p>
      <ol class="movies" part="list">
        ${items.map(
          (m, i) => html`<li part="item" data-movie-id=${m.movieId}>
            <span class="about">
              <span class="muted">${i + 1}.</span>
              <span class="title">${m.title}</span>
              ${this.compact ? null : html`<br /><span class="meta">${movieDetails(m)}</span>`}
              ${
                !this.compact && m.because.length > 0
                  ? html`<br /><span class="meta">Because you rated ${m.because.map((b) => b.title).join(', ')}</span>`
                  : null
              }
              ${this.compact ? null : this.#links(m)}
            </span>
            <span class="rating">
              <span
                part="predicted"
                class="meta"
                role="img"
                aria-label=${`predicted ${m.predictedRating.toFixed(1)} of 5 stars`}
              >
                predicted <strong>${m.predictedRating.toFixed(1)}</strong> ★
              </span>
              <cinesage-star-rating
                .value=${this.ratings.get(m.movieId) ?? 0}
                .step=${this.ratingStep}
                .label=${m.title}
                @cinesage-rate=${forwardRating(this, m.movieId)}
              ></cinesage-star-rating>
            </span>
          </li>`,
        )}
      </ol>
    `;
  }
}

if (!customElements.get('cinesage-recommendation-list')) {
  customElements.define('cinesage-recommendation-list', RecommendationList);
}

declare global {
  interface HTMLElementTagNameMap {
    'cinesage-recommendation-list': RecommendationList;
  }
}
