/**
 * Launches the system Chromium for e2e tests and benchmarks, with a software WebGPU adapter or without one
 * (the WASM path), always in a fresh profile.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { chromiumArgs, findChromium, type GpuMode } from '../../scripts/chromium.ts';

export async function launchChromium(gpu: GpuMode = 'none'): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), headless: true, args: chromiumArgs(gpu) });
}

/**
 * Where an e2e screenshot goes: docs/screenshots/ (the README's pictures) when CINESAGE_SCREENSHOTS=1
 * (`npm run screenshots`), else a temporary folder, so a test run leaves the work tree clean.
 */
export function screenshotPath(name: string): string {
  const dir =
    process.env.CINESAGE_SCREENSHOTS === '1' ? join('docs', 'screenshots') : join(tmpdir(), 'cinesage-screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
