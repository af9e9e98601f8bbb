#!/usr/bin/env node
// Parses Apex offline with prettier + prettier-plugin-apex, because Apex cannot compile here.
//
//   node scripts/check-apex.js            checks every force-app/**/*.cls and *.trigger
//   node scripts/check-apex.js a.cls b/   checks the given files (directories are walked)
//
// A syntax error fails the run (exit 1). Formatting differences are not errors: the source is
// parsed and formatted, and the formatted text is thrown away.
/* global require, __dirname, console, process */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const APEX_FILE = /\.(cls|trigger)$/;
const SKIPPED_DIRS = new Set(['node_modules', '.sf', '.sfdx', '.git']);

function collect(target, out) {
  const stat = fs.statSync(target);
  if (stat.isDirectory()) {
    for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
      if (entry.isDirectory() && SKIPPED_DIRS.has(entry.name)) continue;
      collect(path.join(target, entry.name), out);
    }
  } else if (APEX_FILE.test(target)) {
    out.push(target);
  }
  return out;
}

async function checkFile(file, prettier, apexPlugin) {
  const source = fs.readFileSync(file, 'utf8');
  try {
    await prettier.format(source, { parser: 'apex', plugins: [apexPlugin], filepath: file });
    return null;
  } catch (err) {
    const message = String((err && err.message) || err).split('\n')[0];
    return message;
  }
}

async function main(argv) {
  const targets = argv.length > 0 ? argv.map((p) => path.resolve(p)) : [path.join(ROOT, 'force-app')];
  const files = [];
  for (const target of targets) {
    if (!fs.existsSync(target)) {
      console.error(`check-apex: ${target} does not exist`);
      return 1;
    }
    collect(target, files);
  }
  files.sort();
  if (files.length === 0) {
    console.error('check-apex: no .cls or .trigger files found');
    return 1;
  }

  const prettier = await import('prettier');
  const apexPlugin = await import('prettier-plugin-apex');

  let failures = 0;
  for (const file of files) {
    const error = await checkFile(file, prettier, apexPlugin);
    const shown = path.relative(process.cwd(), file) || file;
    if (error) {
      failures += 1;
      console.error(`FAIL ${shown}: ${error}`);
    } else {
      console.log(`ok   ${shown}`);
    }
  }
  console.log(`check-apex: ${files.length} file(s) checked, ${failures} with syntax errors`);
  return failures > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error('check-apex: unexpected failure', err);
    process.exitCode = 2;
  },
);
