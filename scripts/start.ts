/**
 * `npm start`: builds whatever artifacts are missing (snapshot, trained model) with progress, builds the
 * site, serves it on 127.0.0.1 and prints the URL. PORT picks the port (default 5173).
 */
import { execFileSync } from 'node:child_process';
import { ensureDefaultArtifacts } from '../pipeline/artifacts/build-default.ts';
import { startStaticServer } from './static-server.ts';

async function main() {
  await ensureDefaultArtifacts();
  process.stderr.write('Building the site…\n');
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  const port = Number(process.env.PORT ?? 5173);
  const server = await startStaticServer({ root: 'dist', port });
  process.stdout.write(`\nCineSage is running at ${server.url}  (Ctrl+C to stop)\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`\n${err.name === 'Error' ? '' : `${err.name}: `}${err.message}\n`);
  process.exit(1);
});
