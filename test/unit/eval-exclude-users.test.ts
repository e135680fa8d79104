import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatExcludeUsers, parseExcludeUsers, readExcludeUsers } from '../../pipeline/eval/exclude-users.ts';
import { DatasetParseError } from '../../src/core/errors.ts';

describe('exclude-users files', () => {
  test('one id a line; blank lines and # comments (whole or trailing) are ignored', () => {
    const ids = parseExcludeUsers('# held out\n\n12\n  7  \n3 # trailing\r\n12\n', 'x.txt');
    expect([...ids].sort((a, b) => a - b)).toEqual([3, 7, 12]);
  });

  test('garbage is a clear error naming the file and line', () => {
    expect(() => parseExcludeUsers('1\n2\nabc\n', 'held.txt')).toThrow(DatasetParseError);
    expect(() => parseExcludeUsers('1\n2\nabc\n', 'held.txt')).toThrow(/held\.txt:3: .*"abc"/);
    expect(() => parseExcludeUsers('4 5\n', 'f')).toThrow(/f:1/);
    expect(() => parseExcludeUsers('0\n', 'f')).toThrow(/positive integer/);
    expect(() => parseExcludeUsers('-3\n', 'f')).toThrow(/f:1/);
    expect(() => parseExcludeUsers('2.5\n', 'f')).toThrow(/f:1/);
  });

  test('round trip through a file; a missing file names the path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cinesage-exclude-'));
    const file = join(dir, 'held.txt');
    await writeFile(file, formatExcludeUsers([5, 9, 1], ['visitor split, seed 42']));
    expect([...(await readExcludeUsers(file))]).toEqual([5, 9, 1]);
    await expect(readExcludeUsers(join(dir, 'nope.txt'))).rejects.toThrow(/nope\.txt/);
  });
});
