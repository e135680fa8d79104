/** The taste map: its text alternative, the tooltip of the nearest movie, and the themable colours it draws. */
import { afterEach, expect, test } from 'vitest';
import type { TasteMap as TasteMapData } from '../core/api.ts';
import type { TasteMap } from './taste-map.ts';
import './taste-map.ts';

/** Four movies at the corners of the unit square; the visitor in the middle. */
const MAP: TasteMapData = {
  movieIds: new Int32Array([1, 2, 3, 4]),
  titles: ['Bottom left (1990)', 'Bottom right (1991)', 'Top left (1992)', 'Top right (1993)'],
  points: new Float32Array([0, 0, 1, 0, 0, 1, 1, 1]),
  visitor: [0.5, 0.5],
};

async function mount(map: TasteMapData | null, setup: (el: TasteMap) => void = () => undefined) {
  const el = document.createElement('cinesage-taste-map');
  el.map = map;
  setup(el);
  el.style.width = '400px';
  document.body.append(el);
  await el.updateComplete;
  const canvas = (el.shadowRoot as ShadowRoot).querySelector('canvas') as HTMLCanvasElement;
  return { el, canvas };
}

afterEach(() => {
  for (const el of document.querySelectorAll('cinesage-taste-map')) el.remove();
});

const move = (canvas: HTMLCanvasElement, x: number, y: number) => {
  const rect = canvas.getBoundingClientRect();
  canvas.dispatchEvent(
    new PointerEvent('pointermove', { clientX: rect.left + x, clientY: rect.top + y, bubbles: true }),
  );
};

test('the canvas part is an image whose name says how many movies and whether you are on it', async () => {
  const { el, canvas } = await mount(MAP);
  expect(canvas.getAttribute('part')).toBe('canvas');
  expect(canvas.getAttribute('role')).toBe('img');
  expect(canvas.getAttribute('aria-label')).toBe('Map of 4 movies by taste, with your position');
  el.map = { ...MAP, visitor: null };
  await el.updateComplete;
  expect(canvas.getAttribute('aria-label')).toBe('Map of 4 movies by taste');
  el.map = null;
  await el.updateComplete;
  expect(canvas.getAttribute('aria-label')).toBe('Map of 0 movies by taste');
});

test('pointing near a movie shows its title where the pointer is; far from any, or leaving, hides it', async () => {
  const { el, canvas } = await mount(MAP);
  const tip = () => (el.shadowRoot as ShadowRoot).querySelector<HTMLElement>('.tip');
  const { width, height } = canvas.getBoundingClientRect();
  // Points are drawn 10 px in from the edges; top right is (width - 10, 10).
  move(canvas, width - 12, 13);
  await el.updateComplete;
  expect(tip()?.textContent).toBe('Top right (1993)');
  expect([tip()?.style.left, tip()?.style.top]).toEqual([`${width - 12}px`, '13px']);
  move(canvas, 12, height - 10);
  await el.updateComplete;
  expect(tip()?.textContent).toBe('Bottom left (1990)');
  move(canvas, width / 2 - 40, height / 2);
  await el.updateComplete;
  expect(tip()).toBeNull();
  move(canvas, 10, 10);
  await el.updateComplete;
  expect(tip()?.textContent).toBe('Top left (1992)');
  canvas.dispatchEvent(new PointerEvent('pointerleave'));
  await el.updateComplete;
  expect(tip()).toBeNull();
});

test('movie dots and the visitor are drawn in --cinesage-map-dot and --cinesage-map-you', async () => {
  const { canvas } = await mount(MAP, (el) => {
    el.style.setProperty('--cinesage-map-dot', 'rgb(0, 128, 0)');
    el.style.setProperty('--cinesage-map-you', 'rgb(0, 0, 255)');
  });
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  const scale = canvas.width / canvas.getBoundingClientRect().width;
  const pixel = (x: number, y: number) => [
    ...ctx.getImageData(Math.round(x * scale), Math.round(y * scale), 1, 1).data,
  ];
  const { width, height } = canvas.getBoundingClientRect();
  // Just above the visitor's label, inside its 7 px dot; and the centre of the bottom-left movie's dot.
  expect(pixel(width / 2, height / 2 - 6)).toEqual([0, 0, 255, 255]);
  expect(pixel(10, height - 10)).toEqual([0, 128, 0, 255]);
  expect(pixel(width / 2 - 40, height / 2)).toEqual([0, 0, 0, 0]);
});
