// The shell hook reaches the file inside a Nix indented string: for any text, the value Nix reads
// from the rendered shell.nix must be exactly that text (a stray interpolation would run code).
// Property test with fast-check, checked by Nix itself (`nix-instantiate --eval`), in batches.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { renderShellNix } from '../../src/core/spec/render';
import type { EnvSpec } from '../../src/core/spec/spec';
import { nixAvailable, nixTestEnv, tempDir } from './fixture';

const BEGIN = '# ppl-nix:begin shellHook\n';
const END = '\n# ppl-nix:end shellHook\n';

/** Text full of what matters to Nix strings: quotes, dollars, braces, backslashes, line breaks. */
const hookText = fc
  .array(
    fc.oneof(
      {
        weight: 6,
        arbitrary: fc.constantFrom("'", "''", '$', '${', '{', '}', '\\', '\n', '\t', ' ', '"', '$$', "''$", "''\\n", '#', '\r'),
      },
      { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 4 }) },
      { weight: 1, arbitrary: fc.constantFrom('é', '∑', '🙂', '\u2028', 'echo ', 'export A=') },
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

const spec = (shellHook: string): EnvSpec => ({
  name: 'hook',
  pin: { label: 'fixture', url: 'file:///nonexistent/nixpkgs.tar.gz', sha256: '1jvflnbrxa8gjxkwjq6kdpdzgwp0hs59h9l3xjasksv0v7xlwykz' },
  python: '3.12',
  packages: [],
  extraPackages: [],
  systemPackages: [],
  shellHook,
});

/** The shellHook values Nix reads from each file (a stand-in pkgs: mkShell returns its arguments). */
function nixValues(dir: string, files: readonly string[]): string[] {
  const fakePkgs = '{ mkShell = a: a; python312 = { withPackages = f: "python"; }; }';
  const all = join(dir, 'all.nix');
  writeFileSync(all, `[\n${files.map((file) => `  (import ${file} { pkgs = ${fakePkgs}; }).shellHook`).join('\n')}\n]\n`);
  return JSON.parse(
    execFileSync('nix-instantiate', ['--eval', '--strict', '--json', all], {
      encoding: 'utf8',
      env: nixTestEnv(),
      maxBuffer: 64 * 1024 * 1024,
    }),
  ) as string[];
}

describe('shell hook escaping, checked by Nix', function () {
  this.timeout(120_000);
  before(function () {
    assert.ok(nixAvailable().ok, nixAvailable().reason);
  });

  it('for 1000 random hooks, the value Nix reads is exactly the text written', () => {
    const dir = tempDir('ppl-nix-escaping-');
    // Hooks without a NUL and with at least one visible character (an empty hook writes no hook).
    const hooks = fc.sample(
      hookText.filter((text) => text.trim() !== '' && !text.includes('\u0000')),
      { numRuns: 1000, seed: 20221 },
    );
    hooks.push("echo '${HOME}'", "a''b", "''${x}", '$${x}', "'", "x'", "'''", "''\\n");
    const files = hooks.map((hook, index) => {
      const file = join(dir, `hook-${index}.nix`);
      writeFileSync(file, renderShellNix(spec(hook)));
      return file;
    });
    const values = nixValues(dir, files);
    const wrong = hooks
      .map((hook, index) => ({ hook, value: values[index] ?? '' }))
      .filter(({ hook, value }) => value !== `${BEGIN}${hook}${END}`)
      .slice(0, 5);
    assert.deepEqual(wrong, [], 'every hook reads back exactly');
  });
});
