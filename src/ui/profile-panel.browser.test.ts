/**
 * The profile panel as its owner sees it: the rated list, browse-as, and the export, import and reset it asks
 * for by events (the owner acts and reports back through `message`). No client and no file is read, so no
 * step waits on the browser: events fire synchronously in the click or change that caused them.
 */
import { afterEach, expect, test, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { RatedMovie } from '../core/api.ts';
import type { ProfilePanel } from './profile-panel.ts';
import type { StarRating } from './star-rating.ts';
import './profile-panel.ts';

const rated = (movieId: number, title: string, stars: number): RatedMovie => ({
  movieId,
  title,
  year: 1996,
  genres: ['Drama'],
  popularity: 10,
  meanRating: 3.5,
  stars,
  time: 0,
});

const RATED = [rated(100, 'Fargo (1996)', 5), rated(1, 'Toy Story (1995)', 3)];

const EVENTS = ['cinesage-rate', 'cinesage-view-as', 'cinesage-export', 'cinesage-import', 'cinesage-reset'];

async function mount(setup: (el: ProfilePanel) => void = () => undefined) {
  const el = document.createElement('cinesage-profile-panel');
  el.rated = RATED;
  el.users = [7, 42];
  setup(el);
  document.body.append(el);
  await el.updateComplete;
  await Promise.all(
    [...el.renderRoot.querySelectorAll<StarRating>('cinesage-star-rating')].map((s) => s.updateComplete),
  );
  const events: [string, unknown][] = [];
  for (const type of EVENTS) {
    el.addEventListener(type, (e) => {
      expect([e.bubbles, e.composed]).toEqual([true, true]);
      events.push([type, (e as CustomEvent).detail]);
    });
  }
  return { el, events, root: el.shadowRoot as ShadowRoot, panel: page.elementLocator(el) };
}

/**
 * Chooses a file in the panel's hidden file input, as the "Import ratings…" button's dialog would (no dialog
 * is opened: a real one is the browser's, and a test in a parallel page could be the one it appears in).
 */
function chooseFile(el: ProfilePanel, file: File) {
  const input = (el.shadowRoot as ShadowRoot).querySelector('input[type=file]') as HTMLInputElement;
  const files = new DataTransfer();
  files.items.add(file);
  input.files = files.files;
  input.dispatchEvent(new Event('change'));
  return input;
}

afterEach(() => {
  vi.restoreAllMocks();
  for (const el of document.querySelectorAll('cinesage-profile-panel')) el.remove();
});

test('lists the rated movies in a labelled ratings part, each with its stars', async () => {
  const { root, panel } = await mount();
  expect(root.querySelector('h2')?.textContent).toBe('Your ratings (2)');
  const list = panel.getByRole('list', { name: 'Your ratings' });
  expect(list.element().getAttribute('part')).toBe('ratings');
  expect([...root.querySelectorAll('li .title')].map((t) => t.textContent)).toEqual([
    'Fargo (1996)',
    'Toy Story (1995)',
  ]);
  expect(panel.getByRole('radio', { name: '5 stars for Fargo (1996)' }).element().getAttribute('aria-checked')).toBe(
    'true',
  );
  expect(root.textContent).not.toContain('You have not rated anything yet.');
});

test('with no ratings it says so', async () => {
  const { root } = await mount((el) => {
    el.rated = [];
  });
  expect(root.querySelector('h2')?.textContent).toBe('Your ratings (0)');
  expect(root.textContent).toContain('You have not rated anything yet.');
});

test('changing or removing a rating fires cinesage-rate with the movie id', async () => {
  const { panel, events } = await mount();
  await userEvent.click(panel.getByRole('radio', { name: '2 stars for Toy Story (1995)' }));
  await userEvent.click(panel.getByRole('button', { name: 'Remove your rating for Fargo (1996)' }));
  expect(events).toEqual([
    ['cinesage-rate', { movieId: 1, stars: 2 }],
    ['cinesage-rate', { movieId: 100, stars: null }],
  ]);
});

test('"Browse as" offers the visitor and the data set users, shows viewAs, and fires cinesage-view-as', async () => {
  const { el, panel, events } = await mount((e) => {
    e.viewAs = 42;
  });
  const menu = panel.getByRole('combobox', { name: 'Browse as' });
  const select = menu.element() as HTMLSelectElement;
  expect([...select.options].map((o) => o.text)).toEqual(['Me (this device)', 'MovieLens user 7', 'MovieLens user 42']);
  expect(select.value).toBe('42');
  await userEvent.selectOptions(menu, 'MovieLens user 7');
  await userEvent.selectOptions(menu, 'Me (this device)');
  expect(events).toEqual([
    ['cinesage-view-as', { userId: 7 }],
    ['cinesage-view-as', { userId: null }],
  ]);
  el.viewAs = null;
  await el.updateComplete;
  expect(select.value).toBe('');
});

test('choosing a file fires cinesage-import with it, unread, and clears the input for the next choice', async () => {
  const { el, events } = await mount();
  const file = new File(['{"ratings":[1,2,3]}'], 'mine.json', { type: 'application/json' });
  const input = chooseFile(el, file);
  expect(events).toEqual([['cinesage-import', { file }]]);
  expect(input.value).toBe('');
  // Choosing the same file again is asked again.
  chooseFile(el, file);
  expect(events).toHaveLength(2);
});

test('a change with no file chosen (the dialog cancelled) fires nothing', async () => {
  const { root, events } = await mount();
  root.querySelector('input[type=file]')?.dispatchEvent(new Event('change'));
  expect(events).toEqual([]);
});

test('"Import ratings…" opens the file chooser', async () => {
  const { root, panel } = await mount();
  const input = root.querySelector('input[type=file]') as HTMLInputElement;
  expect(input.accept).toBe('application/json,.json');
  const opened = vi.spyOn(input, 'click').mockImplementation(() => undefined);
  await userEvent.click(panel.getByRole('button', { name: 'Import ratings…' }));
  expect(opened).toHaveBeenCalledOnce();
});

test('"Export ratings" fires cinesage-export, with no detail', async () => {
  const { panel, events } = await mount();
  await userEvent.click(panel.getByRole('button', { name: 'Export ratings' }));
  expect(events).toEqual([['cinesage-export', null]]);
});

test('reset asks first: confirmed, cinesage-reset fires; declined, nothing', async () => {
  const { panel, events } = await mount();
  const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
  await userEvent.click(panel.getByRole('button', { name: 'Reset' }));
  expect(events).toEqual([]);
  await userEvent.click(panel.getByRole('button', { name: 'Reset' }));
  expect(confirm).toHaveBeenCalledTimes(2);
  expect(confirm).toHaveBeenCalledWith('Remove all your ratings from this device?');
  expect(events).toEqual([['cinesage-reset', null]]);
});

test('the owner’s message is shown as a status, an error as an alert, and null removes it', async () => {
  const { el, root } = await mount((e) => {
    e.message = { text: 'Imported 3 ratings from mine.json.', error: false };
  });
  const status = root.querySelector('[role=status]');
  expect(status?.textContent?.trim()).toBe('Imported 3 ratings from mine.json.');
  expect(status?.classList.contains('error')).toBe(false);
  expect(root.querySelector('[role=alert]')).toBeNull();
  el.message = {
    text: 'other.json was not imported: It is not a CineSage ratings file. Your current ratings are unchanged.',
    error: true,
  };
  await el.updateComplete;
  const alert = root.querySelector('[role=alert]');
  expect(alert?.textContent?.trim()).toBe(
    'other.json was not imported: It is not a CineSage ratings file. Your current ratings are unchanged.',
  );
  expect(alert?.classList.contains('error')).toBe(true);
  expect(root.querySelector('[role=status]')).toBeNull();
  el.message = null;
  await el.updateComplete;
  expect(root.querySelector('.message')).toBeNull();
});

test('a new list from the owner (after an import or reset) is shown', async () => {
  const { el, root } = await mount();
  el.rated = [];
  await el.updateComplete;
  expect(root.querySelector('h2')?.textContent).toBe('Your ratings (0)');
  expect(root.querySelectorAll('li')).toHaveLength(0);
});
