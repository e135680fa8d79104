/**
 * Tells onnxruntime-web exactly where its `.wasm` binary is. Without this, a worker started from a Blob
 * (the cross-origin widget) fails: ORT sees its script origin differ from the worker's and tries to load a
 * separate `.mjs` loader that the bundle does not ship. With the wasm URL given and one thread (which
 * `createSession` in workers/runtime/ort-session.ts sets), ORT uses the loader embedded in its bundle on every
 * origin. The `?url` imports emit the same hashed files ORT references itself, so nothing is downloaded twice.
 * Call it before `createSession`.
 */

import webgpuBinaryUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import wasmBinaryUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import type { Backend } from '../../src/core/api.ts';
import type { OrtModule } from './ort-session.ts';

export function pointOrtAtItsWasm(ort: OrtModule, backend: Backend): void {
  const url = backend === 'webgpu' ? webgpuBinaryUrl : wasmBinaryUrl;
  ort.env.wasm.wasmPaths = { wasm: new URL(url, import.meta.url).href };
}
