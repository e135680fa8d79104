import { css, html, LitElement } from 'lit';
import type { RecommenderClient } from '../client/recommender-client.ts';
import type { MovieSummary } from '../core/api.ts';
import { movieDetails } from './format.ts';
import { baseStyles } from './shared-styles.ts';
import { forwardRating } from './star-rating.ts';

/**
 * `<cinesage-movie-picker>`: find movies to rate — search by title (tolerant of case and accents), or
 * browse the most-rated movies, optionally of one genre — with a star rating beside each.
 *
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
    client: { attribute: false },
    ratings: { attribute: false },
    ratingStep: { attribute: false },
    query: { state: true, attribute: false },
    genre: { state: true, attribute: false },
    genres: { state: true, attribute: false },
    movies: { state: true, attribute: false },
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

  /** The recommender to search and browse (its `genres`, `searchMovies` and `browseMovies`). */
  declare client: RecommenderClient | null;
  /** The visitor's ratings, movie id → stars, shown beside each movie. */
  declare ratings: Map<number, number>;
  /** 1 for whole stars, 0.5 where the data set has half stars. */
  declare ratingStep: number;
  /** The search text as typed. */
  declare protected query: string;
  /** The genre browsed, '' for all. */
  declare protected genre: string;
  /** The genres offered. */
  declare protected genres: string[];
  /** The movies shown. */
  declare protected movies: MovieSummary[];
  /** How many movies to show (default 12). */
  declare pageSize: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #request = 0;

  constructor() {
    super();
    this.client = null;
    this.ratings = new Map();
    this.ratingStep = 1;
    this.query = '';
    this.genre = '';
    this.genres = [];
    this.movies = [];
    this.pageSize = 12;
  }

  protected override updated(changed: Map<string, unknown>): void {
    if (changed.has('client') && this.client) {
      void this.client.call('genres').then((g) => {
        this.genres = g;
      });
      void this.#load();
    }
  }

  async #load(): Promise<void> {
    if (!this.client) return;
    const id = ++this.#request;
    const movies = this.query.trim()
      ? await this.client.call('searchMovies', this.query, this.pageSize)
      : await this.client.call('browseMovies', { genre: this.genre || undefined, limit: this.pageSize });
    if (id === this.#request) this.movies = movies;
  }

  #onInput(e: Event) {
    this.query = (e.target as HTMLInputElement).value;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#load(), 120);
  }

  #onGenre(e: Event) {
    this.genre = (e.target as HTMLSelectElement).value;
    void this.#load();
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
