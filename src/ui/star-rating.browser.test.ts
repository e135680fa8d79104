import { expect, test } from 'vitest';
import { forwardRating, type StarRating } from './star-rating.ts';

async function mount(value = 0): Promise<{ el: StarRating; events: (number | null)[] }> {
  const el = document.createElement('cinesage-star-rating');
  el.value = value;
  el.label = 'Fargo (1996)';
  const events: (number | null)[] = [];
  el.addEventListener('cinesage-rate', (e) => events.push((e as CustomEvent<{ stars: number | null }>).detail.stars));
  document.body.append(el);
  await el.updateComplete;
  return { el, events };
}

const radios = (el: StarRating) => [
  ...(el.shadowRoot as ShadowRoot).querySelectorAll<HTMLButtonElement>('[role=radio]'),
];

test('five radios with accessible names, one tab stop, the current value checked', async () => {
  const { el } = await mount(3);
  const stars = radios(el);
  expect(stars.map((s) => s.getAttribute('aria-label'))).toEqual([
    '1 star for Fargo (1996)',
    '2 stars for Fargo (1996)',
    '3 stars for Fargo (1996)',
    '4 stars for Fargo (1996)',
    '5 stars for Fargo (1996)',
  ]);
  expect(stars.map((s) => s.tabIndex)).toEqual([-1, -1, 0, -1, -1]);
  expect(stars.map((s) => s.getAttribute('aria-checked'))).toEqual(['false', 'false', 'true', 'false', 'false']);
  el.remove();
});

test('clicks, arrow keys, Home/End and Delete fire cinesage-rate', async () => {
  const { el, events } = await mount(0);
  radios(el)[3].click();
  await el.updateComplete;
  const group = (el.shadowRoot as ShadowRoot).querySelector('[role=radiogroup]') as HTMLElement;
  for (const key of ['ArrowRight', 'ArrowLeft', 'Home', 'End', 'Delete']) {
    group.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
    await el.updateComplete;
  }
  expect(events).toEqual([4, 5, 4, 1, 5, null]);
  expect(el.value).toBe(0);
  el.remove();
});

test('forwardRating re-fires with the movie id across shadow roots', async () => {
  const host = document.createElement('div');
  const seen: unknown[] = [];
  document.body.addEventListener('cinesage-rate', (e) => seen.push((e as CustomEvent).detail), { once: true });
  document.body.append(host);
  forwardRating(host, 50)(new CustomEvent('cinesage-rate', { detail: { stars: 4 } }));
  expect(seen).toEqual([{ movieId: 50, stars: 4 }]);
  host.remove();
});
