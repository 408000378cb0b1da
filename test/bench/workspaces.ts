// What the scale figures are measured on, made the same way for Node and for the real host
// (scripts/bench-ui.mjs requires the compiled out/test/bench/workspaces.js):
//  - N package names for a shell.nix (the fixture's real Python packages first, then stubs that
//    only an extended COPY of the fixture defines: see nix.ts, scaleFixture());
//  - a workspace with N environment files (envs/model-NNN.nix, written by renderShellNix, so each
//    carries the spec line and discovery has to read it);
//  - discovery as the switcher does it (src/enter/discovery.ts findEnvironments), with a directory
//    walk in place of vscode.workspace.findFiles.
import { promises as fs, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { PinRef } from '../../src/core/pins/pins';
import type { EnvSpec } from '../../src/core/spec/spec';
import { renderShellNix, SPEC_PREFIX } from '../../src/core/spec/render';
import { readIfExists } from '../../src/host/files';

/** The scale sizes of issue 13. */
export const SCALE_SIZES = [10, 50, 200] as const;

/** The fixture's Python packages that build (aesara is marked broken; the aliases throw). */
export const FIXTURE_PYTHON_PACKAGES = [
  'arviz',
  'bambi',
  'blackjax',
  'cmdstanpy',
  'corner',
  'emcee',
  'ipykernel',
  'ipython',
  'jax',
  'jaxlib',
  'jupyter',
  'matplotlib',
  'numpy',
  'numpyro',
  'nutpie',
  'pandas',
  'pymc',
  'pyro-ppl',
  'pytensor',
  'scipy',
  'seaborn',
  'tensorflow-probability',
  'xarray',
] as const;

export const stubName = (i: number): string => `benchstub${String(i).padStart(3, '0')}`;

/** N package names: the fixture's real ones first, then benchstub001, benchstub002, … */
export function scaleNames(n: number): string[] {
  const real = FIXTURE_PYTHON_PACKAGES.slice(0, n);
  return [...real, ...Array.from({ length: Math.max(0, n - real.length) }, (_, i) => stubName(i + 1))];
}

/** A spec with N Python packages (all as extra attributes of the package set). */
export function scaleSpec(n: number, pin: PinRef, name = `scale-${n}`): EnvSpec {
  return { name, pin, python: '3.12', packages: [], extraPackages: scaleNames(n), systemPackages: [] };
}

/** Writes N environment files envs/model-NNN.nix (no shell.nix: the folder has no default one). */
export function writeEnvWorkspace(dir: string, n: number, pin: PinRef): string[] {
  mkdirSync(join(dir, 'envs'), { recursive: true });
  writeFileSync(join(dir, 'README.md'), `# ${n} PPL Nix environments (bench workspace)\n`);
  const files: string[] = [];
  for (let i = 1; i <= n; i++) {
    const name = `model-${String(i).padStart(3, '0')}`;
    const file = join(dir, 'envs', `${name}.nix`);
    writeFileSync(file, renderShellNix({ name, pin, python: '3.12', packages: ['pymc', 'arviz'], extraPackages: [], systemPackages: [] }));
    files.push(file);
  }
  return files;
}

/** A folder whose shell.nix (PyMC, ArviZ) activates PPL Nix and is entered when the folder opens. */
export function writeShellWorkspace(dir: string, pin: PinRef): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'shell.nix');
  writeFileSync(
    file,
    renderShellNix({ name: 'bayes', pin, python: '3.12', packages: ['pymc', 'arviz'], extraPackages: [], systemPackages: [] }),
  );
  return file;
}

const SKIP = new Set(['node_modules', '.git', '.ppl-nix']);

async function nixFiles(dir: string, out: string[] = []): Promise<string[]> {
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP.has(entry.name)) await nixFiles(join(dir, entry.name), out);
    } else if (entry.name.endsWith('.nix')) out.push(join(dir, entry.name));
  }
  return out;
}

/** findEnvironments without VS Code: the same name rules and the same reads (limit 200 like findFiles there). */
export async function discover(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const file of (await nixFiles(dir)).slice(0, 200)) {
    const name = basename(file);
    if (name === 'shell.nix' || name === 'default.nix' || name === 'flake.nix' || ((await readIfExists(file)) ?? '').includes(SPEC_PREFIX))
      found.push(file);
  }
  return found.sort((a, b) => a.localeCompare(b));
}
