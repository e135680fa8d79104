/**
 * The pipeline's command line: `node pipeline/cli.ts <command> [options]` (npm scripts wrap it).
 *   build      [--format F] [--dir DIR] [--out DIR]   snapshot only (npm run data -- build)
 *   inspect    [FILE]                                 what a graph or serving snapshot holds (npm run data -- inspect)
 *   synthesize --shape NAME --out DIR [--seed N]      a synthetic MovieLens "latest" folder of a real shape
 *   artifacts  [train options]                        snapshot + trained model + manifest (npm run artifacts)
 *   train      [--dataset NAME | --data DIR] [--exclude-users FILE] [--seed N] [--epochs N] [--out DIR]
 *              [--train-minutes M] [--sample-above-edges N] [--sample-edges N]
 *   recommend  --ratings FILE [--n 20] [--dataset NAME | --data DIR | --artifacts DIR]
 *   eval       [see npm run eval -- --help]           quality table: the model and baselines, two protocols
 */
import { parseArgs } from 'node:util';
import type { DatasetFormat } from '../src/core/dataset.ts';
import { buildArtifacts } from './artifacts/build.ts';
import { serveArtifacts } from './artifacts/build-default.ts';
import { ARTIFACTS_DIR, artifactsDirFor, buildKey } from './artifacts/paths.ts';
import { recommendCommand } from './artifacts/recommend.ts';
import { buildCommand, inspectCommand } from './data/commands.ts';
import { DEFAULT_DATASET, knownDataset, resolveDataset } from './data/datasets.ts';
import { synthesizeCommand } from './data/synthesize.ts';
import { evalCommand, readExcludeUsers } from './eval/commands.ts';

const USAGE = `Usage: node pipeline/cli.ts <command> [options]
  build      [--format ml-100k|ml-1m|ml-latest] [--dir DIR] [--out DIR]   build the graph snapshot
  inspect    [FILE]                                                       describe a graph or serving snapshot
  synthesize --shape ml-100k|ml-latest-small|ml-32m --out DIR [--seed N]  synthetic ml-latest folder of that shape
  artifacts  (same options as train)                                      snapshot + trained model + manifest
  train      [--dataset ml-100k|ml-latest-small | --data DIR] [--exclude-users FILE] [--seed N] [--epochs N] [--out DIR]
             [--train-minutes 30] [--sample-above-edges 2000000] [--sample-edges 500000]
             (graphs above --sample-above-edges train on user-sampled subgraphs; pipeline/train/README.md)
             builds into artifacts/<data set>/ and serves it from public/artifacts/ (--out DIR: only there)
  recommend  --ratings FILE [--n 20] [--dataset NAME | --data DIR | --artifacts DIR] [--variant fp32|int8]
  eval       [--protocol u1|visitor|both] [--skip-model] [--export-embeddings DIR] …  (eval --help)`;

async function trainCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      'exclude-users': { type: 'string' },
      dataset: { type: 'string' },
      data: { type: 'string' },
      seed: { type: 'string' },
      epochs: { type: 'string' },
      'train-minutes': { type: 'string' },
      'sample-above-edges': { type: 'string' },
      'sample-edges': { type: 'string' },
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
  const minutes = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!(n > 0)) throw new Error(`--${name} must be a positive number of minutes, not "${v}"`);
    return n * 60_000;
  };
  const excludeUsers = values['exclude-users'] ? await readExcludeUsers(values['exclude-users']) : undefined;
  const train = Object.fromEntries(
    Object.entries({
      seed: num('seed', values.seed),
      epochs: num('epochs', values.epochs),
      timeBudgetMs: minutes('train-minutes', values['train-minutes']),
      sampleAboveEdges: num('sample-above-edges', values['sample-above-edges']),
      sampleEdges: num('sample-edges', values['sample-edges']),
    }).filter(([, v]) => v !== undefined),
  );
  const data = values.data ?? values.dir;
  if (values.dataset !== undefined && data !== undefined) throw new Error('give --dataset or --data, not both');
  const common = {
    dataset: values.dataset,
    data,
    format: values.format as DatasetFormat | undefined,
    excludeUsers,
    train,
  };
  if (values.out !== undefined) {
    await buildArtifacts({ ...common, out: values.out });
    return;
  }
  // Each data set's build in artifacts/<key>/, then served from public/artifacts/.
  const source =
    data === undefined ? { key: knownDataset(values.dataset ?? DEFAULT_DATASET).name } : await resolveDataset({ data });
  const key = buildKey(source.key, excludeUsers?.size);
  const dir = artifactsDirFor(key);
  await buildArtifacts({ ...common, out: dir });
  await serveArtifacts(key, dir);
  process.stderr.write(`serving ${key} from ${ARTIFACTS_DIR} (its build: ${dir})\n`);
}

const COMMANDS: Record<string, (args: string[]) => Promise<unknown>> = {
  build: buildCommand,
  inspect: inspectCommand,
  synthesize: synthesizeCommand,
  artifacts: trainCommand,
  train: trainCommand,
  recommend: recommendCommand,
  eval: evalCommand,
};

const HELP = new Set(['--help', '-h']);

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  // `--help` anywhere asks for the usage (eval has its own, longer one).
  if (
    (command !== undefined && (HELP.has(command) || command === 'help')) ||
    (command !== 'eval' && args.some((a) => HELP.has(a)))
  ) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
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
