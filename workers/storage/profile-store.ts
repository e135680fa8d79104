/**
 * Everything the worker keeps on the device: the visitor's ratings (one row per movie, so two tabs never
 * overwrite each other's ratings), packed embedding chunks keyed by the artifacts' content hashes, per-user
 * exclusion bitsets, and small key–value facts. IndexedDB through Dexie when it works; when it is
 * unavailable (private mode) or full, the store degrades to memory, keeps every rating it was given, and
 * says so through `status`, so the UI can warn that ratings will not survive a reload.
 */
import Dexie, { type Table } from 'dexie';
import type { VisitorRating } from '../../src/core/api.ts';

export interface EmbeddingChunk {
  /** `${snapshotHash}:${modelHash}` — the artifacts these vectors belong to. */
  artifactKey: string;
  /** 'movie' | 'user' | … */
  kind: string;
  part: number;
  /** First row of this chunk. */
  row: number;
  rows: number;
  dim: number;
  data: Float32Array;
}

export interface StoredBitset {
  artifactKey: string;
  /** e.g. 'user:42' or 'visitor'. */
  owner: string;
  bits: Uint8Array;
}

export type StorageMode = 'indexeddb' | 'memory';

export interface StorageStatus {
  mode: StorageMode;
  /** Why the store runs in memory, in plain words; null when persistent. */
  reason: string | null;
}

/** Rows per stored embedding record: a few thousand vectors a record is 10–20× faster than one per vector. */
export const EMBEDDING_ROWS_PER_CHUNK = 4096;

class CineSageDb extends Dexie {
  declare ratings: Table<VisitorRating, number>;
  declare embeddings: Table<EmbeddingChunk, [string, string, number]>;
  declare bitsets: Table<StoredBitset, [string, string]>;
  declare facts: Table<{ key: string; value: unknown }, string>;

  constructor(name: string) {
    super(name);
    this.version(1).stores({
      ratings: 'movieId',
      embeddings: '[artifactKey+kind+part], artifactKey',
      bitsets: '[artifactKey+owner], artifactKey',
      facts: 'key',
    });
  }
}

function isQuotaError(err: unknown): boolean {
  const e = err as { name?: string; inner?: { name?: string } } | null;
  return e?.name === 'QuotaExceededError' || e?.inner?.name === 'QuotaExceededError';
}

/** The on-device store. Create with `openProfileStore`. */
export class ProfileStore {
  #db: CineSageDb | null;
  #status: StorageStatus;
  readonly #memory = {
    ratings: new Map<number, VisitorRating>(),
    embeddings: new Map<string, EmbeddingChunk>(),
    bitsets: new Map<string, StoredBitset>(),
    facts: new Map<string, unknown>(),
  };

  constructor(db: CineSageDb | null, reason: string | null) {
    this.#db = db;
    this.#status = { mode: db ? 'indexeddb' : 'memory', reason };
  }

  get status(): StorageStatus {
    return { ...this.#status };
  }

  /** Runs a write; on a full disk or a broken database, moves to memory and replays the write there. */
  async #write(persistent: (db: CineSageDb) => Promise<unknown>, inMemory: () => void): Promise<void> {
    inMemory();
    if (!this.#db) return;
    try {
      await persistent(this.#db);
    } catch (err) {
      const reason = isQuotaError(err)
        ? 'This device has no storage space left for CineSage, so your ratings are kept only until you close the page.'
        : `Saving to this browser's storage failed (${(err as Error).message}), so your ratings are kept only until you close the page.`;
      await this.#degrade(reason);
    }
  }

  async #degrade(reason: string): Promise<void> {
    const db = this.#db;
    if (!db) return;
    // Keep everything readable that memory does not have yet.
    try {
      for (const r of await db.ratings.toArray()) {
        if (!this.#memory.ratings.has(r.movieId)) this.#memory.ratings.set(r.movieId, r);
      }
    } catch {
      /* unreadable: memory already has every rating given in this session */
    }
    db.close();
    this.#db = null;
    this.#status = { mode: 'memory', reason };
  }

  // ---- ratings ----

  async getRatings(): Promise<VisitorRating[]> {
    if (this.#db) {
      try {
        const rows = await this.#db.ratings.toArray();
        for (const r of rows) this.#memory.ratings.set(r.movieId, r);
        return rows;
      } catch (err) {
        await this.#degrade(`Reading this browser's storage failed (${(err as Error).message}).`);
      }
    }
    return [...this.#memory.ratings.values()].sort((a, b) => a.movieId - b.movieId);
  }

  putRating(rating: VisitorRating): Promise<void> {
    return this.#write(
      (db) => db.ratings.put(rating),
      () => this.#memory.ratings.set(rating.movieId, rating),
    );
  }

  deleteRating(movieId: number): Promise<void> {
    return this.#write(
      (db) => db.ratings.delete(movieId),
      () => this.#memory.ratings.delete(movieId),
    );
  }

  /** Replaces every rating at once (import, reset) in one transaction. */
  replaceRatings(ratings: VisitorRating[]): Promise<void> {
    return this.#write(
      (db) =>
        db.transaction('rw', db.ratings, async () => {
          await db.ratings.clear();
          await db.ratings.bulkPut(ratings);
        }),
      () => {
        this.#memory.ratings.clear();
        for (const r of ratings) this.#memory.ratings.set(r.movieId, r);
      },
    );
  }

  // ---- embeddings ----

  /** Stores a matrix (rows × dim) as packed chunks, replacing any earlier one of the same key and kind. */
  putEmbeddings(artifactKey: string, kind: string, data: Float32Array, dim: number): Promise<void> {
    const rows = data.length / dim;
    const chunks: EmbeddingChunk[] = [];
    for (let row = 0, part = 0; row < rows; row += EMBEDDING_ROWS_PER_CHUNK, part++) {
      const n = Math.min(EMBEDDING_ROWS_PER_CHUNK, rows - row);
      chunks.push({ artifactKey, kind, part, row, rows: n, dim, data: data.slice(row * dim, (row + n) * dim) });
    }
    return this.#write(
      (db) =>
        db.transaction('rw', db.embeddings, async () => {
          await db.embeddings
            .where({ artifactKey })
            .filter((c) => c.kind === kind)
            .delete();
          await db.embeddings.bulkPut(chunks);
        }),
      () => {
        for (const c of chunks) this.#memory.embeddings.set(`${artifactKey}|${kind}|${c.part}`, c);
      },
    );
  }

  /** The stored matrix, or null when absent or incomplete. */
  async getEmbeddings(artifactKey: string, kind: string, rows: number, dim: number): Promise<Float32Array | null> {
    let chunks: EmbeddingChunk[];
    if (this.#db) {
      try {
        chunks = await this.#db.embeddings
          .where({ artifactKey })
          .filter((c) => c.kind === kind)
          .toArray();
      } catch {
        return null;
      }
    } else {
      chunks = [...this.#memory.embeddings.values()].filter((c) => c.artifactKey === artifactKey && c.kind === kind);
    }
    const out = new Float32Array(rows * dim);
    let filled = 0;
    for (const c of chunks) {
      if (c.dim !== dim || c.row + c.rows > rows || c.data.length !== c.rows * dim) return null;
      out.set(c.data, c.row * dim);
      filled += c.rows;
    }
    return filled === rows ? out : null;
  }

  /** Deletes embeddings and bitsets of every other artifact version. */
  async evictOtherVersions(artifactKey: string): Promise<void> {
    for (const [k, c] of this.#memory.embeddings) if (c.artifactKey !== artifactKey) this.#memory.embeddings.delete(k);
    for (const [k, b] of this.#memory.bitsets) if (b.artifactKey !== artifactKey) this.#memory.bitsets.delete(k);
    if (!this.#db) return;
    try {
      await this.#db.embeddings.where('artifactKey').notEqual(artifactKey).delete();
      await this.#db.bitsets.where('artifactKey').notEqual(artifactKey).delete();
    } catch {
      /* eviction is best effort */
    }
  }

  // ---- exclusion bitsets ----

  putBitset(artifactKey: string, owner: string, bits: Uint8Array): Promise<void> {
    const record = { artifactKey, owner, bits: bits.slice() };
    return this.#write(
      (db) => db.bitsets.put(record),
      () => this.#memory.bitsets.set(`${artifactKey}|${owner}`, record),
    );
  }

  async getBitset(artifactKey: string, owner: string): Promise<Uint8Array | null> {
    if (this.#db) {
      try {
        return (await this.#db.bitsets.get([artifactKey, owner]))?.bits ?? null;
      } catch {
        return null;
      }
    }
    return this.#memory.bitsets.get(`${artifactKey}|${owner}`)?.bits ?? null;
  }

  // ---- facts ----

  putFact(key: string, value: unknown): Promise<void> {
    return this.#write(
      (db) => db.facts.put({ key, value }),
      () => this.#memory.facts.set(key, value),
    );
  }

  async getFact<T>(key: string): Promise<T | undefined> {
    if (this.#db) {
      try {
        return (await this.#db.facts.get(key))?.value as T | undefined;
      } catch {
        return undefined;
      }
    }
    return this.#memory.facts.get(key) as T | undefined;
  }

  /**
   * Approximate bytes used by this origin (all of it, not only CineSage), when the browser says within
   * `timeoutMs`: Chromium's estimate can stay pending while a large Cache API write is in flight (seen with
   * Chromium 150 right after the artifacts download), and the status must never wait on it. Null otherwise.
   */
  async estimateUsage(timeoutMs = 250): Promise<{ usage: number; quota: number } | null> {
    const estimate = globalThis.navigator?.storage?.estimate?.();
    if (!estimate) return null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    const est = await Promise.race([estimate, late]).finally(() => clearTimeout(timer));
    return est ? { usage: est.usage ?? 0, quota: est.quota ?? 0 } : null;
  }

  close(): void {
    this.#db?.close();
  }
}

/**
 * Opens the store named `name` (e.g. 'cinesage' for the site, 'cinesage-widget' for the widget). Never
 * throws: without a working IndexedDB it returns a memory store whose status says why.
 */
export async function openProfileStore(name: string): Promise<ProfileStore> {
  if (typeof indexedDB === 'undefined' || indexedDB === null) {
    return new ProfileStore(
      null,
      'This browser offers no storage here (private mode?), so your ratings last only until you close the page.',
    );
  }
  const db = new CineSageDb(name);
  try {
    await db.open();
    return new ProfileStore(db, null);
  } catch (err) {
    return new ProfileStore(
      null,
      `This browser's storage cannot be opened (${(err as Error).message}), so your ratings last only until you close the page.`,
    );
  }
}
