#!/usr/bin/env node
// Salesforce Code Analyzer's PMD rules over force-app, without the sf plugin: @salesforce/code-analyzer-core with
// @salesforce/code-analyzer-pmd-engine (needs Java 11+ on PATH). Settings, rule overrides and the reason for each
// justified finding live in code-analyzer.yml beside package.json.
//
//   node scripts/code-analyzer.js              analyse force-app; exit 1 on any severity 1 or 2 violation
//   node scripts/code-analyzer.js --all        also fail on lesser findings
//   node scripts/code-analyzer.js DIR|FILE...  analyse these instead (the workspace is the repository)
/* global require, __dirname, console, process */
'use strict';

const path = require('node:path');
const fs = require('node:fs');

const ROOT = path.resolve(__dirname, '..');
const CONFIG = path.join(ROOT, 'code-analyzer.yml');
const RULE_SELECTOR = 'pmd:Recommended';

function relative(file) {
  return file ? path.relative(process.cwd(), file) || file : '?';
}

async function main(argv) {
  const failOnAll = argv.includes('--all');
  const targets = argv.filter((a) => a !== '--all').map((p) => path.resolve(p));
  for (const target of targets) {
    if (!fs.existsSync(target)) {
      console.error(`code-analyzer: ${target} does not exist`);
      return 2;
    }
  }
  const core = require('@salesforce/code-analyzer-core');
  const pmd = require('@salesforce/code-analyzer-pmd-engine');

  const started = Date.now();
  const analyzer = new core.CodeAnalyzer(core.CodeAnalyzerConfig.fromFile(CONFIG));
  const problems = [];
  analyzer.onEvent(core.EventType.LogEvent, (event) => {
    if (event.logLevel <= core.LogLevel.Error) problems.push(event.message);
  });
  analyzer.onEvent(core.EventType.EngineLogEvent, (event) => {
    if (event.logLevel <= core.LogLevel.Error) problems.push(`${event.engineName}: ${event.message}`);
  });
  await analyzer.addEnginePlugin(pmd.createEnginePlugin());

  const workspaceRoots = targets.length ? targets : [path.join(ROOT, 'force-app')];
  const workspace = await analyzer.createWorkspace(workspaceRoots);
  const selection = await analyzer.selectRules([RULE_SELECTOR], { workspace });
  const results = await analyzer.run(selection, { workspace });

  const violations = results.getViolations();
  let blocking = 0;
  for (const violation of violations) {
    const rule = violation.getRule();
    const severity = rule.getSeverityLevel();
    const where = violation.getPrimaryLocation();
    const counts = severity <= core.SeverityLevel.High || failOnAll;
    if (counts) blocking += 1;
    const line = `${counts ? 'FAIL' : 'note'} sev ${severity} ${rule.getEngineName()}:${rule.getName()} ${relative(where.getFile())}:${where.getStartLine() ?? '?'} ${violation.getMessage().trim()}`;
    (counts ? console.error : console.log)(line);
  }
  for (const problem of problems) console.error(`code-analyzer: ${problem}`);
  const bySeverity = [1, 2, 3, 4, 5].map((s) => `${results.getViolationCountOfSeverity(s)} sev ${s}`).join(', ');
  console.log(
    `code-analyzer: ${selection.getCount()} rules (${RULE_SELECTOR}) over ${relative(workspaceRoots.join(' '))} in ${Date.now() - started} ms: ` +
      `${violations.length} violation(s) (${bySeverity}), ${blocking} blocking`,
  );
  return blocking > 0 || problems.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error('code-analyzer: unexpected failure', err);
    process.exitCode = 2;
  },
);
