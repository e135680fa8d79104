/**
 * `npm run eval -- [options]`: argument parsing for the evaluation (the lead's pipeline/cli.ts calls
 * `evalCommand`). Also re-exports the exclude-users reader the train CLI uses.
 */
import { relative } from 'node:path';
import { findMovieLensDir } from '../data/movielens.ts';
import { DEFAULT_SEED } from './protocols.ts';
import { DEFAULT_TRAIN_SEEDS, type EvalOptions, type ProtocolName, resultsMarkdown, runEval } from './run-eval.ts';

export { parseExcludeUsers, readExcludeUsers } from './exclude-users.ts';

export const EVAL_USAGE = `Usage: npm run eval -- [options]

Evaluates MostPop, ItemKNN, ItemKNN (centred), EASE, Bias (user + item) and the GraphSAGE model (also
given only a visitor's likes) on ML-100K, protocols u1 and visitor (README § Quality): ranking metrics and, for methods that predict
stars, RMSE / MAE. Writes eval/results.json, eval/RESULTS.md and eval/visitor-holdout.txt (relative to
the current directory).

Options:
  --protocol u1|visitor|both   which protocol(s) to run (default both)
  --skip-model                 baselines only
  --seed N                     seed of the splits: visitor hold-out and validation carving (default ${DEFAULT_SEED})
  --seeds A,B,…                training seeds; methods that depend on theirs run once per seed and are
                               reported as mean ± half-range (default ${DEFAULT_TRAIN_SEEDS.join(',')}; one seed is quickest)
  --data DIR                   ML-100K directory (default: $MOVIELENS_DIR, ./data/ml-100k or ../shared/datasets/ml-100k)
  --out DIR                    output directory (default eval)
  --export-embeddings DIR      write users.npy and items.npy of the model trained on u1.base (first seed)
  --export-predictions FILE    write userId,movieId,predicted for every u1.test pair, by that model
  -h, --help                   this text`;

/** Parses the eval CLI's arguments; throws with a usage hint on anything unknown. */
export function parseEvalArgs(args: string[]): Omit<EvalOptions, 'dataDir'> & { dataDir?: string; help: boolean } {
  const o: Omit<EvalOptions, 'dataDir'> & { dataDir?: string; help: boolean } = {
    protocols: ['u1', 'visitor'],
    skipModel: false,
    seed: DEFAULT_SEED,
    seeds: DEFAULT_TRAIN_SEEDS,
    outDir: 'eval',
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

export async function evalCommand(args: string[]): Promise<void> {
  const parsed = parseEvalArgs(args);
  if (parsed.help) {
    console.log(EVAL_USAGE);
    return;
  }
  const found = parsed.dataDir ?? findMovieLensDir();
  if (!found) throw new Error('ML-100K not found: pass --data DIR or set MOVIELENS_DIR');
  // Results name the data directory: keep it relative to the working directory.
  const dataDir = relative(process.cwd(), found) || '.';
  const t0 = performance.now();
  const results = await runEval({ ...parsed, dataDir, log: (line) => console.log(line) });
  console.log(`\n${resultsMarkdown(results)}`);
  console.log(`eval done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
