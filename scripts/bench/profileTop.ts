// `npx tsx scripts/bench/profileTop.ts DIR|FILE.cpuprofile [WINDOW.json] [N]`: where a --cpu-prof profile's self time
// went, grouped by module (our files by path, packages by name, Node's and V8's own by kind), top N (default 5) with
// their share of busy time (idle left out) and the top functions. WINDOW.json (the bench's BENCH_RUN_WINDOW) cuts the
// profile to the export run alone.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The module a frame belongs to: a package, one of our files, or what Node and V8 do themselves. */
export function moduleOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  // The innermost package: a dependency's own copy of another is that other's code.
  const pkg = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].pop();
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node:internals';
  // WebAssembly: the embedded store (PGlite's Postgres) and Node's HTTP parser (llhttp) both run as wasm.
  if (url.startsWith('wasm://')) return 'wasm';
  const ours = /\/(service|scripts|emulators)\/(.*)$/.exec(url);
  return ours ? `${ours[1]}/${ours[2]}` : url;
}

function main(): void {
  const [target, windowFile, n = '5'] = process.argv.slice(2);
  if (!target) throw new Error('give a .cpuprofile file or a directory of them');
  const file = statSync(target).isDirectory()
    ? readdirSync(target)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => path.join(target, f))
        .sort((a, b) => statSync(b).size - statSync(a).size)[0]!
    : target;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const window = windowFile ? (JSON.parse(readFileSync(windowFile, 'utf8')) as { startUs: number; endUs: number }) : null;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const modules = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    t += profile.timeDeltas[i] ?? 0;
    if (window && (t < window.startUs || t > window.endUs)) return;
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') return void (idle += dt);
    busy += dt;
    const mod = moduleOf(frame.url, frame.functionName);
    modules.set(mod, (modules.get(mod) ?? 0) + dt);
    // No line numbers: the service runs through tsx, whose transformed lines are not the source's.
    const fn = `${frame.functionName || '(anonymous)'} ${mod}`;
    functions.set(fn, (functions.get(fn) ?? 0) + dt);
  });
  const top = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, Number(n))
      .map(([name, us]) => `| ${name} | ${(us / 1000).toFixed(0)} | ${((100 * us) / busy).toFixed(1)} % |`);
  const out = [
    `${path.basename(file)}${window ? ' (the run only)' : ''}: busy ${(busy / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms`,
    '',
    '| module | self ms | share of busy |',
    '| --- | --- | --- |',
    ...top(modules),
    '',
    '| function | self ms | share of busy |',
    '| --- | --- | --- |',
    ...top(functions),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

if (require.main === module) main();
