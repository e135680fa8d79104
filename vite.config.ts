/**
 * One app-mode build for the site (and, later, the widget as a second input): ES-module workers, the
 * runtime's wasm emitted as separate hashed files, and the built artifacts served from `public/artifacts/`.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1024,
  },
  worker: { format: 'es' },
  preview: { host: '127.0.0.1', strictPort: false },
  server: { host: '127.0.0.1' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
});
