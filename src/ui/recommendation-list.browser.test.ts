/** The recommendation list's predicted stars, reasons and in-place rating, as a screen reader meets them. */
import { expect, test } from 'vitest';
import type { Recommendation, RecommendResult } from '../core/api.ts';
import type { RecommendationList } from './recommendation-list.ts';
import './recommendation-list.ts';

const item = (movieId: number, predictedRating: number, because: Recommendation['because']): Recommendation => ({
  movieId,
  title: `Movie ${movieId}`,
  year: 1995,
  genres: ['Drama'],
  popularity: 10,
  meanRating: 3.5,
  score: 1,
  predictedRating,
  because,
});

async function mount(items: Recommendation[], ratingStep = 1) {
  const el = document.createElement('cinesage-recommendation-list') as RecommendationList;
  el.result = { items, forUser: 'you', popularFallback: false, scoringMs: 1, position: null } as RecommendResult;
  el.ratingStep = ratingStep;
  document.body.append(el);
  await el.updateComplete;
  const root = el.shadowRoot as ShadowRoot;
  await Promise.all([...root.querySelectorAll('cinesage-star-rating')].map((s) => s.updateComplete));
  return { el, rows: [...root.querySelectorAll<HTMLLIElement>('li[data-movie-id]')] };
}

test('predicted stars: one decimal on screen, "predicted x of 5 stars" for screen readers', async () => {
  const { el, rows } = await mount([item(1, 4.2, []), item(2, 3, []), item(3, 4.96, [])]);
  const predicted = rows.map((r) => r.querySelector('[part=predicted]') as HTMLElement);
  expect(predicted.map((p) => p.getAttribute('role'))).toEqual(['img', 'img', 'img']);
  expect(predicted.map((p) => p.getAttribute('aria-label'))).toEqual([
    'predicted 4.2 of 5 stars',
    'predicted 3.0 of 5 stars',
    'predicted 5.0 of 5 stars',
  ]);
  expect(predicted.map((p) => p.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
    'predicted 4.2 ★',
    'predicted 3.0 ★',
    'predicted 5.0 ★',
  ]);
  el.remove();
});

test('a reason is shown only when there is one', async () => {
  const { el, rows } = await mount([item(1, 4, [{ movieId: 9, title: 'Emma (1996)' }]), item(2, 4, [])]);
  expect(rows.map((r) => /Because you rated/.test(r.textContent ?? ''))).toEqual([true, false]);
  expect(rows[0].textContent).toMatch(/Because you rated Emma \(1996\)/);
  el.remove();
});

test('the in-place star rating follows the data set: whole stars, or half stars', async () => {
  const radiosOf = (el: HTMLElement) => {
    const stars = (el.shadowRoot as ShadowRoot).querySelector('cinesage-star-rating') as HTMLElement;
    return [...(stars.shadowRoot as ShadowRoot).querySelectorAll('[role=radio]')].map((r) =>
      r.getAttribute('data-stars'),
    );
  };
  const whole = await mount([item(1, 4, [])]);
  const half = await mount([item(1, 4, [])], 0.5);
  expect(radiosOf(whole.el)).toEqual(['1', '2', '3', '4', '5']);
  expect(radiosOf(half.el)).toEqual(['0.5', '1', '1.5', '2', '2.5', '3', '3.5', '4', '4.5', '5']);
  whole.el.remove();
  half.el.remove();
});
