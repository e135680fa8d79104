/** Training progress as one stderr line per epoch: epoch, loss, validation metric, elapsed, time left. */
import type { TrainProgress } from './train.ts';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

export function formatProgress(p: TrainProgress): string {
  const rmse = Number.isNaN(p.valRmse) ? '' : ` RMSE ${p.valRmse.toFixed(4)}`;
  const val = Number.isNaN(p.valRecall)
    ? ''
    : `  val R@20 ${p.valRecall.toFixed(4)} NDCG@20 ${p.valNdcg.toFixed(4)}${rmse}`;
  return `epoch ${String(p.epoch).padStart(3)}/${p.epochs}  loss ${p.loss.toFixed(4)}${val}  best@${p.bestEpoch}  ${seconds(p.elapsedMs)} elapsed, ≤${seconds(p.etaMs)} left`;
}

export function printProgress(p: TrainProgress): void {
  process.stderr.write(`${formatProgress(p)}\n`);
}
