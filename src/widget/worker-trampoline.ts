/**
 * Starts the inference worker for a widget that may be served from another origin than the page. Browsers
 * refuse `new Worker(url)` across origins, so the page starts a same-origin Blob module worker whose only
 * line imports the real worker module from the widget's origin (which must send CORS headers). Inside,
 * `import.meta.url` is the widget origin's URL, so the runtime's wasm and chunks load from there too.
 */
import workerUrl from '../../workers/inference.worker.ts?worker&url';

/** Absolute URL of the built worker module, resolved against the widget script. */
export function inferenceWorkerUrl(): string {
  return new URL(workerUrl, import.meta.url).href;
}

export function startWidgetWorker(): Worker {
  const url = inferenceWorkerUrl();
  if (new URL(url).origin === location.origin) {
    return new Worker(url, { type: 'module', name: 'cinesage-widget' });
  }
  const source = `import ${JSON.stringify(url)};\n`;
  const blobUrl = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const worker = new Worker(blobUrl, { type: 'module', name: 'cinesage-widget' });
  // The blob only needs to live until the worker has fetched it.
  setTimeout(() => URL.revokeObjectURL(blobUrl), 60_000);
  return worker;
}
