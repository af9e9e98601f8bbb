// Second step of `npm run build` (after tsc): copies what the compiled service reads at run time besides its
// JavaScript — the store's SQL migrations, and the SLDS stylesheet of the QuickBooks Authentication page (so a
// production install without devDependencies still shows a styled page). Plain node: no TypeScript needed.
/* global require, __dirname, console, process */
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const out = path.resolve(root, process.argv[2] || 'dist');

function copy(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

const migrations = path.join(root, 'service/src/store/migrations');
for (const file of fs.readdirSync(migrations).filter((f) => f.endsWith('.sql'))) {
  copy(path.join(migrations, file), path.join(out, 'store/migrations', file));
}

const stylesheet = 'styles/salesforce-lightning-design-system.min.css';
let slds;
try {
  slds = path.join(path.dirname(require.resolve('@salesforce-ux/design-system/package.json')), 'assets');
} catch {
  slds = null;
}
if (slds && fs.existsSync(path.join(slds, stylesheet))) {
  copy(path.join(slds, stylesheet), path.join(out, 'slds-assets', stylesheet));
} else {
  console.warn('build: @salesforce-ux/design-system is not installed; the QuickBooks Authentication page will be unstyled.');
}
console.log(`build: assets copied to ${path.relative(root, out) || '.'}`);
