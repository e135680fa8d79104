/**
 * Builds the benchmark page (bench/page/) with Vite into .cache/bench-page/, a production build like the
 * site's: onnxruntime-web's wasm emitted as files, the built artifacts copied from public/.
 */
import { join } from 'node:path';
import { build } from 'vite';

export const BENCH_PAGE_DIR = join('.cache', 'bench-page');
/** Path of the page's HTML under the build directory. */
export const BENCH_PAGE_PATH = 'bench/page/index.html';

export async function buildBenchPage(root = process.cwd()): Promise<string> {
  const outDir = join(root, BENCH_PAGE_DIR);
  await build({
    configFile: false,
    root,
    base: './',
    logLevel: 'warn',
    publicDir: join(root, 'public'),
    optimizeDeps: { exclude: ['onnxruntime-web'] },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      chunkSizeWarningLimit: 100_000,
      rollupOptions: { input: join(root, BENCH_PAGE_PATH) },
    },
  });
  return outDir;
}
