/** The profile panel against a fake client: the rated list, browse-as, import, export and reset. */
import { afterEach, expect, test, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { RecommenderClient } from '../client/recommender-client.ts';
import type { RatedMovie } from '../core/api.ts';
import type { ProfilePanel } from './profile-panel.ts';
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

/** Only the three calls the panel makes: exportRatings, importRatings, resetProfile. */
function fakeClient(importRatings: (json: string) => Promise<number> = async () => 2) {
  const calls: unknown[][] = [];
  const client = {
    call(method: string, ...args: unknown[]): Promise<unknown> {
      calls.push([method, ...args]);
      if (method === 'exportRatings') return Promise.resolve('{"ratings":[]}');
      if (method === 'importRatings') return importRatings(args[0] as string);
      if (method === 'resetProfile') return Promise.resolve(undefined);
      throw new Error(`the panel should not call ${method}`);
    },
  };
  return { client: client as unknown as RecommenderClient, calls };
}

async function mount(client: RecommenderClient | null, setup: (el: ProfilePanel) => void = () => undefined) {
  const el = document.createElement('cinesage-profile-panel');
  el.client = client;
  el.rated = RATED;
  el.users = [7, 42];
  setup(el);
  document.body.append(el);
  await el.updateComplete;
  const events: [string, unknown][] = [];
  for (const type of ['cinesage-rate', 'cinesage-view-as', 'cinesage-profile-replaced']) {
    el.addEventListener(type, (e) => events.push([type, (e as CustomEvent).detail]));
  }
  return { el, events, root: el.shadowRoot as ShadowRoot, panel: page.elementLocator(el) };
}

/** Lets the fake client answer and the panel render. */
async function settle(el: ProfilePanel) {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
  }
}

/** Chooses a file in the panel's hidden file input, as the "Import ratings…" button's dialog would. */
async function chooseFile(el: ProfilePanel, file: File) {
  const input = (el.shadowRoot as ShadowRoot).querySelector('input[type=file]') as HTMLInputElement;
  const files = new DataTransfer();
  files.items.add(file);
  input.files = files.files;
  input.dispatchEvent(new Event('change'));
  await settle(el);
}

afterEach(() => {
  vi.restoreAllMocks();
  for (const el of document.querySelectorAll('cinesage-profile-panel')) el.remove();
});

test('lists the rated movies in a labelled ratings part, each with its stars', async () => {
  const { root, panel } = await mount(null);
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
  const { root } = await mount(null, (el) => {
    el.rated = [];
  });
  expect(root.querySelector('h2')?.textContent).toBe('Your ratings (0)');
  expect(root.textContent).toContain('You have not rated anything yet.');
});

test('changing or removing a rating fires cinesage-rate with the movie id', async () => {
  const { panel, events } = await mount(null);
  await userEvent.click(panel.getByRole('radio', { name: '2 stars for Toy Story (1995)' }));
  await userEvent.click(panel.getByRole('button', { name: 'Remove your rating for Fargo (1996)' }));
  expect(events).toEqual([
    ['cinesage-rate', { movieId: 1, stars: 2 }],
    ['cinesage-rate', { movieId: 100, stars: null }],
  ]);
});

test('"Browse as" offers the visitor and the data set users, shows viewAs, and fires cinesage-view-as', async () => {
  const { el, panel, events } = await mount(null, (e) => {
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

test('importing a good file hands its text to the client, says so, and fires cinesage-profile-replaced', async () => {
  const { client, calls } = fakeClient(async () => 3);
  const { el, root, events } = await mount(client);
  await chooseFile(el, new File(['{"ratings":[1,2,3]}'], 'mine.json', { type: 'application/json' }));
  expect(calls).toEqual([['importRatings', '{"ratings":[1,2,3]}']]);
  expect(root.querySelector('[role=status]')?.textContent?.trim()).toBe('Imported 3 ratings from mine.json.');
  expect(events).toEqual([['cinesage-profile-replaced', null]]);
});

test('a refused file is reported as an alert and nothing is replaced', async () => {
  const { client } = fakeClient(async () => {
    throw new Error('It is not a CineSage ratings file.');
  });
  const { el, root, events } = await mount(client);
  await chooseFile(el, new File(['nope'], 'other.json'));
  const alert = root.querySelector('[role=alert]');
  expect(alert?.textContent?.trim()).toBe(
    'other.json was not imported: It is not a CineSage ratings file. Your current ratings are unchanged.',
  );
  expect(alert?.classList.contains('error')).toBe(true);
  expect(events).toEqual([]);
});

test('"Import ratings…" opens the file chooser', async () => {
  const { root, panel } = await mount(fakeClient().client);
  const input = root.querySelector('input[type=file]') as HTMLInputElement;
  expect(input.accept).toBe('application/json,.json');
  const opened = vi.spyOn(input, 'click').mockImplementation(() => undefined);
  await userEvent.click(panel.getByRole('button', { name: 'Import ratings…' }));
  expect(opened).toHaveBeenCalledOnce();
});

test('export downloads the client’s JSON as cinesage-ratings.json and says how many', async () => {
  const { client, calls } = fakeClient();
  const { el, root, panel } = await mount(client);
  const blobs: Blob[] = [];
  vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
    blobs.push(b as Blob);
    return 'blob:fake';
  });
  const downloads: string[] = [];
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push(`${this.download} ${this.href}`);
  });
  await userEvent.click(panel.getByRole('button', { name: 'Export ratings' }));
  await settle(el);
  expect(calls).toEqual([['exportRatings']]);
  expect(downloads).toEqual(['cinesage-ratings.json blob:fake']);
  expect(await blobs[0].text()).toBe('{"ratings":[]}');
  expect(blobs[0].type).toBe('application/json');
  expect(root.querySelector('[role=status]')?.textContent?.trim()).toBe('Exported 2 ratings.');
});

test('reset asks first: confirmed, the client resets and cinesage-profile-replaced fires; declined, nothing', async () => {
  const { client, calls } = fakeClient();
  const { el, root, panel, events } = await mount(client);
  const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
  await userEvent.click(panel.getByRole('button', { name: 'Reset' }));
  await settle(el);
  expect(calls).toEqual([]);
  expect(events).toEqual([]);
  await userEvent.click(panel.getByRole('button', { name: 'Reset' }));
  await settle(el);
  expect(confirm).toHaveBeenCalledTimes(2);
  expect(calls).toEqual([['resetProfile']]);
  expect(events).toEqual([['cinesage-profile-replaced', null]]);
  expect(root.querySelector('[role=status]')?.textContent?.trim()).toBe('All ratings removed.');
});
