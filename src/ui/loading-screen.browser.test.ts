/** The loading screen: a progress bar per file, the set-up step, and the error with "Try again". */
import { expect, test } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { LoadProgress } from '../core/api.ts';
import type { LoadingScreen } from './loading-screen.ts';
import './loading-screen.ts';

const progress = (file: string, loaded: number, total: number, cached = false): LoadProgress => ({
  phase: 'download',
  file,
  loaded,
  total,
  cached,
  message: `Downloading ${file}`,
});

async function mount(setup: (el: LoadingScreen) => void = () => undefined) {
  const el = document.createElement('cinesage-loading-screen');
  setup(el);
  document.body.append(el);
  await el.updateComplete;
  return { el, root: el.shadowRoot as ShadowRoot, screen: page.elementLocator(el) };
}

test('one progress part per file with bytes and percent, "from this device" when cached', async () => {
  const { el, root } = await mount((e) => {
    e.files = new Map([
      ['model.onnx', progress('model.onnx', 1024 * 1024, 4 * 1024 * 1024)],
      ['snapshot.bin', progress('snapshot.bin', 2048, 2048, true)],
    ]);
  });
  const bars = [...root.querySelectorAll<HTMLProgressElement>('[part=progress]')];
  expect(bars.map((b) => [b.tagName, b.max, b.value])).toEqual([
    ['PROGRESS', 4 * 1024 * 1024, 1024 * 1024],
    ['PROGRESS', 2048, 2048],
  ]);
  const labels = [...root.querySelectorAll('label')].map((l) => l.textContent?.replace(/\s+/g, ' ').trim());
  expect(labels).toEqual(['model.onnx: 1.00 MB of 4.00 MB (25%)', 'snapshot.bin: from this device']);
  expect(root.querySelector('h2')?.textContent).toBe('Getting the recommender ready');
  el.remove();
});

test('the set-up step is announced politely', async () => {
  const { el, screen } = await mount();
  const status = screen.getByRole('status');
  expect(status.element().textContent).toBe('Starting…');
  expect(status.element().getAttribute('aria-live')).toBe('polite');
  el.step = 'Computing the movie embeddings…';
  await el.updateComplete;
  expect(status.element().textContent).toBe('Computing the movie embeddings…');
  el.remove();
});

test('an error replaces the progress with an alert, and "Try again" fires cinesage-retry', async () => {
  const { el, root, screen } = await mount((e) => {
    e.files = new Map([['model.onnx', progress('model.onnx', 1, 2)]]);
    e.error = 'model.onnx could not be downloaded.';
  });
  const alert = screen.getByRole('alert').element();
  expect(alert.textContent?.replace(/\s+/g, ' ').trim()).toBe(
    'CineSage could not start. model.onnx could not be downloaded.',
  );
  expect(root.querySelector('[part=progress]')).toBeNull();
  let retries = 0;
  document.addEventListener('cinesage-retry', () => retries++, { once: true });
  await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
  expect(retries).toBe(1);
  el.remove();
});
