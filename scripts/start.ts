/**
 * `npm start [-- --dataset ml-100k|ml-latest-small | --data DIR]`: builds the data set's artifacts if missing
 * (snapshot, trained model; the data set found locally or downloaded from GroupLens and verified) into
 * `artifacts/<data set>/`, serves them from `public/artifacts/`, builds the site, serves it on 127.0.0.1
 * and prints the URL. PORT picks the port (default 5173). Default data set: ml-100k.
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { ensureArtifacts } from '../pipeline/artifacts/build-default.ts';
import { DATASET_NAMES } from '../pipeline/data/datasets.ts';
import { startStaticServer } from './static-server.ts';

const USAGE = `Usage: npm start -- [--dataset ${DATASET_NAMES.join('|')} | --data DIR]
  --dataset NAME   a MovieLens data set, found in $MOVIELENS_DIR, ./data/NAME or ../shared/datasets/NAME,
                   else downloaded from GroupLens and verified (default ml-100k)
  --data DIR       a folder in the MovieLens "latest" format (ratings.csv + movies.csv [+ links.csv]),
                   or ML-100K / ML-1M files
PORT=N picks the port (default 5173).`;

/** The start command's options (exported for tests). */
export function parseStartArgs(args: string[]): { dataset?: string; data?: string; help: boolean } {
  const { values } = parseArgs({
    args,
    options: { dataset: { type: 'string' }, data: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.dataset !== undefined && values.data !== undefined) throw new Error('give --dataset or --data, not both');
  return { dataset: values.dataset, data: values.data, help: values.help ?? false };
}

async function main() {
  const options = parseStartArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const key = await ensureArtifacts(options);
  process.stderr.write(`Building the site (data set ${key})…\n`);
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  const port = Number(process.env.PORT ?? 5173);
  const server = await startStaticServer({ root: 'dist', port });
  process.stdout.write(`\nCineSage is running at ${server.url} on ${key}  (Ctrl+C to stop)\n`);
}

if (import.meta.main) {
  main().catch((err: Error) => {
    process.stderr.write(`\n${err.name === 'Error' ? '' : `${err.name}: `}${err.message}\n`);
    process.exit(1);
  });
}
