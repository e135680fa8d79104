/**
 * Finds (or, as root on Debian, installs) the system Chromium used by the browser and e2e tests and the
 * benchmarks, and the launch flags for its two inference paths: a software WebGPU adapter or none (WASM).
 * No browser is ever downloaded by a test tool; the only source is CHROME_PATH or Debian's `chromium`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** Flags that keep headless Chromium quiet on a machine without internet. */
export const QUIET_FLAGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** Flags that give headless Chromium a software (SwiftShader) WebGPU adapter. */
export const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan'];

/** Flags for a browser without a WebGPU adapter: `navigator.gpu` exists, `requestAdapter()` yields null. */
export const NO_WEBGPU_FLAGS = ['--disable-gpu'];

export type GpuMode = 'webgpu' | 'none';

export function chromiumArgs(gpu: GpuMode): string[] {
  return [...QUIET_FLAGS, ...(gpu === 'webgpu' ? WEBGPU_FLAGS : NO_WEBGPU_FLAGS)];
}

function isDebian(): boolean {
  try {
    return /debian/i.test(readFileSync('/etc/os-release', 'utf8'));
  } catch {
    return false;
  }
}

/**
 * Returns the path of a Chromium executable: `CHROME_PATH`, then Debian's `/usr/bin/chromium`. When
 * neither exists and we are root on Debian, installs the `chromium` package; otherwise throws one line
 * that says how to install it.
 */
export function findChromium(): string {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROME_PATH points at ${fromEnv}, which does not exist.`);
    return fromEnv;
  }
  if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  if (process.getuid?.() === 0 && isDebian()) {
    process.stderr.write('Chromium not found: installing Debian package "chromium" (needed by browser tests)…\n');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium', 'libvulkan1'], { stdio: 'inherit', env });
    if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  }
  throw new Error(
    'Chromium is required for the browser and e2e tests: install it (Debian: `sudo apt-get install chromium`) or set CHROME_PATH to a Chromium/Chrome executable.',
  );
}
