// scripts/code-analyzer.js: Salesforce Code Analyzer's PMD rules (code-analyzer-core + the PMD engine, no sf plugin)
// fail `npm test` on a severity 1 or 2 violation and name the rule, the file and the line.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

jest.setTimeout(120_000);

const SCRIPT = path.resolve(__dirname, '../../scripts/code-analyzer.js');

function analyze(target: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, target], { maxBuffer: 8 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('Code Analyzer script', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-pmd-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('when a class swallows an exception in an empty catch block, then the run fails naming the rule, file and line', async () => {
    writeFileSync(
      path.join(dir, 'Swallow.cls'),
      [
        '/**',
        ' * @description Parses a number or gives up.',
        ' */',
        'public with sharing class Swallow {',
        '  /**',
        '   * @description Parses.',
        '   * @param text the text',
        '   * @return the number or null',
        '   */',
        '  public static Integer parse(String text) {',
        '    try {',
        '      return Integer.valueOf(text);',
        '    } catch (TypeException e) {',
        '    }',
        '    return null;',
        '  }',
        '}',
        '',
      ].join('\n'),
    );

    const result = await analyze(dir);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/FAIL sev 2 pmd:EmptyCatchBlock .*Swallow\.cls:13/);
    expect(result.stdout).toMatch(/code-analyzer: \d+ rules \(pmd:Recommended\).* 1 blocking/);
  });
});
