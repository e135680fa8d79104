/**
 * The bench build's inference worker (`vite build --mode bench`, see vite.config.ts): the product's worker
 * plus `benchReferenceRating` (bench/reference-rating.ts), so bench/site.ts can time the reference system's
 * per-rating work on the same engine the page uses. Never part of the product build.
 */
import * as Comlink from 'comlink';
import { installErrorTransfer } from '../src/core/errors.ts';
import { createEngine } from '../workers/engine/service.ts';
import { type BenchService, referenceRating } from './reference-rating.ts';

installErrorTransfer(Comlink.transferHandlers);
const { service, engine } = createEngine();
const bench: BenchService = {
  benchReferenceRating: (movieId, stars) => referenceRating(engine(), movieId, stars),
};
Comlink.expose({ ...service, ...bench });
