// One emulator in a process of its own for the bench: `tsx scripts/bench/emulator-child.ts qbo|salesforce`, options
// as JSON in BENCH_EMULATOR_OPTIONS. Prints {"url": ...} on stdout once it listens; stops on SIGTERM.
import { startQboEmulator } from '../../emulators/qbo';
import { startSalesforceEmulator } from '../../emulators/salesforce';

async function main(): Promise<void> {
  const which = process.argv[2];
  const options = JSON.parse(process.env.BENCH_EMULATOR_OPTIONS ?? '{}') as Record<string, unknown>;
  const emulator =
    which === 'qbo'
      ? await startQboEmulator({ port: 0, ...options })
      : which === 'salesforce'
        ? await startSalesforceEmulator({ port: 0, ...options })
        : undefined;
  if (!emulator) throw new Error(`give qbo or salesforce, not ${which}`);
  process.once('SIGTERM', () => void emulator.close().finally(() => process.exit(0)));
  process.stdout.write(`${JSON.stringify({ url: emulator.url })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
