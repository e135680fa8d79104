/**
 * `npm run demo:widget`: the widget as another site sees it. Serves the build (with the CORS headers an
 * artifact host must send) on one port and demo/widget-host.html — "another site" — on a second port.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureDefaultArtifacts } from '../pipeline/artifacts/build-default.ts';
import { type RunningServer, startStaticServer } from './static-server.ts';

/** The headers a host of widget.js and the artifacts must send for cross-origin embedding. */
export const WIDGET_CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'cross-origin-resource-policy': 'cross-origin',
};

/** Serves the built site/widget and a host page that embeds it from the other origin. */
export async function startWidgetDemo(
  opts: { widgetPort?: number; hostPort?: number; hostHtml?: string } = {},
): Promise<{ widget: RunningServer; host: RunningServer }> {
  const widget = await startStaticServer({ root: 'dist', port: opts.widgetPort, headers: WIDGET_CORS_HEADERS });
  const dir = mkdtempSync(join(tmpdir(), 'cinesage-host-'));
  const template = opts.hostHtml ?? readFileSync(join('demo', 'widget-host.html'), 'utf8');
  writeFileSync(join(dir, 'index.html'), template.replaceAll('%WIDGET_ORIGIN%', widget.url.replace(/\/$/, '')));
  const host = await startStaticServer({ root: dir, port: opts.hostPort });
  return { widget, host };
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  await ensureDefaultArtifacts();
  const { execFileSync } = await import('node:child_process');
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  const { widget, host } = await startWidgetDemo({ widgetPort: 5174, hostPort: 5175 });
  process.stdout.write(`Widget and artifacts served from ${widget.url}\nHost page ("another site"): ${host.url}\n`);
}
