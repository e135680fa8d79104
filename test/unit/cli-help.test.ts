/**
 * The command lines answer `--help` with their usage on stdout and exit 0 (a newcomer's first try), and
 * refuse an unknown command with the usage and exit 2.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';

function run(script: string, args: string[]) {
  return spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 30_000 });
}

describe('command-line help', () => {
  test.each([['--help'], ['-h'], ['help'], ['recommend', '--help'], ['train', '-h']])(
    'pipeline/cli.ts %s prints every command and exits 0',
    (...args) => {
      const r = run('pipeline/cli.ts', args);
      expect(r.status).toBe(0);
      for (const c of ['build', 'inspect', 'synthesize', 'artifacts', 'train', 'recommend', 'eval'])
        expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    },
  );

  test('an unknown command gets the usage on stderr and exit 2', () => {
    const r = run('pipeline/cli.ts', ['bogus']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Unknown command "bogus"');
    expect(r.stderr).toContain('Usage:');
  });

  test('npm run bench -- --help lists its modes and runs nothing', () => {
    const r = run('bench/run.ts', ['--help']);
    expect(r.status).toBe(0);
    for (const o of ['--quick', '--links', '--scale', '--dataset']) expect(r.stdout).toContain(o);
  });
});
