/**
 * Small helpers the MovieLens metadata parsers share: reading a file in its encoding, splitting lines, and
 * the year written at the end of a title.
 */
import { readFile } from 'node:fs/promises';

/** Reads a whole (small) metadata file; MovieLens 100K/1M are Latin-1, "latest" is UTF-8. */
export async function readText(path: string, encoding: 'latin1' | 'utf8'): Promise<string> {
  const text = (await readFile(path)).toString(encoding);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Lines without their terminators (`\n` or `\r\n`), each with its 1-based line number; blank lines dropped. */
export function nonEmptyLines(text: string): { line: string; lineNo: number }[] {
  const out: { line: string; lineNo: number }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (line.trim() !== '') out.push({ line, lineNo: i + 1 });
  }
  return out;
}

/** The year in a trailing `(1995)` (or a range's first year, `(2006–2007)`), else null. */
export function yearFromTitle(title: string): number | null {
  const m = /\((\d{4})(?:\s*[-–]\s*\d{0,4})?\)\s*$/.exec(title);
  return m ? Number(m[1]) : null;
}
