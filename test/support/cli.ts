// The command lines (`npm run export`, `npm run reconcile`) as a user runs them, against a test stack.
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { DemoStack } from '../../scripts/demo-stack';

export function exportCli(stack: DemoStack, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runScript('export.ts', stack, args);
}

export function reconcileCli(stack: DemoStack, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runScript('reconcile.ts', stack, args);
}

function runScript(script: string, stack: DemoStack, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../../scripts', script), '--url', stack.serviceUrl, ...args], {
      env: { ...process.env, LEDGERLINE_API_KEY: stack.apiKey, LOG_LEVEL: 'silent' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
