/**
 * Model variants' size and metric loss, from pipeline/onnx/variant-report.ts (run on the shipped fp32
 * model's weights, re-exported as each variant and evaluated on the ML-100K u1 split in onnxruntime-web).
 * This module runs that script and parses its table; it does not duplicate it. Node only.
 */
import { execFileSync } from 'node:child_process';

export interface VariantRow {
  variant: string;
  bytes: number;
  recall20: number;
  ndcg20: number;
  hr10: number;
  /** The script's single forward timing in Node (wasm, 1 thread); the browser figures are measured separately. */
  nodeForwardMs: number;
}

export function runVariantReport(modelPath: string): VariantRow[] {
  const out = execFileSync(process.execPath, ['pipeline/onnx/variant-report.ts', '--model', modelPath], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const rows: VariantRow[] = [];
  for (const line of out.split('\n')) {
    const cells = line
      .split('|')
      .map((c) => c.trim())
      .filter((c) => c.length > 0);
    if (cells.length !== 6 || !/^(fp32|int8|fp16)$/.test(cells[0])) continue;
    const [variant, bytes, recall20, ndcg20, hr10, ms] = cells;
    rows.push({
      variant,
      bytes: Number(bytes),
      recall20: Number(recall20),
      ndcg20: Number(ndcg20),
      hr10: Number(hr10),
      nodeForwardMs: Number(ms),
    });
  }
  if (rows.length === 0) throw new Error(`variant-report printed no table:\n${out}`);
  return rows;
}
