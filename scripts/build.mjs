// Builds the extension, the CLI, the webview bundle and the compiled tests with esbuild.
// Usage: node scripts/build.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** Every *.ts file below dir (relative to root). */
function tsFiles(dir) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every *.js and *.js.map file below dir (relative to root). */
function jsFiles(dir) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return jsFiles(path);
    return /\.js(\.map)?$/.test(name) ? [path] : [];
  });
}

const common = {
  absWorkingDir: root,
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  target: 'es2022',
};

const builds = [
  // mainFields: prefer ESM builds (jsonc-parser's UMD build requires its files dynamically, which a bundle cannot follow).
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
    mainFields: ['module', 'main'],
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
  },
];
// The language client, loaded by src/language/support.ts on the first Nix document (not at activation).
builds.push({
  ...common,
  entryPoints: ['src/language/client.ts'],
  outfile: 'dist/languageClient.js',
  platform: 'node',
  format: 'cjs',
  external: ['vscode'],
  mainFields: ['module', 'main'],
});
// The pin commands with the Nix parser, loaded by src/commandTable.ts on first use.
builds.push({
  ...common,
  entryPoints: ['src/pins/bundle.ts'],
  outfile: 'dist/pins.js',
  platform: 'node',
  format: 'cjs',
  external: ['vscode'],
  mainFields: ['module', 'main'],
});
// The shell.nix language server, started by src/language/client.ts over IPC.
builds.push({ ...common, entryPoints: ['src/language/server.ts'], outfile: 'dist/server.js', platform: 'node', format: 'cjs' });
if (existsSync(join(root, 'src/webview-ui/main.ts'))) {
  builds.push({ ...common, entryPoints: ['src/webview-ui/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife' });
}
if (!production) {
  // Stale bundles of deleted or renamed tests must not run: remove the ones without a source.
  for (const stale of tsFiles('out').length === 0 ? jsFiles('out') : []) {
    const source = join(root, stale.replace(/^out\//, '').replace(/\.js(\.map)?$/, '.ts'));
    if (!existsSync(source)) rmSync(join(root, stale), { force: true });
  }
  // Tests: one bundle per test file (and per harness entry), mocha/vscode/playwright resolved at run time.
  const entries = tsFiles('test').filter((f) => !f.includes('/fixtures/'));
  builds.push({
    ...common,
    entryPoints: entries,
    outdir: 'out',
    outbase: '.',
    platform: 'node',
    format: 'cjs',
    external: ['vscode', 'mocha', 'playwright-core', '@vscode/test-electron'],
  });
}

// Codicons for the webview (font + stylesheet), served from dist/ through asWebviewUri.
mkdirSync(join(root, 'dist/codicons'), { recursive: true });
for (const name of ['codicon.css', 'codicon.ttf'])
  copyFileSync(join(root, 'node_modules/@vscode/codicons/dist', name), join(root, 'dist/codicons', name));

if (watch) {
  for (const options of builds) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  console.log('[build] watching', builds.map((b) => b.outfile ?? b.outdir).join(', '));
} else {
  const started = Date.now();
  await Promise.all(builds.map((options) => esbuild.build(options)));
  console.log(`[build] ${builds.map((b) => relative(root, join(root, b.outfile ?? b.outdir))).join(', ')} in ${Date.now() - started} ms`);
}
