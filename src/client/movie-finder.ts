/**
 * Answers a movie picker's queries from the recommender, for the site and the widget alike: a title to
 * search for, or else the most-rated movies (of one genre, or all). The picker asks again as the visitor
 * types, so answers can arrive out of order; only the answer to the newest query is given, an older one that
 * arrives late is dropped. One finder per picker: each picker's queries race only among themselves.
 */
import type { MovieSummary } from '../core/api.ts';
import type { RecommenderClient } from './recommender-client.ts';

/** What a movie picker asks for (the detail of its `cinesage-movie-query` event). */
export interface MovieQuery {
  /** The title to search for, trimmed; empty: browse the most-rated movies instead. */
  query: string;
  /** The genre to browse, or null for all genres (not used while `query` is set). */
  genre: string | null;
  /** How many movies to return at most. */
  limit: number;
}

export class MovieFinder {
  readonly #client: Pick<RecommenderClient, 'call'>;
  /** Queries asked: an answer is given only while its query is still the newest. */
  #asked = 0;

  constructor(client: Pick<RecommenderClient, 'call'>) {
    this.#client = client;
  }

  /**
   * The movies for `q`: `searchMovies(query, limit)` when there is a query, `browseMovies({ genre, limit })`
   * otherwise. Resolves with null when a newer query was asked before this one was answered (the caller
   * shows nothing new); rejects when the recommender failed.
   */
  async find(q: MovieQuery): Promise<MovieSummary[] | null> {
    const asked = ++this.#asked;
    const query = q.query.trim();
    const movies = query
      ? await this.#client.call('searchMovies', query, q.limit)
      : await this.#client.call('browseMovies', { genre: q.genre ?? undefined, limit: q.limit });
    return asked === this.#asked ? movies : null;
  }
}
