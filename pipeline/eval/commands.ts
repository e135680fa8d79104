/**
 * `npm run eval -- [options]`: argument parsing for the evaluation (the lead's pipeline/cli.ts calls
 * `evalCommand`). Also re-exports the exclude-users reader the train CLI uses.
 */
import { join, relative } from 'node:path';
import { DATASET_NAMES, resolveDataset } from '../data/datasets.ts';
import { DEFAULT_SEED } from './protocols.ts';
import {
  DEFAULT_TRAIN_SEEDS,
  type EvalOptions,
  type ProtocolName,
  resultsMarkdown,
  runEval,
  writeResultsIndex,
} from './run-eval.ts';

export { parseExcludeUsers, readExcludeUsers } from './exclude-users.ts';

export const EVAL_USAGE = `Usage: npm run eval -- [options]

Evaluates MostPop, ItemKNN, ItemKNN (centred), EASE, Bias (user + item) and the GraphSAGE model (also
given only a visitor's likes) on one data set, protocols u1 and visitor (README § Quality): ranking metrics
and, for methods that predict stars, RMSE / MAE. u1 is u1.base / u1.test on ML-100K and a seeded per-user
random 80/20 split on any other data set. Writes eval/<data set>/results.json, RESULTS.md and
visitor-holdout.txt, and rebuilds the index eval/RESULTS.md from every eval/*/RESULTS.md (relative to the
current directory).

Options:
  --protocol u1|visitor|both   which protocol(s) to run (default both)
  --skip-model                 baselines only
  --seed N                     seed of the splits: visitor hold-out and validation carving (default ${DEFAULT_SEED})
  --seeds A,B,…                training seeds; methods that depend on theirs run once per seed and are
                               reported as mean ± half-range (default ${DEFAULT_TRAIN_SEEDS.join(',')}; one seed is quickest)
  --dataset NAME               ${DATASET_NAMES.join(' | ')} (default ml-100k): found in $MOVIELENS_DIR,
                               ./data/NAME or ../shared/datasets/NAME, else downloaded from GroupLens and verified
  --data DIR                   any folder of MovieLens files instead (ML-100K, ML-1M or the "latest" CSV
                               format: ratings.csv + movies.csv); results go to eval/<folder name>
  --out DIR                    output directory (default eval/<data set>; the index is rebuilt only then)
  --export-embeddings DIR      write users.npy and items.npy of the model trained on u1.base (first seed)
  --export-predictions FILE    write userId,movieId,predicted for every u1.test pair, by that model
  -h, --help                   this text`;

/** Parses the eval CLI's arguments; throws with a usage hint on anything unknown. */
export type ParsedEvalArgs = Omit<EvalOptions, 'dataDir' | 'outDir'> & {
  dataDir?: string;
  dataset?: string;
  outDir?: string;
  help: boolean;
};

export function parseEvalArgs(args: string[]): ParsedEvalArgs {
  const o: ParsedEvalArgs = {
    protocols: ['u1', 'visitor'],
    skipModel: false,
    seed: DEFAULT_SEED,
    seeds: DEFAULT_TRAIN_SEEDS,
    help: false,
  };
  const value = (i: number, flag: string): string => {
    const v = args[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value\n\n${EVAL_USAGE}`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    switch (a) {
      case '--protocol': {
        const v = value(i++, a);
        if (v === 'both') o.protocols = ['u1', 'visitor'];
        else if (v === 'u1' || v === 'visitor') o.protocols = [v as ProtocolName];
        else throw new Error(`--protocol must be u1, visitor or both, not "${v}"`);
        break;
      }
      case '--skip-model':
        o.skipModel = true;
        break;
      case '--seed': {
        const v = value(i++, a);
        if (!/^\d+$/.test(v)) throw new Error(`--seed must be a non-negative integer, not "${v}"`);
        o.seed = Number(v);
        break;
      }
      case '--seeds': {
        const v = value(i++, a);
        if (!/^\d+(,\d+)*$/.test(v))
          throw new Error(`--seeds must be non-negative integers separated by commas, not "${v}"`);
        o.seeds = [...new Set(v.split(',').map(Number))];
        break;
      }
      case '--data':
        o.dataDir = value(i++, a);
        break;
      case '--dataset':
        o.dataset = value(i++, a);
        break;
      case '--out':
        o.outDir = value(i++, a);
        break;
      case '--export-embeddings':
        o.exportEmbeddings = value(i++, a);
        break;
      case '--export-predictions':
        o.exportPredictions = value(i++, a);
        break;
      case '-h':
      case '--help':
        o.help = true;
        break;
      default:
        throw new Error(`unknown option "${a}"\n\n${EVAL_USAGE}`);
    }
  }
  return o;
}

/** Where results go by default: eval/<data set key>. */
export const EVAL_DIR = 'eval';

export async function evalCommand(args: string[]): Promise<void> {
  const parsed = parseEvalArgs(args);
  if (parsed.help) {
    console.log(EVAL_USAGE);
    return;
  }
  const source = await resolveDataset({ dataset: parsed.dataset, data: parsed.dataDir, log: (l) => console.log(l) });
  // Results name the data directory: keep it relative to the working directory.
  const dataDir = relative(process.cwd(), source.dir) || '.';
  const outDir = parsed.outDir ?? join(EVAL_DIR, source.key);
  const t0 = performance.now();
  const results = await runEval({
    ...parsed,
    dataDir,
    format: source.format,
    outDir,
    log: (line) => console.log(line),
  });
  console.log(`\n${resultsMarkdown(results)}`);
  if (parsed.outDir === undefined) {
    await writeResultsIndex(EVAL_DIR);
    console.log(`wrote ${outDir}/ and the index ${join(EVAL_DIR, 'RESULTS.md')}`);
  }
  console.log(`eval done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
