// Child processes of the bench: each emulator and the service run apart from the bench and from each other, so the
// service's memory and CPU are its own. Each child prints one {"url": ...} line once it listens.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { MemorySample } from '../service-child';

export interface Child {
  url: string;
  process: ChildProcess;
  /** The end of what the child wrote to stderr, and how it exited if it has (for error messages). */
  describe(): string;
  /** SIGTERM, then SIGKILL if it has not gone after a few seconds. */
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 5000;

/** The node flags of a command line (`--…` words between `node` and its script). */
export function nodeFlagsOf(command: string): string[] {
  const words = command.trim().split(/\s+/);
  const node = words.indexOf('node');
  if (node < 0) return [];
  const flags: string[] = [];
  for (const word of words.slice(node + 1)) {
    if (!word.startsWith('--')) break;
    flags.push(word);
  }
  return flags;
}

/** The node flags production starts the service with: the Procfile's web command. */
export function productionNodeFlags(procfile = readFileSync(path.join(__dirname, '../../Procfile'), 'utf8')): string[] {
  const web = procfile.split('\n').find((line) => line.startsWith('web:'));
  return web ? nodeFlagsOf(web.slice('web:'.length)) : [];
}
const START_TIMEOUT_MS = 120_000;

export function startChild(script: string, args: string[], env: NodeJS.ProcessEnv, ipc = false): Promise<Child> {
  // `node --import tsx`: one process per child, so its memory is the child's and a signal reaches it.
  // BENCH_SERVICE_NODE_ARGS: extra node flags for the service child only (e.g. `--cpu-prof --cpu-prof-dir=DIR`, which
  // NODE_OPTIONS does not accept), so a profile is the service's alone.
  // The service runs with the node flags production gives it (the Procfile's web command), then any of the bench's.
  const extra = script.endsWith('service-child.ts')
    ? [...productionNodeFlags(), ...(process.env.BENCH_SERVICE_NODE_ARGS?.split(' ').filter(Boolean) ?? [])]
    : [];
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', path.join(__dirname, script), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? (['ipc'] as const) : [])],
  });
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      child.once('exit', () => (clearTimeout(kill), done()));
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => (void stop(), reject(new Error(`${script} did not start: ${err.slice(-2000)}`))), START_TIMEOUT_MS);
    child.stdout!.on('data', (d) => {
      out += String(d);
      const line = out.split('\n').find((l) => l.startsWith('{"url"'));
      if (line && timer) {
        clearTimeout(timer);
        const describe = () =>
          `${script} ${args.join(' ')}${child.exitCode !== null || child.signalCode ? ` exited (${child.exitCode ?? child.signalCode})` : ' running'}: ${err.slice(-1500)}`;
        resolve({ url: (JSON.parse(line) as { url: string }).url, process: child, describe, stop });
      }
    });
    child.stderr!.on('data', (d) => (err = (err + String(d)).slice(-20_000)));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code ?? signal}) before listening: ${err.slice(-2000)}`));
    });
  });
}

/** The highest memory use a child has reported over IPC, and the CPU time it used since the last reset. */
export class PeakMemory {
  rss = 0;
  heapUsed = 0;
  /** The most heap in use right after a full collection: what the child held live at its fullest. */
  liveHeapUsed = 0;
  private cpuLatestUs = 0;
  private cpuAtResetUs = 0;
  private readonly child: ChildProcess;

  constructor(child: ChildProcess) {
    this.child = child;
    child.on('message', (m: MemorySample) => {
      this.rss = Math.max(this.rss, m.rss);
      this.heapUsed = Math.max(this.heapUsed, m.heapUsed);
      this.liveHeapUsed = Math.max(this.liveHeapUsed, m.liveHeapUsed);
      this.cpuLatestUs = m.cpuUs;
    });
  }

  /** CPU milliseconds since the last reset, as of the latest sample (every 100 ms). */
  get cpuMs(): number {
    return (this.cpuLatestUs - this.cpuAtResetUs) / 1000;
  }

  /** Resolves on the child's next sample: a reset before its first would count the CPU it spent starting. */
  nextSample(): Promise<void> {
    return new Promise((resolve) => this.child.once('message', () => resolve()));
  }

  reset(): void {
    this.rss = 0;
    this.heapUsed = 0;
    this.liveHeapUsed = 0;
    this.cpuAtResetUs = this.cpuLatestUs;
  }
}
