/**
 * The full evaluation: both protocols × (MostPop, ItemKNN, ItemKNN (centred), EASE, Bias (user + item),
 * GraphSAGE and its likes-only row), each non-deterministic method once per training seed on fixed splits;
 * results as JSON (every run) and markdown (mean ± spread), the visitor split's held-out users as an
 * exclude-users file, and optionally the u1 model's embeddings (.npy) and u1.test predictions (CSV).
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetFormat } from '../../src/core/dataset.ts';
import { userItemBias } from './baselines/bias.ts';
import { EASE_MAX_ITEMS, ease } from './baselines/ease.ts';
import { itemKnn } from './baselines/item-knn.ts';
import { centredItemKnn } from './baselines/item-knn-centred.ts';
import { mostPop } from './baselines/most-pop.ts';
import { formatExcludeUsers } from './exclude-users.ts';
import { evaluate, type MethodScore } from './harness.ts';
import { graphSage, type ModelRecommender, type TrainFn, trainWithDefaults } from './model.ts';
import { encodeNpyFloat32 } from './npy.ts';
import { formatPredictions } from './predictions.ts';
import {
  DISLIKE_MAX_STARS,
  PER_USER_TEST_FRACTION,
  type Split,
  transductiveProtocol,
  visitorSplit,
} from './protocols.ts';
import type { Method } from './recommender.ts';
import { likesOnly, shareFit } from './variants.ts';

export type ProtocolName = 'u1' | 'visitor';

/** Training seeds of a default run. */
export const DEFAULT_TRAIN_SEEDS = [42, 1, 2];

export interface EvalOptions {
  /** Data set directory (as given: it is written into the results, so keep it relative). */
  dataDir: string;
  /** Its format (default: detected from the files). */
  format?: DatasetFormat;
  protocols: ProtocolName[];
  skipModel: boolean;
  /** Seed of the splits: the visitor hold-out and every validation carving. */
  seed: number;
  /** Training seeds: every method that depends on its seed is fitted once per seed. */
  seeds: number[];
  /** Where results.json, RESULTS.md and visitor-holdout.txt go. */
  outDir: string;
  /** Write users.npy / items.npy of the u1 model (first training seed) here. */
  exportEmbeddings?: string;
  /** Write the u1 model's (first training seed) u1.test predictions to this CSV file. */
  exportPredictions?: string;
  /** Replaces the trainer's defaults (tests use a tiny model). */
  train?: TrainFn;
  /** Replaces the whole method list (tests). */
  methods?: Method[];
  log?: (line: string) => void;
}

export interface ProtocolSummary {
  users: number;
  trainUsers: number;
  trainEdges: number;
  /** Ranked users with a hidden rating ≤ 2 (Dislike@20's users). */
  dislikeUsers: number;
  /** Hidden ratings star prediction is scored on, and the users they belong to. */
  hiddenRatings: number;
  testUsers: number;
  /** Visitor split: users held out of training. */
  heldOutUsers?: number;
  /** The u1 protocol on a data set without ML-100K's u1 files: the seeded per-user random split. */
  perUserSplit?: { testFraction: number };
}

/** The averaged metrics: mean and spread = (max − min) / 2 over the runs; null where no run has a value. */
export const SUMMARY_METRICS = ['recall20', 'ndcg20', 'hr10', 'dislike20', 'rmse', 'mae'] as const;
export type SummaryMetric = (typeof SUMMARY_METRICS)[number];
export type Summary = Record<SummaryMetric, { mean: number; spread: number } | null> & { seconds: number };

/** One method on one protocol: a run per training seed (one for a deterministic method). */
export interface MethodRuns {
  seeds: number[];
  runs: MethodScore[];
  summary: Summary;
}

export interface EvalResults {
  dataDir: string;
  /** The data set evaluated (absent in results written before data sets other than ML-100K). */
  dataset?: { name: string; format: DatasetFormat; users: number; movies: number; ratings: number };
  /** Split seed. */
  seed: number;
  /** Training seeds. */
  seeds: number[];
  protocols: Partial<Record<ProtocolName, ProtocolSummary>>;
  methods: { name: string; deterministic: boolean; results: Partial<Record<ProtocolName, MethodRuns>> }[];
}

function protocolTitle(p: ProtocolName, s: ProtocolSummary): string {
  if (p === 'visitor') return 'visitor (inductive: held-out users as new nodes)';
  return s.perUserSplit
    ? 'u1 analogue (transductive: a seeded per-user random 80/20 split)'
    : 'u1 (transductive: u1.base / u1.test)';
}

/**
 * The data set's name in headings: ML-100K for ml-100k, else its own name; a data set loaded from a split
 * file is named after it ("ml-100k/u1.base"), and the heading names the data set.
 */
export function datasetLabel(r: Pick<EvalResults, 'dataset'>): string {
  const name = (r.dataset?.name ?? 'ml-100k').split('/')[0];
  return name === 'ml-100k' ? 'ML-100K' : name;
}

/** MostPop, the neighbourhood and bias baselines, and (unless skipped) the model with its likes-only row. */
export function defaultMethods(opts: Pick<EvalOptions, 'skipModel' | 'train'>): Method[] {
  const methods = [mostPop(), itemKnn(), centredItemKnn(), ease(), userItemBias()];
  if (opts.skipModel) return methods;
  const model = shareFit(graphSage(opts.train ?? trainWithDefaults));
  return [...methods, model, likesOnly(model)];
}

export async function runEval(opts: EvalOptions): Promise<EvalResults> {
  const log = opts.log ?? (() => {});
  const exporting = opts.exportEmbeddings ?? opts.exportPredictions;
  if (exporting && (opts.skipModel || !opts.protocols.includes('u1'))) {
    throw new Error('--export-* needs the model trained on u1.base: run the u1 protocol without --skip-model');
  }
  if (opts.seeds.length === 0) throw new Error('at least one training seed is needed');
  const methods = opts.methods ?? defaultMethods(opts);
  const results: EvalResults = {
    dataDir: opts.dataDir,
    seed: opts.seed,
    seeds: opts.seeds,
    protocols: {},
    methods: methods.map((m) => ({ name: m.name, deterministic: !!m.deterministic, results: {} })),
  };
  await mkdir(opts.outDir, { recursive: true });

  for (const protocol of opts.protocols) {
    const split: Split =
      protocol === 'u1'
        ? await transductiveProtocol(opts.dataDir, opts.seed, opts.format)
        : await visitorSplit(opts.dataDir, opts.seed, opts.format);
    results.dataset ??= {
      name: split.dataset.name,
      format: split.dataset.format,
      users: split.dataset.users.length,
      movies: split.dataset.movies.length,
      // u1 on ML-100K loads u1.base as the data set: its ratings plus the test ones are all of them.
      ratings:
        split.kind === 'inductive'
          ? split.dataset.ratings.length
          : split.trainRatings.length + split.testUsers.reduce((s, u) => s + u.hiddenMovies.length, 0),
    };
    results.protocols[protocol] = protocolSummary(split);
    log(
      `${protocol}: ${split.users.length} users evaluated, training graph ${split.graph.numUsers} users / ${split.graph.numEdges} edges`,
    );
    if (protocol === 'visitor') await writeHoldout(split, opts);
    for (let i = 0; i < methods.length; i++) {
      const method = methods[i];
      if (method.kinds && !method.kinds.includes(split.kind)) continue;
      const seeds = method.deterministic ? opts.seeds.slice(0, 1) : opts.seeds;
      const runs: MethodScore[] = [];
      for (const seed of seeds) {
        const { recommender, predictions, ...score } = await evaluate(split, method, seed, log);
        runs.push(score);
        log(`${method.name} on ${protocol} (seed ${seed}): ${formatScore(score)}`);
        if (protocol !== 'u1' || seed !== opts.seeds[0] || !('userEmb' in recommender)) continue;
        if (opts.exportEmbeddings) {
          await exportEmbeddings(recommender as ModelRecommender, opts.exportEmbeddings);
          log(`embeddings of the u1 model (seed ${seed}) written to ${opts.exportEmbeddings}`);
        }
        if (opts.exportPredictions && predictions) {
          await writeFile(opts.exportPredictions, formatPredictions(split, predictions));
          log(`u1.test predictions of the u1 model (seed ${seed}) written to ${opts.exportPredictions}`);
        }
      }
      results.methods[i].results[protocol] = { seeds, runs, summary: summarize(runs) };
    }
  }

  await writeFile(join(opts.outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(join(opts.outDir, 'RESULTS.md'), resultsMarkdown(results));
  return results;
}

function protocolSummary(split: Split): ProtocolSummary {
  return {
    users: split.users.length,
    trainUsers: split.graph.numUsers,
    trainEdges: split.graph.numEdges,
    dislikeUsers: split.users.filter((u) => u.dislikes.length > 0).length,
    hiddenRatings: split.testUsers.reduce((s, u) => s + u.hiddenMovies.length, 0),
    testUsers: split.testUsers.length,
    ...(split.kind === 'inductive' ? { heldOutUsers: split.heldOutUserIds.length } : {}),
    ...(split.kind === 'transductive' && split.perUser
      ? { perUserSplit: { testFraction: PER_USER_TEST_FRACTION } }
      : {}),
  };
}

async function writeHoldout(split: Split, opts: EvalOptions): Promise<void> {
  await writeFile(
    join(opts.outDir, 'visitor-holdout.txt'),
    formatExcludeUsers(split.heldOutUserIds, [
      `Users held out of training by the visitor split (seed ${opts.seed}).`,
      'Pass to the train CLI as --exclude-users to train a model that never saw them.',
    ]),
  );
}

/** Mean and half-range of every metric over the runs, and the mean time per run. */
export function summarize(runs: MethodScore[]): Summary {
  const summary = { seconds: mean(runs.map((r) => r.fitSeconds + r.scoreSeconds)) } as Summary;
  for (const k of SUMMARY_METRICS) {
    const xs = runs.map((r) => r[k]).filter((x): x is number => x !== null && Number.isFinite(x));
    summary[k] = xs.length ? { mean: mean(xs), spread: (Math.max(...xs) - Math.min(...xs)) / 2 } : null;
  }
  return summary;
}

function mean(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

function formatScore(s: MethodScore): string {
  const info = Object.entries(s.info)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const stars = s.rmse === null ? '' : ` RMSE ${s.rmse.toFixed(4)} MAE ${(s.mae as number).toFixed(4)}`;
  return `Recall@20 ${s.recall20.toFixed(4)} NDCG@20 ${s.ndcg20.toFixed(4)} HR@10 ${s.hr10.toFixed(4)} Dislike@20 ${s.dislike20?.toFixed(4) ?? '–'}${stars} (${s.users} users, ${(s.fitSeconds + s.scoreSeconds).toFixed(1)} s)${info ? ` ${info}` : ''}`;
}

const COLUMNS: [SummaryMetric, string][] = [
  ['recall20', 'Recall@20'],
  ['ndcg20', 'NDCG@20'],
  ['hr10', 'HR@10'],
  ['dislike20', 'Dislike@20 ↓'],
  ['rmse', 'RMSE ↓'],
  ['mae', 'MAE ↓'],
];

/** "0.2084 ± 0.0030" over several runs, "0.2084" for one, "–" for none. */
function cell(v: { mean: number; spread: number } | null, runs: number): string {
  if (!v) return '–';
  return runs > 1 ? `${v.mean.toFixed(4)} ± ${v.spread.toFixed(4)}` : v.mean.toFixed(4);
}

function protocolTable(r: EvalResults, p: ProtocolName): string[] {
  const header = ['method', ...COLUMNS.map(([, t]) => t), 'users', 'time (s)'];
  const lines = [
    `| ${header.join(' | ')} |`,
    `| --- | ${header
      .slice(1)
      .map(() => '---:')
      .join(' | ')} |`,
  ];
  for (const m of r.methods) {
    const res = m.results[p];
    const cells = res
      ? [
          ...COLUMNS.map(([k]) => cell(res.summary[k], res.runs.length)),
          String(res.runs[0]?.users ?? '–'),
          res.summary.seconds.toFixed(1),
        ]
      : header.slice(1).map(() => '–');
    lines.push(`| ${m.name} | ${cells.join(' | ')} |`);
  }
  return lines;
}

function protocolNote(p: ProtocolName, s: ProtocolSummary, seed: number): string {
  const setup =
    p === 'u1'
      ? s.perUserSplit
        ? `each user's ratings shuffled (seed ${seed}) and ${Math.round(s.perUserSplit.testFraction * 100)}% of them held out as test, the rest trained on (${s.trainUsers} users, ${s.trainEdges} ratings); ${s.users} users with a test rating ≥ 4, ranked over every movie they did not rate in training`
        : `train \`u1.base\` (${s.trainUsers} users, ${s.trainEdges} ratings), test \`u1.test\`; ${s.users} users with a test rating ≥ 4, ranked over every movie they did not rate in training`
      : `${s.heldOutUsers} users (20%, seed ${seed}) held out of training (${s.trainUsers} users, ${s.trainEdges} ratings); each reveals their 10 earliest ratings, with their stars, as a new user node; ${s.users} users with a remaining rating ≥ 4`;
  return `- ${p}: ${setup}. Dislike@20 over the ${s.dislikeUsers} of them with a hidden rating ≤ ${DISLIKE_MAX_STARS}; RMSE / MAE over all ${s.hiddenRatings} hidden ratings of ${s.testUsers} users.`;
}

function infoNotes(r: EvalResults, protocols: ProtocolName[]): string[] {
  const notes: string[] = [];
  for (const m of r.methods) {
    for (const p of protocols) {
      const res = m.results[p];
      res?.runs.forEach((run, i) => {
        const entries = Object.entries(run.info);
        if (!entries.length) return;
        const which = res.runs.length > 1 ? ` (seed ${res.seeds[i]})` : '';
        notes.push(`- ${m.name} on ${p}${which}: ${entries.map(([k, v]) => `${k} ${v}`).join(', ')}.`);
      });
    }
  }
  return notes;
}

/** The results as markdown: one table per protocol (rows = methods), set-ups, seeds and anchors below. */
export function resultsMarkdown(r: EvalResults): string {
  const protocols = (Object.keys(r.protocols) as ProtocolName[]).filter((p) => r.protocols[p]);
  const deterministic = r.methods.filter((m) => m.deterministic).map((m) => m.name);
  const notes = [
    ...protocols.map((p) => protocolNote(p, r.protocols[p] as ProtocolSummary, r.seed)),
    `- Training seeds ${r.seeds.join(', ')} on fixed splits (split seed ${r.seed}): a ± cell is the mean ± half the range, (max − min) / 2, over the seeds; results.json keeps every run.${deterministic.length ? ` ${deterministic.join(', ')} do not depend on the training seed and run once.` : ''}`,
  ];
  if (r.methods.some((m) => m.name.endsWith('(likes only)'))) {
    notes.push(
      '- "(likes only)": the same fitted model and visitors, given only their revealed ratings ≥ 4; all 10 revealed movies stay excluded from the ranking (visitor split only; its time is scoring only).',
    );
  }
  const easeCap = r.methods.find((m) => protocols.some((p) => m.results[p]?.runs.some((run) => 'movies' in run.info)));
  if (easeCap) {
    notes.push(
      `- ${easeCap.name} on a catalog this large is fitted on its ${EASE_MAX_ITEMS.toLocaleString('en-US')} most-rated training movies (a dense inverse in TypeScript; \`movies\` below) and never recommends the others; on ml-latest-small's visitor split 2,000 / 3,000 / 4,500 movies give Recall@20 0.1324 / 0.1319 / 0.1318 (λ = 100), so the cap costs it nothing measurable.`,
    );
  }
  if (protocols.includes('u1') && !r.protocols.u1?.perUserSplit) {
    notes.push(
      '- Published u1.base / u1.test RMSE anchors (quoted, not measured here): GC-MC 0.910, IGMC 0.905, GLocal-K 0.890; a user + item bias model ≈ 0.969.',
    );
  }
  const tables = protocols.flatMap((p) => [
    `## ${protocolTitle(p, r.protocols[p] as ProtocolSummary)}`,
    '',
    ...protocolTable(r, p),
    '',
  ]);
  const ds = r.dataset;
  const halfStars = ds?.format === 'ml-latest';
  const about = ds
    ? ` (${ds.users} users, ${ds.movies} movies, ${ds.ratings} ratings${halfStars ? ' in half stars: positives ≥ 4.0, dislikes 0.5–2.0' : ''})`
    : '';
  return `${[
    `# Evaluation results: ${datasetLabel(r)}`,
    '',
    `${datasetLabel(r)} from \`${r.dataDir}\`${about}. Full ranking, rated movies masked, positives = ratings ≥ 4; Recall@20 = hits / positives, NDCG@20 with binary gain (IDCG over min(20, positives)), HR@10 = any hit in the top 10, Dislike@20 = share of the user's hidden ratings ≤ ${DISLIKE_MAX_STARS} in the top 20 (lower is better). RMSE / MAE of predicted stars (– where a method does not predict stars, or a row does not apply). Time = fit (including tuning or training) + scoring, per run.`,
    '',
    ...tables,
    ...notes,
    ...infoNotes(r, protocols),
  ].join('\n')}\n`;
}

/**
 * The index `eval/RESULTS.md`: every data set's `<dir>/<key>/RESULTS.md`, ML-100K first, each as a section
 * (headings one level down), so evaluating one data set never drops another's committed table.
 */
export async function writeResultsIndex(dir: string): Promise<string> {
  const keys = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort((a, b) => Number(b === 'ml-100k') - Number(a === 'ml-100k') || a.localeCompare(b));
  const sections: string[] = [];
  const links: string[] = [];
  for (const key of keys) {
    let text: string;
    try {
      text = await readFile(join(dir, key, 'RESULTS.md'), 'utf8');
    } catch {
      continue;
    }
    links.push(`- [${key}](${key}/RESULTS.md)`);
    sections.push(text.trimEnd().replace(/^(#+) /gm, '#$1 '));
  }
  const index = `${[
    '# Evaluation results',
    '',
    'One section per data set, written by `npm run eval -- --dataset NAME` (or `--data DIR`); each is also in its own folder:',
    '',
    ...links,
    '',
    ...sections.flatMap((s) => [s, '']),
  ]
    .join('\n')
    .trimEnd()}\n`;
  await writeFile(join(dir, 'RESULTS.md'), index);
  return index;
}

/** users.npy (numUsers × D) and items.npy (numMovies × D); row r is the data set id r + 1. */
async function exportEmbeddings(rec: ModelRecommender, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const byId = (ids: Int32Array, emb: Float32Array, what: string): Float32Array => {
    const out = new Float32Array(emb.length);
    for (let i = 0; i < ids.length; i++) {
      const row = ids[i] - 1;
      if (row < 0 || row >= ids.length)
        throw new Error(`${what} ids are not 1..${ids.length}: cannot write id-ordered rows`);
      out.set(emb.subarray(i * rec.dim, (i + 1) * rec.dim), row * rec.dim);
    }
    return out;
  };
  const g = rec.graph;
  await writeFile(join(dir, 'users.npy'), encodeNpyFloat32(byId(g.userIds, rec.userEmb, 'user'), g.numUsers, rec.dim));
  await writeFile(
    join(dir, 'items.npy'),
    encodeNpyFloat32(byId(g.movieIds, rec.movieEmb, 'movie'), g.numMovies, rec.dim),
  );
}
