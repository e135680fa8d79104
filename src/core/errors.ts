/**
 * Every error class of CineSage, declared here and nowhere else, each with a message a person can act on,
 * and the one registry (`ERROR_CLASSES`) that carries them across a worker boundary as their own class.
 * comlink alone keeps only name/message/stack of an error; `installErrorTransfer` replaces its `throw`
 * transfer handler with one that re-creates the class by name with its own fields (e.g. `file`). Both ends
 * install it once at their entry points: the page in src/client/worker-client.ts, the worker in
 * workers/inference.worker.ts. Pure: no DOM or Node imports.
 */

export class CineSageError extends Error {
  override name = 'CineSageError';
}

/** An artifact (snapshot, model, manifest) is truncated, corrupt, of the wrong type or version. */
export class ArtifactFormatError extends CineSageError {
  override name = 'ArtifactFormatError';
  /** The file the problem is in, e.g. `snapshot.bin`. */
  readonly file: string;
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.file = file;
  }
}

/** An artifact's size or content hash differs from what the manifest promises. */
export class ArtifactMismatchError extends CineSageError {
  override name = 'ArtifactMismatchError';
  /** The file the problem is in, e.g. `snapshot.bin`. */
  readonly file: string;
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}. Rebuild the artifacts (npm run artifacts) or clear the site's cache and reload.`);
    this.file = file;
  }
}

/** The network or the server failed to deliver an artifact. */
export class ArtifactDownloadError extends CineSageError {
  override name = 'ArtifactDownloadError';
  /** The file that could not be downloaded, e.g. `snapshot.bin`. */
  readonly file: string;
  /** The HTTP status the server answered, or null when no answer came (offline, blocked). */
  readonly status: number | null;
  constructor(file: string, problem: string, status: number | null = null) {
    const advice =
      status === null
        ? 'Check the connection and reload the page.'
        : 'Check the artifacts URL, and that the artifacts were built (npm run artifacts) and deployed.';
    super(`${file}: ${problem}. ${advice}`);
    this.file = file;
    this.status = status;
  }
}

/** A rating the product cannot accept: unknown movie, value out of range. */
export class InvalidRatingError extends CineSageError {
  override name = 'InvalidRatingError';
}

/** A ratings file that cannot be imported; the message says which entry and why. */
export class ProfileImportError extends CineSageError {
  override name = 'ProfileImportError';
}

/** The recommender is not started yet, or its start-up failed. */
export class NotReadyError extends CineSageError {
  override name = 'NotReadyError';
}

/** The worker failed to load or crashed; calls in flight are rejected and the next call starts a new one. */
export class WorkerCrashedError extends CineSageError {
  override name = 'WorkerCrashedError';
}

/** A worker call took longer than its timeout; the worker keeps running. */
export class WorkerTimeoutError extends CineSageError {
  override name = 'WorkerTimeoutError';
  /** The limit that was exceeded, in milliseconds. */
  readonly timeoutMs: number;
  constructor(method: string, timeoutMs: number) {
    super(`The recommender did not answer ${method} within ${timeoutMs} ms. Try again, or reload the page.`);
    this.timeoutMs = timeoutMs;
  }
}

/** A data set file could not be parsed; the message names the file and line. */
export class DatasetParseError extends CineSageError {
  override name = 'DatasetParseError';
}

/** A downloaded ZIP archive cannot be read (truncated, damaged, or not a ZIP at all). */
export class ZipFormatError extends CineSageError {
  override name = 'ZipFormatError';
  constructor(problem: string) {
    super(`not a readable ZIP archive: ${problem}. Delete the download and fetch it again.`);
  }
}

type ErrorClass = abstract new (...args: never[]) => CineSageError;

/**
 * Every error class by its `name`: the only registry. Keyed by literal property names, not `cls.name`,
 * because a minified build renames classes. A new class must be added here.
 */
export const ERROR_CLASSES: Readonly<Record<string, ErrorClass>> = {
  CineSageError,
  ArtifactFormatError,
  ArtifactMismatchError,
  ArtifactDownloadError,
  InvalidRatingError,
  ProfileImportError,
  NotReadyError,
  WorkerCrashedError,
  WorkerTimeoutError,
  DatasetParseError,
  ZipFormatError,
};

const byName = new Map<string, ErrorClass>(Object.entries(ERROR_CLASSES));

/** An error as it crosses a worker boundary: structured-clonable, with the class's own fields. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** The error's own enumerable fields besides `name` (e.g. `file`), where structured cloning allows. */
  fields: Record<string, unknown>;
}

export function serializeError(err: Error): SerializedError {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(err)) {
    if (key === 'name' || key === 'message' || key === 'stack') continue;
    try {
      fields[key] = structuredClone(value);
    } catch {
      // Not clonable (a function, a DOM node): left behind rather than failing the whole answer.
    }
  }
  return { name: err.name, message: err.message, stack: err.stack, fields };
}

/**
 * Re-creates an error that crossed a worker boundary: an instance of its registered class (without running
 * its constructor, so the message is kept verbatim), or a plain `Error` with the same name for others.
 */
export function deserializeError(data: SerializedError): Error {
  const cls = byName.get(data.name);
  const err: Error = cls ? Object.create(cls.prototype) : new Error(data.message);
  Object.defineProperty(err, 'message', { value: data.message, writable: true, configurable: true });
  if (data.stack !== undefined) {
    Object.defineProperty(err, 'stack', { value: data.stack, writable: true, configurable: true });
  }
  Object.assign(err, data.fields, { name: data.name });
  return err;
}

/** The part of comlink's transfer handler contract this module needs (kept structural: no comlink import). */
interface TransferHandlerLike {
  canHandle(value: unknown): boolean;
  serialize(value: never): [unknown, unknown[]];
  deserialize(value: never): unknown;
}

const installed = new WeakSet<object>();

/**
 * Makes comlink carry errors as their own classes: replaces its `throw` transfer handler (in
 * `Comlink.transferHandlers`) with one that sends `serializeError` and re-creates with `deserializeError`.
 * Install it on both sides of a worker boundary; calling it again is a no-op.
 */
export function installErrorTransfer(transferHandlers: Map<string, TransferHandlerLike>): void {
  const builtIn = transferHandlers.get('throw');
  if (!builtIn || installed.has(builtIn)) return;
  type Thrown = { value: unknown };
  type Wire = { isError: true; value: SerializedError } | { isError: false; value: unknown };
  const handler: TransferHandlerLike = {
    // comlink marks a thrown value with a private symbol; its own check is the only way to recognise it.
    canHandle: (value) => builtIn.canHandle(value),
    serialize: ({ value }: Thrown): [Wire, unknown[]] => [
      value instanceof Error ? { isError: true, value: serializeError(value) } : { isError: false, value },
      [],
    ],
    deserialize: (wire: Wire): never => {
      throw wire.isError ? deserializeError(wire.value) : wire.value;
    },
  };
  installed.add(handler);
  transferHandlers.set('throw', handler);
}
