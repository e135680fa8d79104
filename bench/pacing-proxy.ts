/**
 * A pacing HTTP proxy in front of a static server: every request waits `latencyMs` before it is forwarded
 * (the round trip), and every response byte to every client (page, inference worker, service worker alike)
 * goes through one shared queue drained at `bitsPerSecond` — one link, as a visitor's connection is.
 * Chromium's own per-page throttling misses dedicated and service workers; this does not. Counts the bytes
 * it sends (headers and gzip bodies) and the paths asked for. Node only.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Link {
  name: string;
  bitsPerSecond: number;
  latencyMs: number;
}

export const LINKS: Link[] = [
  { name: '10 Mbit/s, 40 ms', bitsPerSecond: 10e6, latencyMs: 40 },
  { name: '1.6 Mbit/s, 150 ms', bitsPerSecond: 1.6e6, latencyMs: 150 },
];

export interface PacingProxy {
  url: string;
  bytes(): number;
  requests(): string[];
  close(): Promise<void>;
}

/** Paces chunks through one FIFO link: each chunk leaves when the link has finished the ones before it. */
class LinkQueue {
  #freeAt = 0;
  readonly bitsPerSecond: number;
  constructor(bitsPerSecond: number) {
    this.bitsPerSecond = bitsPerSecond;
  }

  /** Resolves when `bytes` have crossed the link. */
  send(bytes: number): Promise<void> {
    const now = performance.now();
    const start = Math.max(now, this.#freeAt);
    this.#freeAt = start + ((bytes * 8) / this.bitsPerSecond) * 1000;
    const wait = this.#freeAt - now;
    return new Promise((resolve) => setTimeout(resolve, wait));
  }
}

const SLICE = 8 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startPacingProxy(upstream: string, link: Link): Promise<PacingProxy> {
  const target = new URL(upstream);
  const queue = new LinkQueue(link.bitsPerSecond);
  let sent = 0;
  const paths: string[] = [];

  const pace = async (res: ServerResponse, chunk: Buffer) => {
    for (let i = 0; i < chunk.length; i += SLICE) {
      const part = chunk.subarray(i, i + SLICE);
      await queue.send(part.length);
      sent += part.length;
      if (!res.write(part)) await new Promise((r) => res.once('drain', r));
    }
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    paths.push(new URL(req.url ?? '/', 'http://x').pathname);
    void (async () => {
      await sleep(link.latencyMs);
      const up = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, host: target.host },
        },
        async (upRes) => {
          const head = Object.entries(upRes.headers).reduce((n, [k, v]) => n + k.length + String(v).length + 4, 20);
          await queue.send(head);
          sent += head;
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pause();
          try {
            for await (const chunk of upRes) await pace(res, chunk as Buffer);
          } finally {
            res.end();
          }
        },
      );
      up.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      req.pipe(up);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    bytes: () => sent,
    requests: () => [...paths],
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
