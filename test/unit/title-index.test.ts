import { expect, test } from 'vitest';
import { foldText, TitleIndex } from '../../src/core/search/title-index.ts';

const titles = [
  'Star Wars (1977)',
  'Godfather, The (1972)',
  'Amélie (2001)',
  'Return of the Jedi (1983)',
  'Starman (1984)',
];
const index = new TitleIndex(titles, [583, 413, 50, 507, 40]);

test('folding removes case, accents and punctuation', () => {
  expect(foldText('  Amélie — Le Fabuleux!  ')).toBe('amelie le fabuleux');
});

test('finds titles regardless of case, accents and the moved article', () => {
  expect(index.search('AMELIE')).toEqual([2]);
  expect(index.search('the godfather')).toEqual([1]);
  expect(index.search('jedi return')).toEqual([3]);
  expect(index.search('zzz')).toEqual([]);
  expect(index.search('   ')).toEqual([]);
});

test('whole-word matches rank first, then popularity', () => {
  expect(index.search('star')).toEqual([0, 4]);
  expect(index.search('ar')).toEqual([0, 4]); // both inside words: popularity decides
});
