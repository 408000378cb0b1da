// npm run bench: figures, not tests (no pass/fail): test/bench/bench.ts, then scripts/bench-ui.mjs.
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
// Core and Nix figures, then the UI figures in code-server (on the packaged extension).
for (const args of [['scripts/build.mjs'], ['out/test/bench/bench.js'], ['scripts/package.mjs'], ['scripts/bench-ui.mjs']]) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
