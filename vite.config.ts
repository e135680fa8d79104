/**
 * One app-mode build for the site and the widget (a second input, not library mode, which would inline the
 * wasm as base64): ES-module workers, the runtime's wasm emitted as separate hashed files, the service
 * worker from src/sw.ts (injectManifest), and the built artifacts served from `public/artifacts/`.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/** Prints the widget script's size (without worker and wasm, which load only when a widget starts). */
function reportWidgetSize(): Plugin {
  let outDir = 'dist';
  return {
    name: 'cinesage-widget-size',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const code = readFileSync(join(outDir, 'widget.js'));
      // widget.js imports its shared chunks statically: count them too.
      const imports = [...code.toString().matchAll(/from\s*"\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
      let raw = code.length;
      let gz = gzipSync(code).length;
      for (const file of imports) {
        const chunk = readFileSync(join(outDir, file));
        raw += chunk.length;
        gz += gzipSync(chunk).length;
      }
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
      console.log(
        `widget.js with its ${imports.length} static chunk(s): ${kb(raw)} raw, ${kb(gz)} gzipped (worker and wasm load on start)`,
      );
    },
  };
}

/**
 * `vite build --mode bench` (bench/run.ts): the page starts the bench worker (bench/reference.worker.ts, the
 * product's worker plus `benchReferenceRating`) wherever it would start the product's. Other modes never
 * see it, so the hook is not in the product.
 */
function benchWorker(): Plugin {
  const entry = /(^|\/)workers\/inference\.worker\.ts\?worker&url$/;
  return {
    name: 'cinesage-bench-worker',
    enforce: 'pre',
    resolveId(source) {
      if (entry.test(source)) return `${resolve('bench/reference.worker.ts')}?worker&url`;
      return null;
    },
  };
}

export default defineConfig(({ mode }) => ({
  // Relative URLs: the widget's chunks, worker and wasm resolve against widget.js on any origin.
  base: './',
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      input: { main: 'index.html', widget: 'src/widget/widget.ts' },
      output: {
        // A stable name for the embed snippet; everything else is content-hashed.
        entryFileNames: (chunk) => (chunk.name === 'widget' ? 'widget.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  worker: { format: 'es' },
  preview: { host: '127.0.0.1', strictPort: false },
  server: { host: '127.0.0.1' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  plugins: [
    mode === 'bench' ? benchWorker() : null,
    reportWidgetSize(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        name: 'CineSage',
        short_name: 'CineSage',
        description: 'Movie recommendations from a graph neural network that runs on your device.',
        theme_color: '#4b3fd1',
        background_color: '#f7f6fb',
        display: 'standalone',
        icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' }],
      },
      injectManifest: {
        // The shell and the WASM runtime (precached after the first personal list, in the background); the
        // WebGPU build (only for graphs WASM cannot hold) and the artifacts are cached on first use by the
        // SW's routes (the artifacts by the inference worker too).
        globPatterns: ['**/*.{html,css,svg,webmanifest}', 'assets/*.js', 'assets/ort-wasm-simd-threaded-*.wasm'],
        globIgnores: ['artifacts/**', '**/*.map', 'assets/ort.webgpu*.js', 'widget.js'],
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
}));
