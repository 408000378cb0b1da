// Parts of the extension most sessions never use (the Nix language client, the pin commands with
// the Nix parser) are separate bundles in dist/, loaded on first use: activation loads only what
// every session needs. A bundle's path is computed at run time, so the bundler leaves it apart.
import type { Ctx } from './context';

const loaded = new Map<string, unknown>();

export function loadBundle<T>(ctx: Ctx, name: 'languageClient' | 'pins'): T {
  let module = loaded.get(name);
  if (module === undefined) {
    const started = performance.now();
    // A run-time path on purpose (an import would be bundled into dist/extension.js).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    module = require(ctx.extension.asAbsolutePath(`dist/${name}.js`)) as unknown;
    loaded.set(name, module);
    ctx.log.info(`${name} bundle loaded in ${Math.round(performance.now() - started)} ms`);
  }
  return module as T;
}
