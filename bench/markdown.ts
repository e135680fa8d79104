/**
 * Number and table formatting shared by the benchmark reports (bench/report.ts → RESULTS.md, bench/gpu-node.ts
 * → GPU-NODE.md): milliseconds, megabytes, counts, a summary's median (min–max, n), and a Markdown table.
 */
import type { Summary } from './stats.ts';

export const ms = (x: number | null | undefined): string =>
  x == null || !Number.isFinite(x) ? '—' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
export const mb = (bytes: number | null | undefined): string =>
  bytes == null || !Number.isFinite(bytes) ? '—' : `${(bytes / 1e6).toFixed(bytes >= 1e7 ? 0 : 2)} MB`;
export const int = (n: number): string => n.toLocaleString('en-US');
export const span = (s: Summary, f: (x: number) => string = ms): string =>
  s.n === 0 ? '—' : s.n === 1 ? `${f(s.median)} (1 run)` : `${f(s.median)} (${f(s.min)}–${f(s.max)}, n=${s.n})`;

export function table(head: string[], rows: string[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}
