/**
 * Launches the system Chromium for e2e tests and benchmarks, with a software WebGPU adapter or without one
 * (the WASM path), always in a fresh profile.
 */
import { type Browser, chromium } from 'playwright-core';
import { chromiumArgs, findChromium, type GpuMode } from '../../scripts/chromium.ts';

export async function launchChromium(gpu: GpuMode = 'none'): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), headless: true, args: chromiumArgs(gpu) });
}
