// The profile summary groups a frame by where its code lives: a package, one of our files, or Node and V8 themselves.
import { moduleOf } from '../../scripts/bench/profileTop';

describe('the profile summary', () => {
  it('when frames come from packages, our files, Node, WebAssembly or V8, then each is grouped under its module', () => {
    expect(moduleOf('file:///app/node_modules/@electric-sql/pglite/dist/index.cjs', 'Je')).toBe('@electric-sql/pglite');
    expect(moduleOf('file:///app/node_modules/zod/v4/core/core.js', 'parse')).toBe('zod');
    expect(moduleOf('file:///app/node_modules/a/node_modules/bottleneck/lib/x.js', 'f')).toBe('bottleneck');
    expect(moduleOf('file:///work/app/service/src/store/journal.ts', 'write')).toBe('service/src/store/journal.ts');
    expect(moduleOf('node:internal/deps/undici/undici', 'fetch')).toBe('node:internals');
    expect(moduleOf('wasm://wasm/0123abcd', 'wasm-function[12]')).toBe('wasm');
    expect(moduleOf('', '(garbage collector)')).toBe('(garbage collector)');
    expect(moduleOf('', 'writev')).toBe('(native)');
  });
});
