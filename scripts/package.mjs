// npm run package: a production build and ppl-nix.vsix. With --check, also verifies that the
// .vsix holds nothing but the bundles, media, grammars, package.json and the docs.
import { execFileSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const check = process.argv.includes('--check');
const vsce = ['node_modules/@vscode/vsce/vsce'];
const exec = (args) => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

exec(['scripts/build.mjs', '--production']);
process.stdout.write(
  exec([...vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', 'ppl-nix.vsix']),
);
if (check) {
  // Read the archive itself (a zip), not vsce's prediction of it.
  const listing = execFileSync('python3', ['-m', 'zipfile', '-l', 'ppl-nix.vsix'], { cwd: root, encoding: 'utf8' });
  const files = listing
    .split('\n')
    .slice(1)
    .map((line) =>
      line
        .trim()
        .split(/\s+\d{4}-\d\d-\d\d /)[0]
        .trim(),
    )
    .filter((file) => file.startsWith('extension/'))
    .map((file) => file.slice('extension/'.length))
    .sort();
  const allowed = [
    /^dist\/(extension|cli|webview|server|languageClient|pins)\.js$/,
    /^dist\/codicons\/codicon\.(css|ttf)$/,
    /^media\//,
    /^syntaxes\//,
    /^language-configuration\.json$/,
    /^package\.json$/,
    /^readme\.md$/i,
    /^changelog\.md$/i,
    /^license(\.txt)?$/i,
  ];
  const unexpected = files.filter((file) => !allowed.some((pattern) => pattern.test(file)));
  console.log(`[package] ppl-nix.vsix holds ${files.length} files:\n  ${files.join('\n  ')}`);
  // vsce stores README/CHANGELOG/LICENSE under its own spelling (readme.md, LICENSE.txt).
  const required = [
    /^dist\/extension\.js$/,
    /^dist\/languageClient\.js$/,
    /^dist\/pins\.js$/,
    /^dist\/server\.js$/,
    /^dist\/cli\.js$/,
    /^package\.json$/,
    /^readme\.md$/i,
    /^changelog\.md$/i,
    /^license(\.txt)?$/i,
  ];
  const missing = required.filter((pattern) => !files.some((file) => pattern.test(file))).map(String);
  if (unexpected.length > 0 || missing.length > 0) {
    console.log(`  1 failing\n[package] unexpected: ${unexpected.join(', ') || 'none'}; missing: ${missing.join(', ') || 'none'}`);
    process.exit(1);
  }
  console.log('  1 passing');
}
