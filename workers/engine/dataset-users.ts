/**
 * Data set users ("browse as"): their embeddings in the current graph and their rated movies. A visitor's
 * rating changes the neighbourhood of every user who rated the same movies, so their embeddings are only
 * marked stale by it (the visitor session's `version`) and refreshed by one full forward pass when one of
 * them is next asked for — lazy, and a batch of visitor ratings costs at most one pass. Rated-movie bitsets
 * are cached in memory and in IndexedDB.
 */
import type { Catalog } from '../../src/core/catalog.ts';
import { createBitset, setBit } from '../../src/core/recommend/rank.ts';
import { LOW_RATING_BELOW } from '../../src/core/recommend/recommend.ts';
import type { ForwardRunner } from '../runtime/forward-runner.ts';
import type { ProfileStore } from '../storage/profile-store.ts';
import type { StatusBoard } from './status.ts';
import type { VisitorSession } from './visitor-session.ts';

export interface Embeddings {
  userEmb: Float32Array;
  movieEmb: Float32Array;
}

/** The snapshot graph's embeddings as start-up found them: users' only when a pass computed or stored them. */
export interface BaseEmbeddings {
  userEmb: Float32Array | null;
  movieEmb: Float32Array;
}

export class DatasetUsers {
  readonly #base: BaseEmbeddings;
  readonly #catalog: Catalog;
  readonly #session: VisitorSession;
  readonly #runner: ForwardRunner;
  readonly #store: ProfileStore;
  readonly #key: string;
  readonly #status: StatusBoard;
  /** Embeddings of the graph with the visitor, from the last full pass; null until one is needed. */
  #live: (Embeddings & { version: number }) | null = null;
  readonly #ratedBits = new Map<number, Uint8Array>();

  constructor(parts: {
    base: BaseEmbeddings;
    catalog: Catalog;
    session: VisitorSession;
    runner: ForwardRunner;
    store: ProfileStore;
    artifactKey: string;
    status: StatusBoard;
  }) {
    this.#base = parts.base;
    this.#catalog = parts.catalog;
    this.#session = parts.session;
    this.#runner = parts.runner;
    this.#store = parts.store;
    this.#key = parts.artifactKey;
    this.#status = parts.status;
  }

  /**
   * Embeddings of the current graph (visitor included); one full pass when the visitor changed since the
   * last, or when start-up had only the movies' (shipped embeddings hold no users).
   */
  async embeddings(): Promise<Embeddings> {
    const { userEmb, movieEmb } = this.#base;
    if (this.#session.size === 0 && userEmb) return { userEmb, movieEmb };
    if (this.#live && this.#live.version === this.#session.version) return this.#live;
    const version = this.#session.version;
    const pass = await this.#runner.run(this.#session.graph.toRatingGraph());
    this.#status.fullPass(pass.ms);
    this.#live = { userEmb: pass.userEmb, movieEmb: pass.movieEmb, version };
    return this.#live;
  }

  /** User u's ratings by movie index, and their low-rated movies as a bitset. */
  ratings(u: number): { rated: { movie: number; stars: number }[]; low: Uint8Array } {
    const g = this.#catalog.snapshot.graph;
    const rated: { movie: number; stars: number }[] = [];
    const low = createBitset(g.numMovies);
    for (let e = g.userPtr[u]; e < g.userPtr[u + 1]; e++) {
      rated.push({ movie: g.edgeMovie[e], stars: g.edgeRating[e] });
      if (g.edgeRating[e] < LOW_RATING_BELOW) setBit(low, g.edgeMovie[e]);
    }
    return { rated, low };
  }

  /** User u's rated movies as a bitset (memory, else IndexedDB, else built from the graph and stored). */
  async ratedBits(u: number): Promise<Uint8Array> {
    let bits = this.#ratedBits.get(u);
    if (bits) return bits;
    bits = (await this.#store.getBitset(this.#key, `user:${u}`)) ?? undefined;
    if (!bits) {
      const g = this.#catalog.snapshot.graph;
      bits = createBitset(g.numMovies);
      for (let e = g.userPtr[u]; e < g.userPtr[u + 1]; e++) setBit(bits, g.edgeMovie[e]);
      void this.#store.putBitset(this.#key, `user:${u}`, bits);
    }
    this.#ratedBits.set(u, bits);
    return bits;
  }
}
