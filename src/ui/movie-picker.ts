import { css, html, LitElement } from 'lit';
import type { MovieQuery } from '../client/movie-finder.ts';
import type { MovieSummary } from '../core/api.ts';
import { movieDetails } from './format.ts';
import { baseStyles } from './shared-styles.ts';
import { forwardRating } from './star-rating.ts';

/**
 * `<cinesage-movie-picker>`: find movies to rate — search by title (tolerant of case and accents), or
 * browse the most-rated movies, optionally of one genre — with a star rating beside each. The owner answers
 * each `cinesage-movie-query` by setting `movies` (and sets `genres` once); an answer to an older query must
 * not replace a newer one (`MovieFinder` in `src/client/movie-finder.ts` does that for the site and the widget).
 *
 * @fires {CustomEvent<{ query: string; genre: string | null; limit: number }>} cinesage-movie-query - When the
 * movies to show change: once on first render, after a 120 ms pause in typing, and when another genre is chosen.
 * `query` is the title to search for, trimmed (empty: browse the most-rated movies), `genre` the genre to browse
 * (null: all; not used while searching), `limit` the `pageSize`. Bubbles, composed.
 * @fires {CustomEvent<{ movieId: number; stars: number | null }>} cinesage-rate - When a movie is rated from
 * its stars (`stars` null: the rating was removed). Bubbles, composed.
 * @csspart search - The search field.
 * @csspart list - The list of found movies.
 * @cssprop --cinesage-font - Font family (default `system-ui, …`).
 * @cssprop --cinesage-font-size - Base font size (default `1rem`).
 * @cssprop --cinesage-text - Text colour (default `#1c1b22`).
 * @cssprop --cinesage-muted - Secondary text: the list heading and movie details (default `#5d5a6b`).
 * @cssprop --cinesage-border - Line between movies (default `#e3e1ea`).
 * @cssprop --cinesage-border-strong - Border of the search field and genre menu (default `#b9b5c7`).
 * @cssprop --cinesage-surface - Background of the search field and genre menu (default `#fff`).
 * @cssprop --cinesage-focus - Focus ring colour (default `#4b3fd1`).
 * @cssprop --cinesage-star-color - Filled stars (default `#b8740a`).
 * @cssprop --cinesage-star-empty - Empty stars (default `#8d8a99`).
 */
export class MoviePicker extends LitElement {
  static override properties = {
    genres: { attribute: false },
    movies: { attribute: false },
    ratings: { attribute: false },
    ratingStep: { attribute: false },
    query: { state: true, attribute: false },
    genre: { state: true, attribute: false },
    pageSize: { type: Number, attribute: 'page-size' },
  };
  static override styles = [
    baseStyles,
    css`
      .controls {
        display: flex;
        gap: 0.5rem;
        flex-wrap: wrap;
        margin-bottom: 0.5rem;
      }
      .controls input {
        flex: 1 1 12rem;
      }
    `,
  ];

  /** Genre names offered under "Browse by genre". */
  declare genres: string[];
  /** The movies shown: the owner's answer to the latest `cinesage-movie-query`. */
  declare movies: MovieSummary[];
  /** The visitor's ratings, movie id → stars, shown beside each movie. */
  declare ratings: Map<number, number>;
  /** 1 for whole stars, 0.5 where the data set has half stars. */
  declare ratingStep: number;
  /** The search text as typed. */
  declare protected query: string;
  /** The genre browsed, '' for all. */
  declare protected genre: string;
  /** How many movies to show (default 12). */
  declare pageSize: number;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.genres = [];
    this.movies = [];
    this.ratings = new Map();
    this.ratingStep = 1;
    this.query = '';
    this.genre = '';
    this.pageSize = 12;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
  }

  protected override firstUpdated(): void {
    this.#ask();
  }

  /** Asks the owner for the movies of the current search or genre. */
  #ask(): void {
    clearTimeout(this.#timer);
    const detail: MovieQuery = { query: this.query.trim(), genre: this.genre || null, limit: this.pageSize };
    this.dispatchEvent(new CustomEvent('cinesage-movie-query', { detail, bubbles: true, composed: true }));
  }

  #onInput(e: Event) {
    this.query = (e.target as HTMLInputElement).value;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#ask(), 120);
  }

  #onGenre(e: Event) {
    this.genre = (e.target as HTMLSelectElement).value;
    this.#ask();
  }

  override render() {
    const heading = this.query.trim()
      ? `Movies matching “${this.query.trim()}”`
      : `Most-rated ${this.genre ? `${this.genre} ` : ''}movies`;
    return html`
      <h2>Rate movies you know</h2>
      <div class="controls">
        <label class="visually-hidden" for="q">Search movies by title</label>
        <input
          id="q"
          part="search"
          type="search"
          placeholder="Search by title…"
          autocomplete="off"
          .value=${this.query}
          @input=${this.#onInput}
        />
        <label class="visually-hidden" for="genre">Browse by genre</label>
        <select id="genre" @change=${this.#onGenre} .value=${this.genre} ?disabled=${!!this.query.trim()}>
          <option value="">All genres</option>
          ${this.genres.map((g) => html`<option value=${g}>${g}</option>`)}
        </select>
      </div>
      <p class="muted" id="picker-heading">${heading}</p>
      <ul class="movies" part="list" aria-labelledby="picker-heading">
        ${this.movies.map(
          (m) => html`<li data-movie-id=${m.movieId}>
            <span>
              <span class="title">${m.title}</span><br />
              <span class="meta">${movieDetails(m)}</span>
            </span>
            <cinesage-star-rating
              .value=${this.ratings.get(m.movieId) ?? 0}
              .step=${this.ratingStep}
              .label=${m.title}
              @cinesage-rate=${forwardRating(this, m.movieId)}
            ></cinesage-star-rating>
          </li>`,
        )}
      </ul>
      ${this.movies.length === 0 && this.query.trim() ? html`<p class="muted">No title matches “${this.query}”.</p>` : null}
    `;
  }
}

if (!customElements.get('cinesage-movie-picker')) customElements.define('cinesage-movie-picker', MoviePicker);

declare global {
  interface HTMLElementTagNameMap {
    'cinesage-movie-picker': MoviePicker;
  }
}
