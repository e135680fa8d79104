/**
 * custom-elements.json (written by `npm run manifest`) against the components' sources: every element is in it,
 * with a description, its public properties described, and exactly the parts, CSS custom properties and events
 * the source uses. Fails when a component changes and the JSDoc or the generated manifest was not brought along.
 */
import { expect, test } from 'vitest';
import manifest from '../../custom-elements.json';

const sources = import.meta.glob<string>(['./*.ts', '!./*.test.ts'], { query: '?raw', import: 'default', eager: true });

interface Declaration {
  tagName?: string;
  description?: string;
  members?: { kind: string; name: string; privacy?: string; description?: string; static?: boolean }[];
  attributes?: { name: string; fieldName?: string }[];
  events?: { name: string; description?: string; type?: { text: string } }[];
  cssParts?: { name: string; description?: string }[];
  cssProperties?: { name: string; description?: string }[];
}

const declarations = (manifest.modules as { path: string; declarations?: Declaration[] }[]).flatMap((m) =>
  (m.declarations ?? []).map((d) => ({ ...d, path: m.path })),
);
const all = (text: string, pattern: RegExp) => new Set([...text.matchAll(pattern)].map((m) => m[1]));
const customProperties = (text: string) =>
  new Set([...all(text, /var\((--[\w-]+)/g), ...all(text, /getPropertyValue\('(--[\w-]+)'\)/g)]);
const sorted = (names: Iterable<string>) => [...names].sort();

const elements = Object.entries(sources).flatMap(([file, text]) =>
  [...text.matchAll(/customElements\.define\('([\w-]+)'/g)].map((m) => ({ file: file.slice(2), tag: m[1], text })),
);

test('every element of src/ui is found', () => {
  expect(sorted(elements.map((e) => e.tag))).toEqual([
    'cinesage-loading-screen',
    'cinesage-movie-picker',
    'cinesage-profile-panel',
    'cinesage-recommendation-filters',
    'cinesage-recommendation-list',
    'cinesage-star-rating',
    'cinesage-status-panel',
    'cinesage-taste-map',
  ]);
});

test.each(elements)('$tag: the manifest documents what $file uses', ({ file, tag, text }) => {
  const doc = declarations.find((d) => d.tagName === tag);
  expect(doc, `${tag} is missing from custom-elements.json: run npm run manifest`).toBeDefined();
  if (!doc) return;
  expect(doc.path).toBe(`src/ui/${file}`);
  expect(doc.description).toMatch(new RegExp(`^\`<${tag}>\`: `));

  const publicFields = (doc.members ?? []).filter((m) => m.kind === 'field' && m.privacy === 'public' && !m.static);
  expect(publicFields.filter((m) => !m.description).map((m) => m.name)).toEqual([]);
  const fieldPrivacy = new Map((doc.members ?? []).map((m) => [m.name, m.privacy]));
  expect((doc.attributes ?? []).filter((a) => fieldPrivacy.get(a.fieldName ?? a.name) !== 'public')).toEqual([]);

  expect(sorted((doc.cssParts ?? []).map((p) => p.name))).toEqual(sorted(all(text, /part="([\w-]+)"/g)));

  // At least what the component's own styles and script read (and its star ratings', which inherit them);
  // of the shared styles, the JSDoc lists those that reach an element the component renders.
  const required = customProperties(text);
  if (text.includes('<cinesage-star-rating')) {
    for (const name of customProperties(sources['./star-rating.ts'])) required.add(name);
  }
  const allowed = new Set(required);
  if (text.includes('baseStyles')) {
    for (const name of ['--cinesage-font', '--cinesage-font-size', '--cinesage-text']) required.add(name);
    for (const name of customProperties(sources['./shared-styles.ts'])) allowed.add(name);
  }
  const documented = (doc.cssProperties ?? []).map((p) => p.name);
  expect(sorted(required).filter((name) => !documented.includes(name))).toEqual([]);
  expect(documented.filter((name) => !allowed.has(name))).toEqual([]);
  expect(new Set(documented).size).toBe(documented.length);
  expect((doc.cssProperties ?? []).filter((p) => !p.description)).toEqual([]);

  const fired = all(text, /new CustomEvent\('([\w-]+)'/g);
  if (text.includes('forwardRating(this')) fired.add('cinesage-rate');
  expect(sorted((doc.events ?? []).map((e) => e.name))).toEqual(sorted(fired));
  expect((doc.events ?? []).filter((e) => !e.description || !e.type?.text.startsWith('CustomEvent<'))).toEqual([]);
});
