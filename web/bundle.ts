// Builds the local Sales Invoice Export page (run by web/build.ts; serve.ts runs that in a child process): the
// force-app components, unchanged, compiled by LWC OSS (lwc + @lwc/rollup-plugin + rollup) together with
// Salesforce's own base components (the lightning-base-components package, made for LWC OSS). Only what exists
// solely on the platform has a local stand-in (web/modules): the navigation service behind lightning/navigation
// and Lightning Message Service. @salesforce/apex/<Class>.<method> imports become calls to the local org
// (web/org.ts), @salesforce/messageChannel/* become channel tokens, @salesforce/i18n/* the user's locale and time
// zone as the base components have them, and @salesforce/label/c.* are read from
// force-app's CustomLabels.labels-meta.xml.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { rollup, type Plugin, type RollupLog } from 'rollup';
import type { RollupLwcOptions } from '@lwc/rollup-plugin';
import replace from '@rollup/plugin-replace';
import { LABELS_FILE, readCustomLabels } from './labels';

// @lwc/rollup-plugin's CommonJS build (module.exports = the plugin) loads under require(), tsx and jest alike.
const lwc: (options?: RollupLwcOptions) => Plugin = require('@lwc/rollup-plugin/dist/index.cjs.js');

export const WEB_DIR = __dirname;
export const ROOT_DIR = path.resolve(__dirname, '..');
export const FORCE_APP_LWC_DIR = path.join(ROOT_DIR, 'force-app', 'main', 'default', 'lwc');
export const BUNDLE_FILE = 'app.js';

const STAND_INS_DIR = path.join(WEB_DIR, 'modules');
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

/** The runtime the compiler matches: lwc's own @lwc/* (the same 8.x sfdx-lwc-jest runs the component tests on). */
function lwcRuntimePath(pkg: '@lwc/engine-dom' | '@lwc/synthetic-shadow'): string {
  for (const from of [packageDir('lwc'), ROOT_DIR]) {
    const file = path.join(from, 'node_modules', pkg, 'dist', 'index.js');
    if (existsSync(file)) return file;
  }
  throw new Error(`web: cannot find ${pkg}`);
}

/** Every force-app bundle as an alias record: force-app's lwc/<name>/<name>.js layout is not a `{ dir }` layout. */
export function forceAppComponents(): { name: string; path: string }[] {
  return readdirSync(FORCE_APP_LWC_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(FORCE_APP_LWC_DIR, entry.name, `${entry.name}.js`)))
    .map((entry) => ({ name: `c/${entry.name}`, path: path.join(FORCE_APP_LWC_DIR, entry.name, `${entry.name}.js`) }));
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

const APEX_PREFIX = '@salesforce/apex/';
const VIRTUAL_APEX = '\0ledgerline-apex:';
const CHANNEL_PREFIX = '@salesforce/messageChannel/';
const VIRTUAL_CHANNEL = '\0ledgerline-channel:';
const I18N_PREFIX = '@salesforce/i18n/';
/** The user's locale and time zone as the base components see them here (their own stand-ins), for our components too. */
const I18N_DIR = path.join(path.dirname(require.resolve('lightning-base-components/package.json')), 'scopedImports');

/**
 * `import m from '@salesforce/apex/Class.method'` becomes a function that calls the local org's Apex stand-in
 * (harness/apex), with the same parameters and the same error shape as an imperative Apex call; and
 * `import C from '@salesforce/messageChannel/Name__c'` becomes the channel token the local Lightning Message
 * Service (lightning/messageService stand-in) keys on.
 */
function platformImports(): Plugin {
  return {
    name: 'ledgerline-platform-imports',
    resolveId(source) {
      if (source.startsWith(APEX_PREFIX)) return VIRTUAL_APEX + source.slice(APEX_PREFIX.length);
      if (source.startsWith(CHANNEL_PREFIX)) return VIRTUAL_CHANNEL + source.slice(CHANNEL_PREFIX.length);
      if (source.startsWith(I18N_PREFIX)) {
        const file = path.join(I18N_DIR, `@salesforce-i18n-${source.slice(I18N_PREFIX.length)}.js`);
        return existsSync(file) ? file : null;
      }
      return null;
    },
    load(id) {
      if (id.startsWith(VIRTUAL_APEX)) {
        const [className, method] = id.slice(VIRTUAL_APEX.length).split('.');
        if (!className || !method) this.error(`Not an Apex method import: ${id.slice(VIRTUAL_APEX.length)}`);
        return `import { callApex } from 'harness/apex';\nexport default (params) => callApex(${JSON.stringify(className)}, ${JSON.stringify(method)}, params);`;
      }
      if (id.startsWith(VIRTUAL_CHANNEL)) {
        return `export default Object.freeze({ channel: ${JSON.stringify(id.slice(VIRTUAL_CHANNEL.length))} });`;
      }
      return null;
    },
  };
}

function plugins(): Plugin[] {
  const components = forceAppComponents();
  return [
    customLabels(),
    platformImports(),
    // The base components branch on import.meta.env.SSR; this page renders in the browser.
    replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify('production'), 'import.meta.env.SSR': 'false' } }),
    lwc({
      rootDir: WEB_DIR,
      // Absolute paths throughout: force-app components by name, the platform stand-ins by folder, Salesforce's
      // base components by package, and the runtime. The first record that names a module wins.
      modules: [
        ...components,
        { dir: STAND_INS_DIR },
        { npm: 'lightning-base-components' },
        { name: 'lwc', path: lwcRuntimePath('@lwc/engine-dom') },
        { name: '@lwc/synthetic-shadow', path: lwcRuntimePath('@lwc/synthetic-shadow') },
      ],
      defaultModules: [],
      // Some base components (the datatable's custom cell types, the multi-column sorting modal) render lwc:is.
      enableDynamicComponents: true,
      // lightning-combobox attaches ElementInternals, which synthetic shadow supports only when compiled for it.
      enableSyntheticElementInternals: true,
      // The runtime in node_modules is already compiled; the base components are sources and go through the compiler.
      exclude: ['**/node_modules/@lwc/**', '**/node_modules/lwc/**'],
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
