// The integration suite on desktop VS Code through @vscode/test-electron, for machines that can
// download VS Code (or have one: VSCODE_EXECUTABLE=/path/to/code). The default host of
// `npm test` is code-server (scripts/run-integration.mjs), because @vscode/test-electron cannot
// download VS Code where only package registries are reachable.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';

const root = new URL('..', import.meta.url).pathname;
const workspace = mkdtempSync(join(tmpdir(), 'ppl-nix-electron-'));
cpSync(join(root, 'test/fixtures/workspace'), workspace, { recursive: true });
try {
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out/test/integration/index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    ...(process.env.VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE } : { version: '1.139.1' }),
  });
} catch (error) {
  console.error(`[electron] ${error.message ?? error}`);
  process.exit(1);
}
