/**
 * The `--exclude-users FILE` list: one MovieLens user id a line, blank lines and `#` comments (whole-line
 * or trailing) allowed. The eval writes the visitor split's held-out users in this format, and the train
 * CLI reads it to keep them out of the product model's graph.
 */
import { readFile } from 'node:fs/promises';
import { DatasetParseError } from '../../src/core/errors.ts';

/** Parses the list; throws DatasetParseError naming `file` and the line on anything but a positive id. */
export function parseExcludeUsers(text: string, file: string): Set<number> {
  const ids = new Set<number>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const hash = lines[i].indexOf('#');
    const line = (hash >= 0 ? lines[i].slice(0, hash) : lines[i]).trim();
    if (line === '') continue;
    if (!/^\d+$/.test(line) || Number(line) < 1 || !Number.isSafeInteger(Number(line))) {
      throw new DatasetParseError(
        `${file}:${i + 1}: expected one user id (a positive integer) per line, got "${lines[i].trim()}"`,
      );
    }
    ids.add(Number(line));
  }
  return ids;
}

/** Reads and parses an exclude-users file. */
export async function readExcludeUsers(path: string): Promise<Set<number>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new DatasetParseError(`${path}: cannot read the exclude-users file (${(e as Error).message})`);
  }
  return parseExcludeUsers(text, path);
}

/** The file text for a list of ids, with `#` comment lines first. */
export function formatExcludeUsers(ids: ArrayLike<number>, comments: string[] = []): string {
  return [...comments.map((c) => `# ${c}`), ...Array.from(ids, String)].join('\n').concat('\n');
}
