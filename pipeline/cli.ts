/**
 * The pipeline's command line: `node pipeline/cli.ts <command> [options]` (npm scripts wrap it).
 *   build      [--format F] [--dir DIR] [--out DIR]   snapshot only (npm run data -- build)
 *   inspect    [FILE]                                 what a snapshot holds (npm run data -- inspect)
 *   artifacts  [train options]                        snapshot + trained model + manifest (npm run artifacts)
 *   train      [--exclude-users FILE] [--seed N] [--epochs N] [--format F] [--dir DIR] [--out DIR]
 *   recommend  --ratings FILE [--n 20]                top-N for a ratings file, as JSON
 *   eval       [see npm run eval -- --help]           quality table: the model and baselines, two protocols
 */
import { parseArgs } from 'node:util';
import type { DatasetFormat } from '../src/core/dataset.ts';
import { buildArtifacts } from './artifacts/build.ts';
import { recommendCommand } from './artifacts/recommend.ts';
import { buildCommand, inspectCommand } from './data/commands.ts';
import { evalCommand, readExcludeUsers } from './eval/commands.ts';

const USAGE = `Usage: node pipeline/cli.ts <command> [options]
  build      [--format ml-100k|ml-1m|ml-latest] [--dir DIR] [--out DIR]   build the graph snapshot
  inspect    [FILE]                                                       describe a snapshot
  artifacts  (same options as train)                                      snapshot + trained model + manifest
  train      [--exclude-users FILE] [--seed N] [--epochs N] [--format F] [--dir DIR] [--out DIR]
  recommend  --ratings FILE [--n 20] [--artifacts DIR] [--variant fp32|int8]
  eval       [--protocol u1|visitor|both] [--skip-model] [--export-embeddings DIR] …  (eval --help)`;

async function trainCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      'exclude-users': { type: 'string' },
      seed: { type: 'string' },
      epochs: { type: 'string' },
      format: { type: 'string' },
      dir: { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
  });
  const num = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, not "${v}"`);
    return n;
  };
  await buildArtifacts({
    format: values.format as DatasetFormat | undefined,
    dir: values.dir,
    out: values.out,
    excludeUsers: values['exclude-users'] ? await readExcludeUsers(values['exclude-users']) : undefined,
    train: Object.fromEntries(
      Object.entries({ seed: num('seed', values.seed), epochs: num('epochs', values.epochs) }).filter(
        ([, v]) => v !== undefined,
      ),
    ),
  });
}

const COMMANDS: Record<string, (args: string[]) => Promise<unknown>> = {
  build: buildCommand,
  inspect: inspectCommand,
  artifacts: trainCommand,
  train: trainCommand,
  recommend: recommendCommand,
  eval: evalCommand,
};

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  const run = command ? COMMANDS[command] : undefined;
  if (!run) {
    process.stderr.write(`${command ? `Unknown command "${command}".\n` : ''}${USAGE}\n`);
    process.exit(command ? 2 : 0);
  }
  await run(args);
}

main(process.argv.slice(2)).catch((err: Error) => {
  process.stderr.write(`\n${err.name && err.name !== 'Error' ? `${err.name}: ` : ''}${err.message}\n`);
  process.exit(1);
});
