/**
 * Browser plumbing for the benchmarks: the system Chromium with the e2e tests' flags plus precise memory
 * figures, a static server that counts the bytes it sends, and the peak resident memory of Chromium's
 * processes (Linux /proc). Node only.
 */
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { chromiumArgs, findChromium, type GpuMode } from '../scripts/chromium.ts';
import { startStaticServer } from '../scripts/static-server.ts';

/** Unquantised `performance.memory`, and `measureUserAgentSpecificMemory` answering at once. */
const MEMORY_FLAGS = ['--enable-precise-memory-info', '--enable-blink-features=ForceEagerMeasureMemory'];

export function launchBenchBrowser(gpu: GpuMode): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: [...chromiumArgs(gpu), ...MEMORY_FLAGS],
  });
}

/** Cross-origin isolation: exact timers and `performance.measureUserAgentSpecificMemory` in the page. */
export const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

export interface CountingServer {
  url: string;
  /** Bytes written to sockets so far (headers + gzip bodies, as on the wire). */
  bytes(): number;
  /** Paths requested so far. */
  requests(): string[];
  close(): Promise<void>;
}

export async function startCountingServer(root: string): Promise<CountingServer> {
  const s = await startStaticServer({ root, headers: ISOLATION_HEADERS });
  const open = new Set<Socket>();
  let closedBytes = 0;
  const paths: string[] = [];
  s.server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => {
      open.delete(socket);
      closedBytes += socket.bytesWritten;
    });
  });
  s.server.on('request', (req) => paths.push(new URL(req.url ?? '/', s.url).pathname));
  return {
    url: s.url,
    bytes: () => {
      let n = closedBytes;
      for (const socket of open) n += socket.bytesWritten;
      return n;
    },
    requests: () => [...paths],
    close: () => {
      for (const socket of open) socket.destroy();
      return s.close();
    },
  };
}

export interface ProcessPeak {
  type: string;
  pid: number;
  /** VmHWM: the process's peak resident set size, bytes. */
  peakRss: number;
}

/** Peak RSS of each of the browser's processes (renderer, GPU, …); empty where /proc is unavailable. */
export async function processPeaks(browser: Browser): Promise<ProcessPeak[]> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
      processInfo: { type: string; id: number }[];
    };
    const out: ProcessPeak[] = [];
    for (const p of processInfo) {
      try {
        const status = readFileSync(`/proc/${p.id}/status`, 'utf8');
        const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN);
        if (Number.isFinite(kb)) out.push({ type: p.type, pid: p.id, peakRss: kb * 1024 });
      } catch {
        // The process ended or /proc is not Linux's.
      }
    }
    return out;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}
