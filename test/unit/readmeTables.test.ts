import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../nix/fixture';

/** node scripts/readme-tables.mjs ARGS: its exit code and what it said. */
function tables(...args: string[]): { code: number | null; output: string } {
  const result = spawnSync(process.execPath, [join(repoRoot(), 'scripts', 'readme-tables.mjs'), ...args], { encoding: 'utf8' });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("README.md's Commands and Settings tables", () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'ppl-nix-readme-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('are what package.json contributes (node scripts/readme-tables.mjs rewrites them)', () => {
    const { code, output } = tables('--check');
    assert.equal(code, 0, output);
  });

  it('a drift is caught: a command or a setting changed in package.json, or a table edited by hand', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as {
      contributes: { commands: { command: string; title: string }[]; configuration: { properties: Record<string, { default?: unknown }> } };
    };
    const renamed = structuredClone(manifest);
    renamed.contributes.commands[0]!.title = 'Renamed';
    writeFileSync(join(dir, 'renamed.json'), JSON.stringify(renamed));
    const commands = tables('--check', '--manifest', join(dir, 'renamed.json'));
    assert.equal(commands.code, 1);
    assert.match(commands.output, /commands table/);

    const redefaulted = structuredClone(manifest);
    redefaulted.contributes.configuration.properties['pplNix.autoEnter']!.default = false;
    writeFileSync(join(dir, 'redefaulted.json'), JSON.stringify(redefaulted));
    const settings = tables('--check', '--manifest', join(dir, 'redefaulted.json'));
    assert.equal(settings.code, 1);
    assert.match(settings.output, /settings table/);

    const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8').replace(
      '| `pplNix.autoEnter` | `true` |',
      '| `pplNix.autoEnter` | `yes` |',
    );
    writeFileSync(join(dir, 'README.md'), readme);
    assert.equal(tables('--check', '--readme', join(dir, 'README.md')).code, 1);
  });

  it('every command says what it does: a new command without a sentence fails', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { contributes: { commands: object[] } };
    manifest.contributes.commands.push({ command: 'pplNix.somethingNew', title: 'Something new', category: 'PPL Nix' });
    writeFileSync(join(dir, 'new.json'), JSON.stringify(manifest));
    const result = tables('--check', '--manifest', join(dir, 'new.json'));
    assert.notEqual(result.code, 0);
    assert.match(result.output, /pplNix\.somethingNew/);
  });
});
