/**
 * The inference worker: owns the model session, the graph, the embeddings and all IndexedDB writes, and
 * exposes them to the page through comlink (see src/client/worker-client.ts for the calling side).
 */
import * as Comlink from 'comlink';
import { createEngine } from './engine.ts';

Comlink.expose(createEngine());
