/** The recommendation filters: what they offer, and the cinesage-filters-change each change fires. */
import { afterEach, expect, test } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { RecommendationFilters, RecommendationFilterValues } from './recommendation-filters.ts';
import './recommendation-filters.ts';

async function mount() {
  const el = document.createElement('cinesage-recommendation-filters');
  el.genres = ['Action', 'Comedy', 'Drama'];
  el.yearRange = [1919, 1998];
  document.body.append(el);
  await el.updateComplete;
  const events: RecommendationFilterValues[] = [];
  el.addEventListener('cinesage-filters-change', (e) =>
    events.push((e as CustomEvent<RecommendationFilterValues>).detail),
  );
  return { el, events, filters: page.elementLocator(el) };
}

afterEach(() => {
  for (const el of document.querySelectorAll('cinesage-recommendation-filters')) el.remove();
});

const DEFAULTS: RecommendationFilterValues = { genres: [], years: null, minPopularity: 0, excludeLowRated: true };

/** Fills in a number field and leaves it with Tab, which commits it (a change event). */
async function enter(el: RecommendationFilters, name: string, value: string) {
  await userEvent.fill(page.elementLocator(el).getByRole('spinbutton', { name }), value);
  await userEvent.keyboard('{Tab}');
  await el.updateComplete;
}

test('a labelled form part offering the genres, the catalog years, a popularity floor and "hide low-rated"', async () => {
  const { el, filters } = await mount();
  const form = filters.getByRole('form', { name: 'Filter recommendations' });
  expect(form.element().getAttribute('part')).toBe('form');
  const genre = filters.getByRole('combobox', { name: 'Genre' }).element() as HTMLSelectElement;
  expect([...genre.options].map((o) => o.text)).toEqual(['Any genre', 'Action', 'Comedy', 'Drama']);
  const from = filters.getByRole('spinbutton', { name: 'From year' }).element() as HTMLInputElement;
  const to = filters.getByRole('spinbutton', { name: 'To year' }).element() as HTMLInputElement;
  expect([from.value, from.min, from.max, to.value]).toEqual(['1919', '1919', '1998', '1998']);
  expect((filters.getByRole('spinbutton', { name: 'At least … ratings' }).element() as HTMLInputElement).value).toBe(
    '0',
  );
  expect(
    (filters.getByRole('checkbox', { name: 'Hide movies I rated low' }).element() as HTMLInputElement).checked,
  ).toBe(true);
  el.remove();
});

test('each change fires cinesage-filters-change with all the filters so far', async () => {
  const { el, events, filters } = await mount();
  await userEvent.selectOptions(filters.getByRole('combobox', { name: 'Genre' }), 'Comedy');
  await enter(el, 'At least … ratings', '50');
  await userEvent.click(filters.getByRole('checkbox', { name: 'Hide movies I rated low' }));
  await userEvent.selectOptions(filters.getByRole('combobox', { name: 'Genre' }), 'Any genre');
  expect(events).toEqual([
    { ...DEFAULTS, genres: ['Comedy'] },
    { ...DEFAULTS, genres: ['Comedy'], minPopularity: 50 },
    { ...DEFAULTS, genres: ['Comedy'], minPopularity: 50, excludeLowRated: false },
    { ...DEFAULTS, minPopularity: 50, excludeLowRated: false },
  ]);
  el.remove();
});

test('years: a narrower range is sent, the whole catalog range is sent as null, and nonsense falls back', async () => {
  const { el, events } = await mount();
  await enter(el, 'From year', '1990');
  await enter(el, 'To year', '1995');
  await enter(el, 'To year', '');
  await enter(el, 'From year', '1919');
  expect(events.map((e) => e.years)).toEqual([[1990, 1998], [1990, 1995], [1990, 1998], null]);
  el.remove();
});

test('a negative popularity floor is sent as 0', async () => {
  const { el, events } = await mount();
  await enter(el, 'At least … ratings', '-5');
  expect(events).toEqual([DEFAULTS]);
  el.remove();
});
