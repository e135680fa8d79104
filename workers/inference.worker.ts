/**
 * The inference worker: owns the model session, the graph, the embeddings and all IndexedDB writes, and
 * exposes the recommender (workers/engine/service.ts) to the page through comlink (see
 * src/client/worker-client.ts for the calling side).
 */
import * as Comlink from 'comlink';
import { installErrorTransfer } from '../src/core/errors.ts';
import { createEngine } from './engine/service.ts';

// Errors reach the page as their own classes, with their fields (the page installs the same).
installErrorTransfer(Comlink.transferHandlers);
Comlink.expose(createEngine().service);
