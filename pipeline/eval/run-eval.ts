/**
 * The full evaluation: both protocols × (MostPop, ItemKNN, EASE, GraphSAGE), one results table as JSON and
 * markdown, the visitor split's held-out users as an exclude-users file, and optionally the u1 model's
 * embeddings as .npy files.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ease } from './baselines/ease.ts';
import { itemKnn } from './baselines/item-knn.ts';
import { mostPop } from './baselines/most-pop.ts';
import { formatExcludeUsers } from './exclude-users.ts';
import { evaluate, type MethodScore } from './harness.ts';
import { graphSage, type ModelRecommender, type TrainFn, trainWithDefaults } from './model.ts';
import { encodeNpyFloat32 } from './npy.ts';
import { type Split, u1Split, visitorSplit } from './protocols.ts';
import type { Method } from './recommender.ts';

export type ProtocolName = 'u1' | 'visitor';

export interface EvalOptions {
  /** ML-100K directory (as given: it is written into the results, so keep it relative). */
  dataDir: string;
  protocols: ProtocolName[];
  skipModel: boolean;
  seed: number;
  /** Where results.json, RESULTS.md and visitor-holdout.txt go. */
  outDir: string;
  /** Write users.npy / items.npy of the u1 model here. */
  exportEmbeddings?: string;
  /** Replaces the trainer's defaults (tests use a tiny model). */
  train?: TrainFn;
  log?: (line: string) => void;
}

export interface ProtocolSummary {
  users: number;
  trainUsers: number;
  trainEdges: number;
  /** Visitor split: users held out of training. */
  heldOutUsers?: number;
}

export interface EvalResults {
  dataDir: string;
  seed: number;
  protocols: Partial<Record<ProtocolName, ProtocolSummary>>;
  methods: { name: string; results: Partial<Record<ProtocolName, MethodScore>> }[];
}

const PROTOCOL_TITLE: Record<ProtocolName, string> = { u1: 'u1', visitor: 'visitor' };

export async function runEval(opts: EvalOptions): Promise<EvalResults> {
  const log = opts.log ?? (() => {});
  if (opts.exportEmbeddings && (opts.skipModel || !opts.protocols.includes('u1'))) {
    throw new Error('--export-embeddings needs the model trained on u1.base: run the u1 protocol without --skip-model');
  }
  const methods: Method[] = [mostPop(), itemKnn(), ease()];
  if (!opts.skipModel) methods.push(graphSage(opts.train ?? trainWithDefaults));
  const results: EvalResults = {
    dataDir: opts.dataDir,
    seed: opts.seed,
    protocols: {},
    methods: methods.map((m) => ({ name: m.name, results: {} })),
  };
  await mkdir(opts.outDir, { recursive: true });

  for (const protocol of opts.protocols) {
    const split: Split =
      protocol === 'u1' ? await u1Split(opts.dataDir, opts.seed) : await visitorSplit(opts.dataDir, opts.seed);
    results.protocols[protocol] = {
      users: split.users.length,
      trainUsers: split.graph.numUsers,
      trainEdges: split.graph.numEdges,
      ...(protocol === 'visitor' ? { heldOutUsers: split.heldOutUserIds.length } : {}),
    };
    log(
      `${protocol}: ${split.users.length} users evaluated, training graph ${split.graph.numUsers} users / ${split.graph.numEdges} edges`,
    );
    if (protocol === 'visitor') {
      const file = join(opts.outDir, 'visitor-holdout.txt');
      await writeFile(
        file,
        formatExcludeUsers(split.heldOutUserIds, [
          `Users held out of training by the visitor split (seed ${opts.seed}).`,
          'Pass to the train CLI as --exclude-users to train a model that never saw them.',
        ]),
      );
    }
    for (let i = 0; i < methods.length; i++) {
      const { recommender, ...score } = await evaluate(split, methods[i], opts.seed, log);
      results.methods[i].results[protocol] = score;
      log(`${methods[i].name} on ${protocol}: ${formatScore(score)}`);
      if (protocol === 'u1' && opts.exportEmbeddings && 'userEmb' in recommender) {
        await exportEmbeddings(recommender as ModelRecommender, opts.exportEmbeddings);
        log(`embeddings of the u1 model written to ${opts.exportEmbeddings}`);
      }
    }
  }

  await writeFile(join(opts.outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(join(opts.outDir, 'RESULTS.md'), resultsMarkdown(results));
  return results;
}

function formatScore(s: MethodScore): string {
  const info = Object.entries(s.info)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `Recall@20 ${s.recall20.toFixed(4)} NDCG@20 ${s.ndcg20.toFixed(4)} HR@10 ${s.hr10.toFixed(4)} (${s.users} users, ${(s.fitSeconds + s.scoreSeconds).toFixed(1)} s)${info ? ` ${info}` : ''}`;
}

/** The one results table (rows = methods), with the protocol set-ups and chosen hyper-parameters below. */
export function resultsMarkdown(r: EvalResults): string {
  const protocols = (Object.keys(r.protocols) as ProtocolName[]).filter((p) => r.protocols[p]);
  const cols = protocols.flatMap((p) =>
    ['Recall@20', 'NDCG@20', 'HR@10', 'users', 'time (s)'].map((c) => `${PROTOCOL_TITLE[p]} ${c}`),
  );
  const lines = [`| method | ${cols.join(' | ')} |`, `| --- | ${cols.map(() => '---:').join(' | ')} |`];
  for (const m of r.methods) {
    const cells = protocols.flatMap((p) => {
      const s = m.results[p];
      if (!s) return ['–', '–', '–', '–', '–'];
      return [
        s.recall20.toFixed(4),
        s.ndcg20.toFixed(4),
        s.hr10.toFixed(4),
        String(s.users),
        (s.fitSeconds + s.scoreSeconds).toFixed(1),
      ];
    });
    lines.push(`| ${m.name} | ${cells.join(' | ')} |`);
  }
  const notes: string[] = [];
  for (const p of protocols) {
    const s = r.protocols[p] as ProtocolSummary;
    notes.push(
      p === 'u1'
        ? `- u1: train \`u1.base\` (${s.trainUsers} users, ${s.trainEdges} ratings), test \`u1.test\`; ${s.users} users with a test rating ≥ 4, ranked over every movie they did not rate in training.`
        : `- visitor: ${s.heldOutUsers} users (20%, seed ${r.seed}) held out of training (${s.trainUsers} users, ${s.trainEdges} ratings); each reveals their 10 earliest ratings as a new user node; ${s.users} users with a remaining rating ≥ 4.`,
    );
  }
  for (const m of r.methods) {
    for (const p of protocols) {
      const info = m.results[p]?.info;
      if (info && Object.keys(info).length) {
        notes.push(
          `- ${m.name} on ${p}: ${Object.entries(info)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}.`,
        );
      }
    }
  }
  return `${[
    '# Evaluation results',
    '',
    `ML-100K from \`${r.dataDir}\`. Full ranking, rated movies masked, positives = ratings ≥ 4; Recall@20 = hits / positives, NDCG@20 with binary gain (IDCG over min(20, positives)), HR@10 = any hit in the top 10. Time = fit (including tuning or training) + scoring.`,
    '',
    ...lines,
    '',
    ...notes,
  ].join('\n')}\n`;
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
