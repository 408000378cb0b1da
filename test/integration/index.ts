// Entry point of the integration tests inside the VS Code extension host (`extensionTestsPath`).
// VS Code calls run(); a rejected promise makes the test run exit with code 1.
// The build bundles every test/**/*.ts separately into out/, so the suites are the *.test.js files
// next to this compiled file (and below it). `mocha` and `vscode` stay external (resolved at run time).
import Mocha from 'mocha';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every *.test.js below dir, sorted for a stable order. */
function testFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return testFiles(path);
      return name.endsWith('.test.js') ? [path] : [];
    });
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000 });
  // PPL_NIX_TEST_GREP (set on the runner, it reaches the extension host) runs a subset.
  const grep = process.env['PPL_NIX_TEST_GREP'];
  if (grep) mocha.grep(grep);
  if (grep && process.env['PPL_NIX_TEST_INVERT'] === '1') mocha.invert();
  const files = testFiles(__dirname);
  if (files.length === 0) throw new Error(`no *.test.js files in ${__dirname}: run node scripts/build.mjs`);
  for (const file of files) mocha.addFile(file);
  await mocha.loadFilesAsync();
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
