/**
 * `<cinesage-movie-picker>`: find movies to rate — search by title (tolerant of case and accents), or
 * browse the most-rated movies, optionally of one genre — with a star rating beside each.
 *
 * @prop client - The `RecommenderClient` to query.
 * @prop ratings - Map of movie id → the visitor's stars, to show current ratings.
 * @prop ratingStep - 1 for whole stars, 0.5 where the data set has half stars.
 * @fires cinesage-rate - From the stars: `detail: { movieId, stars | null }`. Bubbles, composed.
 * @csspart search - The search field. @csspart list - The result list.
 */
import { html, LitElement } from 'lit';
import type { RecommenderClient } from '../client/recommender-client.ts';
import type { MovieSummary } from '../core/api.ts';
import { movieDetails } from './format.ts';
import { baseStyles } from './shared-styles.ts';
import { forwardRating } from './star-rating.ts';

export class MoviePicker extends LitElement {
  static override properties = {
    client: { attribute: false },
    ratings: { attribute: false },
    ratingStep: { attribute: false },
    query: { state: true },
    genre: { state: true },
    genres: { state: true },
    movies: { state: true },
    pageSize: { type: Number, attribute: 'page-size' },
  };
  static override styles = [baseStyles];

  declare client: RecommenderClient | null;
  declare ratings: Map<number, number>;
  declare ratingStep: number;
  declare query: string;
  declare genre: string;
  declare genres: string[];
  declare movies: MovieSummary[];
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
      <div style="display:flex;gap:0.5rem;flex-wrap:wrap;margin-bottom:0.5rem">
        <label class="visually-hidden" for="q">Search movies by title</label>
        <input
          id="q"
          part="search"
          type="search"
          placeholder="Search by title…"
          autocomplete="off"
          .value=${this.query}
          @input=${this.#onInput}
          style="flex:1 1 12rem"
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
