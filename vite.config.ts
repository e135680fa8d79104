/**
 * One app-mode build for the site and the widget (a second input, not library mode, which would inline the
 * wasm as base64): ES-module workers, the runtime's wasm emitted as separate hashed files, the service
 * worker from src/sw.ts (injectManifest), and the built artifacts served from `public/artifacts/`.
 */

import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

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
  plugins: [
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
        // The shell only: wasm, runtime chunks and artifacts are cached on first use by the SW's routes.
        globPatterns: ['**/*.{html,css,svg,webmanifest}', 'assets/index-*.js', 'assets/inference.worker-*.js'],
        globIgnores: ['artifacts/**', '**/*.map'],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
});
