// Builds the local Sales Invoice Export page into web/dist (or the folder given): npm run build:web [outDir]
import path from 'node:path';
import { writeWeb } from './bundle';

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? path.join(__dirname, 'dist'));
  const started = Date.now();
  await writeWeb(outDir);
  console.log(`web: built ${path.relative(process.cwd(), outDir) || outDir} in ${Date.now() - started} ms`);
}

main().catch((err: unknown) => {
  console.error('web: build failed:', err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
