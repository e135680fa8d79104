/**
 * Three test layers, one `npm test`: unit tests in Node, browser tests in the system Chromium (vitest
 * browser mode, with a software WebGPU adapter so both inference paths can run), and end-to-end tests
 * that drive the production build with playwright-core.
 */
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { chromiumArgs, findChromium } from './scripts/chromium.ts';

const layer = process.env.CINESAGE_TEST_LAYER;
const needsBrowser = layer === undefined || layer === 'browser';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          globalSetup: ['test/setup/ensure-movielens.ts'],
          include: ['test/unit/**/*.test.ts', 'src/**/*.test.ts', 'pipeline/**/*.test.ts'],
          exclude: ['**/*.browser.test.ts', '**/node_modules/**'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        optimizeDeps: {
          include: ['comlink', 'lit', 'dexie', 'onnx-proto', 'onnxruntime-web/wasm', 'onnxruntime-web/webgpu'],
        },
        test: {
          name: 'browser',
          globalSetup: ['test/setup/ensure-artifacts.ts'],
          include: ['test/browser/**/*.test.ts', 'src/**/*.browser.test.ts'],
          testTimeout: 120_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: needsBrowser ? { executablePath: findChromium(), args: chromiumArgs('webgpu') } : {},
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
