/**
 * One named Error class per failure the visitor or an operator can meet, each with a message a person can
 * act on. `name` survives structured cloning and comlink, so the main thread re-creates the class by name
 * (see `errorFromName`). Pure: no DOM or Node imports.
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
  readonly file: string;
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}. Rebuild the artifacts (npm run artifacts) or clear the site's cache and reload.`);
    this.file = file;
  }
}

/** A rating the product cannot accept: unknown movie, value out of range. */
export class InvalidRatingError extends CineSageError {
  override name = 'InvalidRatingError';
}

/** A data set file could not be parsed; the message names the file and line. */
export class DatasetParseError extends CineSageError {
  override name = 'DatasetParseError';
}

const registry: Record<string, new (...args: never[]) => CineSageError> = {};
for (const cls of [CineSageError, ArtifactFormatError, ArtifactMismatchError, InvalidRatingError, DatasetParseError]) {
  registry[cls.name] = cls as never;
}

/** Registers an error class so `errorFromName` can re-create it (call at module load of the class). */
export function registerError(cls: new (...args: never[]) => CineSageError): void {
  registry[cls.name] = cls;
}

/** Re-creates a typed error from the name and message that crossed a worker boundary. */
export function errorFromName(name: string, message: string): Error {
  const cls = registry[name];
  const err: Error = cls ? Object.create(cls.prototype) : new Error(message);
  Object.assign(err, { name, message });
  if (!(err instanceof Error)) return new Error(message);
  return err;
}
