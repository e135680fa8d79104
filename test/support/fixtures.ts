/**
 * Materialises a format fixture (test/fixtures/<format>/*.fixture) under the data set's real file names in
 * a temporary folder, and returns that folder (or the parent of all of them for `'all'`).
 */
import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SOURCE = join('test', 'fixtures');
let root: string | null = null;

function materialiseAll(): string {
  if (root) return root;
  root = mkdtempSync(join(tmpdir(), 'cinesage-fixtures-'));
  for (const format of readdirSync(SOURCE, { withFileTypes: true })) {
    if (!format.isDirectory()) continue;
    for (const file of readdirSync(join(SOURCE, format.name))) {
      if (file.endsWith('.fixture')) {
        cpSync(join(SOURCE, format.name, file), join(root, format.name, file.slice(0, -'.fixture'.length)));
      }
    }
  }
  return root;
}

/** The folder holding the `format` fixture under real names, e.g. `.../ml-100k/u.data`. */
export function fixtureDir(format: string): string {
  return join(materialiseAll(), format);
}

/** The folder holding every format's fixture folder. */
export function fixturesRoot(): string {
  return materialiseAll();
}
