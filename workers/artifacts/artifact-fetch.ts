/**
 * Downloads one artifact (snapshot, model, manifest) with byte progress, and refuses anything that is not
 * exactly what the manifest promises: an HTTP error, an HTML page served in its place, a wrong size or a
 * wrong SHA-256 each end in a typed error naming the file — never a hang or a half-read buffer. Optionally
 * keeps verified artifacts in the Cache API (the widget has no service worker of its own).
 */
import { ArtifactDownloadError, ArtifactFormatError, ArtifactMismatchError } from '../../src/core/errors.ts';

export interface ArtifactRef {
  /** File name relative to the artifact base URL. */
  name: string;
  size: number;
  /** Lower-case hex SHA-256 of the file. */
  sha256: string;
}

export interface DownloadProgress {
  file: string;
  loaded: number;
  total: number;
  /** True when the bytes came from a cache instead of the network. */
  cached: boolean;
}

export interface FetchArtifactOptions {
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
  /** A Cache API cache to read from and fill (keyed by URL and hash). */
  cache?: Cache | null;
  fetchFn?: typeof fetch;
  /**
   * Prefixes of the file, in increasing length, each handed over once its first `bytes` have arrived and
   * match `sha256`, with the file's buffer (full length, only that prefix filled yet): lets a caller use the
   * start of a large file while the rest downloads. A prefix that does not match is an
   * `ArtifactMismatchError`, like the whole file.
   */
  prefixes?: { bytes: number; sha256: string; onReady: (bytes: Uint8Array) => void }[];
}

/** Checks the prefixes complete by `loaded` and hands each over (once); returns how many are done. */
async function offerPrefixes(
  name: string,
  bytes: Uint8Array,
  loaded: number,
  o: FetchArtifactOptions,
  done: number,
): Promise<number> {
  const list = o.prefixes ?? [];
  while (done < list.length && loaded >= list[done].bytes) {
    const p = list[done];
    const hash = await sha256Hex(bytes.subarray(0, p.bytes));
    if (hash !== p.sha256) {
      throw new ArtifactMismatchError(
        name,
        `its first ${p.bytes} bytes hash to ${hash.slice(0, 12)}…, not the manifest's ${p.sha256.slice(0, 12)}…`,
      );
    }
    p.onReady(bytes);
    done++;
  }
  return done;
}

export async function sha256Hex(bytes: ArrayBuffer | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function looksLikeHtml(bytes: Uint8Array): boolean {
  let i = 0;
  while (
    i < bytes.length &&
    i < 64 &&
    (bytes[i] === 0x20 ||
      bytes[i] === 0x0a ||
      bytes[i] === 0x0d ||
      bytes[i] === 0x09 ||
      bytes[i] === 0xef ||
      bytes[i] === 0xbb ||
      bytes[i] === 0xbf)
  )
    i++;
  return bytes[i] === 0x3c; // '<'
}

/** Fetches `ref` relative to `baseUrl`, verifying size and hash. */
export async function fetchArtifact(
  baseUrl: string | URL,
  ref: ArtifactRef,
  options: FetchArtifactOptions = {},
): Promise<ArrayBuffer> {
  // The content hash in the query makes every version its own URL, so HTTP caches and the service worker
  // can keep artifacts forever ("cache-first") and a new build is still picked up.
  const url = new URL(ref.name, baseUrl);
  url.searchParams.set('v', ref.sha256.slice(0, 16));
  const cacheKey = url.href;
  if (options.cache) {
    const hit = await options.cache.match(cacheKey).catch(() => undefined);
    if (hit) {
      const buf = await hit.arrayBuffer();
      if (buf.byteLength === ref.size && (await sha256Hex(buf)) === ref.sha256) {
        options.onProgress?.({ file: ref.name, loaded: ref.size, total: ref.size, cached: true });
        await offerPrefixes(ref.name, new Uint8Array(buf), ref.size, options, 0);
        return buf;
      }
      await options.cache.delete(cacheKey).catch(() => false);
    }
  }

  const fetchFn = options.fetchFn ?? fetch;
  let response: Response;
  try {
    response = await fetchFn(url, { signal: options.signal, cache: 'no-cache' });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ArtifactDownloadError(ref.name, `the download failed (${(err as Error).message})`);
  }
  if (!response.ok) {
    throw new ArtifactDownloadError(
      ref.name,
      `the server answered ${response.status} ${response.statusText} for ${url.href}`,
      response.status,
    );
  }
  const type = response.headers.get('content-type') ?? '';
  const bytes = new Uint8Array(ref.size);
  let loaded = 0;
  let offered = 0;
  const reader = response.body?.getReader();
  if (!reader) {
    const buf = new Uint8Array(await response.arrayBuffer());
    if (buf.length > ref.size)
      throw new ArtifactMismatchError(ref.name, `larger than the ${ref.size} bytes the manifest lists`);
    bytes.set(buf);
    loaded = buf.length;
  } else {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (loaded === 0 && value.length > 0 && (type.includes('text/html') || looksLikeHtml(value))) {
        await reader.cancel();
        throw new ArtifactFormatError(
          ref.name,
          `the server sent an HTML page instead of this file (wrong URL or a missing build of the artifacts?): ${url.href}`,
        );
      }
      if (loaded + value.length > ref.size) {
        await reader.cancel();
        throw new ArtifactMismatchError(ref.name, `larger than the ${ref.size} bytes the manifest lists`);
      }
      bytes.set(value, loaded);
      loaded += value.length;
      options.onProgress?.({ file: ref.name, loaded, total: ref.size, cached: false });
      offered = await offerPrefixes(ref.name, bytes, loaded, options, offered);
    }
  }
  if (loaded !== ref.size) {
    throw new ArtifactMismatchError(ref.name, `truncated: received ${loaded} of ${ref.size} bytes`);
  }
  offered = await offerPrefixes(ref.name, bytes, loaded, options, offered);
  const hash = await sha256Hex(bytes);
  if (hash !== ref.sha256) {
    throw new ArtifactMismatchError(
      ref.name,
      `content hash ${hash.slice(0, 12)}… differs from the manifest's ${ref.sha256.slice(0, 12)}…`,
    );
  }
  if (options.cache) {
    await options.cache.put(cacheKey, new Response(bytes.slice().buffer)).catch(() => undefined);
  }
  return bytes.buffer;
}

/**
 * Bytes `start` … `end` − 1 of `ref` by an HTTP range request, or null when the server does not do ranges
 * (it answered with the whole file: that download is cancelled). Unverified: a range is not covered by a
 * hash, so callers use it only until the verified file has arrived.
 */
export async function fetchArtifactRange(
  baseUrl: string | URL,
  ref: ArtifactRef,
  start: number,
  end: number,
  fetchFn: typeof fetch = fetch,
): Promise<Uint8Array | null> {
  const url = new URL(ref.name, baseUrl);
  url.searchParams.set('v', ref.sha256.slice(0, 16));
  let response: Response;
  try {
    response = await fetchFn(url, { headers: { range: `bytes=${start}-${end - 1}` }, cache: 'no-store' });
  } catch (err) {
    throw new ArtifactDownloadError(ref.name, `a range request failed (${(err as Error).message})`);
  }
  if (response.status !== 206) {
    await response.body?.cancel().catch(() => undefined);
    if (response.ok) return null;
    throw new ArtifactDownloadError(
      ref.name,
      `the server answered ${response.status} ${response.statusText} to a range request`,
      response.status,
    );
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length !== end - start) {
    throw new ArtifactMismatchError(ref.name, `a range request returned ${bytes.length} bytes, not ${end - start}`);
  }
  return bytes;
}
