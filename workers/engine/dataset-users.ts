/**
 * Data set users ("browse as"): their embeddings in the current graph and their rated movies. A visitor's
 * rating changes the neighbourhood of every user who rated the same movies, so their embeddings are only
 * marked stale by it (the visitor session's `version`) and refreshed by one full forward pass when one of
 * them is next asked for — lazy, and a batch of visitor ratings costs at most one pass. The full-graph
 * snapshot itself is asked for only then (a site started from a serving snapshot downloads it on the first
 * "browse as"). Rated-movie bitsets are cached in memory and in IndexedDB.
 */
import { InvalidRatingError } from '../../src/core/errors.ts';
import { createBitset, setBit } from '../../src/core/recommend/rank.ts';
import { LOW_RATING_BELOW } from '../../src/core/recommend/recommend.ts';
import type { Snapshot } from '../../src/core/snapshot/format.ts';
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
  readonly #fullGraph: () => Promise<Snapshot>;
  #userIndexById: Map<number, number> | null = null;
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
    /** The full-graph snapshot, downloaded on first use when start-up had only the serving snapshot. */
    fullGraph: () => Promise<Snapshot>;
    session: VisitorSession;
    runner: ForwardRunner;
    store: ProfileStore;
    artifactKey: string;
    status: StatusBoard;
  }) {
    this.#base = parts.base;
    this.#fullGraph = parts.fullGraph;
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
    const base = (await this.#fullGraph()).graph;
    const version = this.#session.version;
    const pass = await this.#runner.run(this.#session.liveGraph(base).graph.toRatingGraph());
    this.#status.fullPass(pass.ms);
    this.#live = { userEmb: pass.userEmb, movieEmb: pass.movieEmb, version };
    return this.#live;
  }

  /** The index of a data set user id; `InvalidRatingError` when the data set does not have them. */
  async userIndex(userId: number): Promise<number> {
    if (!this.#userIndexById) {
      const g = (await this.#fullGraph()).graph;
      this.#userIndexById = new Map(Array.from(g.userIds, (id, u) => [id, u]));
    }
    const u = this.#userIndexById.get(userId);
    if (u === undefined) throw new InvalidRatingError(`User ${userId} is not in this data set.`);
    return u;
  }

  /** User u's ratings by movie index, and their low-rated movies as a bitset. */
  async ratings(u: number): Promise<{ rated: { movie: number; stars: number }[]; low: Uint8Array }> {
    const g = (await this.#fullGraph()).graph;
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
      const g = (await this.#fullGraph()).graph;
      bits = createBitset(g.numMovies);
      for (let e = g.userPtr[u]; e < g.userPtr[u + 1]; e++) setBit(bits, g.edgeMovie[e]);
      void this.#store.putBitset(this.#key, `user:${u}`, bits);
    }
    this.#ratedBits.set(u, bits);
    return bits;
  }
}
