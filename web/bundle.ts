// Builds the local Sales Invoice Export page (run by web/build.ts; serve.ts runs that in a child process): the force-app components, unchanged, compiled by LWC OSS
// (lwc + @lwc/rollup-plugin + rollup), with small SLDS stand-ins for the lightning/* base components,
// the @salesforce/apex/SalesInvoiceExportController.* imports mapped to modules that call the service's
// HTTP API, and @salesforce/label/c.* generated from force-app's CustomLabels.labels-meta.xml.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { rollup, type Plugin, type RollupLog } from 'rollup';
import type { RollupLwcOptions } from '@lwc/rollup-plugin';
import alias from '@rollup/plugin-alias';
import replace from '@rollup/plugin-replace';
import { XMLParser } from 'fast-xml-parser';

// @lwc/rollup-plugin's main entry is an ES module; its CommonJS build loads under require(), tsx and jest alike.
const lwc: (options?: RollupLwcOptions) => Plugin = require('@lwc/rollup-plugin/dist/index.cjs').default;

export const WEB_DIR = __dirname;
export const ROOT_DIR = path.resolve(__dirname, '..');
export const FORCE_APP_LWC_DIR = path.join(ROOT_DIR, 'force-app', 'main', 'default', 'lwc');
export const LABELS_FILE = path.join(ROOT_DIR, 'force-app', 'main', 'default', 'labels', 'CustomLabels.labels-meta.xml');
export const BUNDLE_FILE = 'app.js';

const STAND_INS_DIR = path.join(WEB_DIR, 'modules');
const APEX_DIR = path.join(WEB_DIR, 'apex');
const ENTRY = path.join(WEB_DIR, 'src', 'main.js');
const LABEL_PREFIX = '@salesforce/label/c.';
const VIRTUAL_LABEL = '\0ledgerline-label:';

export interface WebBundle {
  /** The page's JavaScript (ES module). */
  js: string;
  /** Names of the force-app components compiled into the bundle. */
  components: string[];
  /** Build time in milliseconds. */
  millis: number;
}

/** A package's folder, found the way Node looks (some packages export no ./package.json). */
function packageDir(name: string, from: string = ROOT_DIR): string {
  const candidates = [path.join(from, 'node_modules'), ...(require.resolve.paths(name) ?? [])];
  for (const dir of candidates) {
    if (existsSync(path.join(dir, name, 'package.json'))) return path.join(dir, name);
  }
  throw new Error(`web: cannot find the ${name} package`);
}

/** The engine the compiler matches: lwc's own @lwc/* 9.x, not an older hoisted copy (sfdx-lwc-jest pins 8.x). */
function lwcRuntimePath(pkg: '@lwc/engine-dom' | '@lwc/synthetic-shadow'): string {
  return path.join(packageDir(pkg, packageDir('lwc')), 'dist', 'index.js');
}

/** Every force-app bundle as an alias record: force-app's lwc/<name>/<name>.js layout is not a `{ dir }` layout. */
export function forceAppComponents(): { name: string; path: string }[] {
  return readdirSync(FORCE_APP_LWC_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(FORCE_APP_LWC_DIR, entry.name, `${entry.name}.js`)))
    .map((entry) => ({ name: `c/${entry.name}`, path: path.join(FORCE_APP_LWC_DIR, entry.name, `${entry.name}.js`) }));
}

/** Custom Labels by API name, read from the metadata file the org gets. */
export function readCustomLabels(file = LABELS_FILE): Map<string, string> {
  const parser = new XMLParser({ isArray: (name) => name === 'labels', parseTagValue: false, trimValues: false });
  const doc = parser.parse(readFileSync(file, 'utf8')) as { CustomLabels?: { labels?: { fullName: string; value: string }[] } };
  const labels = new Map<string, string>();
  for (const label of doc.CustomLabels?.labels ?? []) labels.set(String(label.fullName).trim(), String(label.value ?? ''));
  return labels;
}

/** `import X from '@salesforce/label/c.Name'` becomes the label's text; an unknown name fails the build. */
function customLabels(file = LABELS_FILE): Plugin {
  let labels = new Map<string, string>();
  return {
    name: 'ledgerline-custom-labels',
    buildStart() {
      labels = readCustomLabels(file);
      this.addWatchFile(file);
    },
    resolveId(source) {
      return source.startsWith(LABEL_PREFIX) ? VIRTUAL_LABEL + source.slice(LABEL_PREFIX.length) : null;
    },
    load(id) {
      if (!id.startsWith(VIRTUAL_LABEL)) return null;
      const name = id.slice(VIRTUAL_LABEL.length);
      if (!labels.has(name)) this.error(`Custom Label c.${name} is not defined in ${path.relative(ROOT_DIR, file)}`);
      return `export default ${JSON.stringify(labels.get(name))};`;
    },
  };
}

function plugins(): Plugin[] {
  const components = forceAppComponents();
  return [
    customLabels(),
    alias({
      entries: [
        // @salesforce/apex/SalesInvoiceExportController.getSummary -> web/apex/SalesInvoiceExportController/getSummary.js
        {
          find: /^@salesforce\/apex\/SalesInvoiceExportController\.(\w+)$/,
          replacement: path.join(APEX_DIR, 'SalesInvoiceExportController', '$1.js'),
        },
      ],
    }),
    replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify('production') } }),
    lwc({
      rootDir: WEB_DIR,
      // Absolute paths throughout: force-app components by name, stand-ins by folder, and the runtime.
      modules: [
        ...components,
        { dir: STAND_INS_DIR },
        { name: 'lwc', path: lwcRuntimePath('@lwc/engine-dom') },
        { name: '@lwc/synthetic-shadow', path: lwcRuntimePath('@lwc/synthetic-shadow') },
      ],
      defaultModules: [],
      // The runtime in node_modules is already compiled: only components go through the LWC compiler.
      exclude: ['**/node_modules/**'],
      sourcemap: false,
    }),
  ];
}

/** Compiles the page in memory. Takes a couple of seconds. */
export async function bundleWeb(): Promise<WebBundle> {
  const started = Date.now();
  const warnings: string[] = [];
  const bundle = await rollup({
    input: ENTRY,
    plugins: plugins(),
    onLog(level: string, log: RollupLog) {
      if (level === 'warn') warnings.push(log.message);
    },
  });
  try {
    const { output } = await bundle.generate({ format: 'esm', inlineDynamicImports: true });
    const chunk = output.find((o) => o.type === 'chunk');
    if (!chunk || chunk.type !== 'chunk') throw new Error('rollup produced no JavaScript chunk');
    const unresolved = warnings.filter((w) => /unresolved|could not be resolved/i.test(w));
    if (unresolved.length) throw new Error(`web bundle has unresolved imports:\n${unresolved.join('\n')}`);
    return { js: chunk.code, components: forceAppComponents().map((c) => c.name), millis: Date.now() - started };
  } finally {
    await bundle.close();
  }
}

/** Builds the page into outDir (default web/dist): app.js, plus index.html without injected config. In-process: see serve.ts's buildWeb for the child-process form. */
export async function writeWeb(outDir: string = path.join(WEB_DIR, 'dist')): Promise<void> {
  const { js } = await bundleWeb();
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, BUNDLE_FILE), js);
  writeFileSync(path.join(outDir, 'index.html'), readFileSync(path.join(WEB_DIR, 'index.html'), 'utf8'));
}
