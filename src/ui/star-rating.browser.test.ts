import { expect, test } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { forwardRating, type StarRating } from './star-rating.ts';

async function mount(value = 0, step = 1): Promise<{ el: StarRating; events: (number | null)[] }> {
  const el = document.createElement('cinesage-star-rating');
  el.value = value;
  el.step = step;
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

const press = async (el: StarRating, keys: string[]) => {
  const group = (el.shadowRoot as ShadowRoot).querySelector('[role=radiogroup]') as HTMLElement;
  for (const key of keys) {
    group.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
    await el.updateComplete;
  }
};

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
  await press(el, ['ArrowRight', 'ArrowLeft', 'Home', 'End', 'Delete']);
  expect(events).toEqual([4, 5, 4, 1, 5, null]);
  expect(el.value).toBe(0);
  el.remove();
});

test('half stars: ten radios 0.5–5 with accessible names, the current half star checked and focusable', async () => {
  const { el } = await mount(3.5, 0.5);
  const stars = radios(el);
  expect(stars.map((s) => s.getAttribute('aria-label'))).toEqual(
    [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5].map((n) => `${n} star${n === 1 ? '' : 's'} for Fargo (1996)`),
  );
  expect(stars.filter((s) => s.tabIndex === 0).map((s) => s.dataset.stars)).toEqual(['3.5']);
  expect(stars.filter((s) => s.getAttribute('aria-checked') === 'true').map((s) => s.dataset.stars)).toEqual(['3.5']);
  expect(stars.filter((s) => s.classList.contains('on'))).toHaveLength(7);
  el.remove();
});

test('half stars by keyboard: arrows move half a star and keep focus on the chosen one, Home is 0.5', async () => {
  const { el, events } = await mount(0, 0.5);
  radios(el)[0].focus();
  await press(el, ['ArrowRight', 'ArrowRight', 'ArrowUp', 'ArrowLeft']);
  expect(events).toEqual([0.5, 1, 1.5, 1]);
  expect((el.shadowRoot as ShadowRoot).activeElement?.getAttribute('aria-label')).toBe('1 star for Fargo (1996)');
  await press(el, ['End', 'ArrowDown', 'Home', 'ArrowLeft', 'Delete']);
  expect(events).toEqual([0.5, 1, 1.5, 1, 5, 4.5, 0.5, 0.5, null]);
  expect(el.value).toBe(0);
  radios(el)[6].click();
  expect(events.at(-1)).toBe(3.5);
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

test('real pointer and keyboard: the radios are found by role and name, and the chosen star fires and reflects', async () => {
  const { el, events } = await mount(0);
  const stars = page.elementLocator(el);
  await userEvent.click(stars.getByRole('radio', { name: '2 stars for Fargo (1996)' }));
  await el.updateComplete;
  expect(events).toEqual([2]);
  expect(el.getAttribute('value')).toBe('2');
  expect(stars.getByRole('radio', { name: '2 stars for Fargo (1996)' }).element().getAttribute('aria-checked')).toBe(
    'true',
  );
  await userEvent.keyboard('{ArrowRight}{ArrowRight}');
  expect(events).toEqual([2, 3, 4]);
  expect((el.shadowRoot as ShadowRoot).activeElement).toBe(
    stars.getByRole('radio', { name: '4 stars for Fargo (1996)' }).element(),
  );
  el.remove();
});

test('parts: five star parts, and the remove part only while there is a rating; removing fires null', async () => {
  const { el, events } = await mount(0);
  const root = el.shadowRoot as ShadowRoot;
  expect(root.querySelectorAll('[part=star]')).toHaveLength(5);
  expect(root.querySelector('[part=remove]')).toBeNull();
  el.value = 4;
  await el.updateComplete;
  const remove = page.elementLocator(el).getByRole('button', { name: 'Remove your rating for Fargo (1996)' });
  expect(remove.element().getAttribute('part')).toBe('remove');
  await userEvent.click(remove);
  await el.updateComplete;
  expect(events).toEqual([null]);
  expect(el.value).toBe(0);
  expect(el.getAttribute('value')).toBe('0');
  expect(root.querySelector('[part=remove]')).toBeNull();
  el.remove();
});

test('hovering previews the stars up to the pointer without choosing; leaving restores the value', async () => {
  const { el, events } = await mount(2);
  const on = () => radios(el).filter((s) => s.classList.contains('on')).length;
  await userEvent.hover(page.elementLocator(el).getByRole('radio', { name: '4 stars for Fargo (1996)' }));
  await el.updateComplete;
  expect(on()).toBe(4);
  await userEvent.unhover(page.elementLocator(el).getByRole('radiogroup'));
  await userEvent.hover(document.body);
  await el.updateComplete;
  expect(on()).toBe(2);
  expect(events).toEqual([]);
  el.remove();
});
