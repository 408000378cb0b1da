// npm run bench: builds, then prints the figures of test/bench/bench.ts (not a test: no pass/fail).
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
for (const args of [['scripts/build.mjs'], ['out/test/bench/bench.js']]) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
