/**
 * The one place the page starts the inference worker, for the site and the widget alike. The worker module
 * is emitted as its own hashed file (`?worker&url`) and resolved against this script, so it loads from
 * wherever the site or `widget.js` is served. On the same origin it is started directly. Browsers refuse
 * `new Worker(url)` across origins, so for a widget served from another origin the page starts a
 * same-origin Blob module worker whose only line imports the real worker module from the widget's origin
 * (which must send CORS headers). Inside, `import.meta.url` is the widget origin's URL, so the runtime's
 * wasm and chunks load from there too.
 */
import workerUrl from '../../workers/inference.worker.ts?worker&url';

export type WorkerFactory = () => Worker;

/** Starts the inference worker (directly on the same origin, through a Blob trampoline across origins). */
export const startInferenceWorker: WorkerFactory = () => {
  const url = new URL(workerUrl, import.meta.url).href;
  const options: WorkerOptions = { type: 'module', name: 'cinesage-inference' };
  if (new URL(url).origin === location.origin) return new Worker(url, options);
  const source = `import ${JSON.stringify(url)};\n`;
  const blobUrl = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const worker = new Worker(blobUrl, options);
  // The blob only needs to live until the worker has fetched it.
  setTimeout(() => URL.revokeObjectURL(blobUrl), 60_000);
  return worker;
};
