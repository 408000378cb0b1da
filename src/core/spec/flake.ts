// Spec → flake.nix: the same environment as the shell.nix (the same python.withPackages and
// mkShell, the same managed blocks, the same recorded spec), as a flake with one devShell,
// `default`, for the usual systems. nixpkgs is an input with `flake = false`, imported as
// `import nixpkgs { inherit system; }` the way shell.nix imports its fetchTarball: it works with any
// nixpkgs tarball (a mirror, a file:// tarball without a flake.nix), evaluates none of nixpkgs'
// flake code, and gives the same derivations as the shell.nix of the same spec.
import { nixpkgsInput } from './flakeLock';
import { begin, checkedResolve, end, headerComments, mkShellLines, pythonLines, renderShellNix } from './render';
import type { EnvSpec } from './spec';

/** The systems a PPL Nix flake defines its devShell for. */
export const FLAKE_SYSTEMS: readonly string[] = ['x86_64-linux', 'aarch64-linux', 'x86_64-darwin', 'aarch64-darwin'];

function inputsBlock(spec: EnvSpec): string[] {
  const input = nixpkgsInput(spec.pin);
  return [
    begin('  ', 'inputs'),
    `  # nixpkgs ${spec.pin.label}: ${input.type === 'github' ? 'an exact revision; ' : ''}flake.lock holds the hash of its tarball`,
    '  # (the sha256 a shell.nix gives fetchTarball), so every machine builds the same environment.',
    '  # flake = false: nixpkgs is imported as a source tree, as shell.nix does.',
    '  inputs.nixpkgs = {',
    ...(input.type === 'github'
      ? [`    url = "github:NixOS/nixpkgs/${input.rev}";`]
      : ['    type = "tarball";', `    url = "${input.url}";`]),
    '    flake = false;',
    '  };',
    end('  ', 'inputs'),
  ];
}

/** The whole flake.nix for a new environment (a validated spec only: see checkedResolve). */
export function renderFlakeNix(spec: EnvSpec): string {
  const env = checkedResolve(spec);
  return [
    ...headerComments(spec, '`nix develop`'),
    end('', 'header'),
    '{',
    ...inputsBlock(spec),
    '',
    '  outputs = { self, nixpkgs }:',
    '    let',
    '      shell = system:',
    '        let',
    '          pkgs = import nixpkgs { inherit system; };',
    begin('          ', 'python'),
    ...pythonLines(env, '          '),
    end('          ', 'python'),
    '        in',
    ...mkShellLines(spec, env, '        ').map((line, index, all) => (index === all.length - 1 ? `${line};` : line)),
    '    in',
    '    {',
    ...FLAKE_SYSTEMS.map((system) => `      devShells.${system}.default = shell "${system}";`),
    '    };',
    '}',
    '',
  ].join('\n');
}

/** The file a spec is written to: a flake.nix for a flake, else a shell.nix. */
export function renderSpecFile(spec: EnvSpec): string {
  return spec.format === 'flake' ? renderFlakeNix(spec) : renderShellNix(spec);
}

/** Why a spec cannot go to this path: Nix reads a file named flake.nix as a flake, and only such a file. */
export function fileNameProblem(spec: Pick<EnvSpec, 'format'>, path: string): string | undefined {
  const named = path === 'flake.nix' || path.endsWith('/flake.nix');
  if (spec.format === 'flake' && !named) return 'a flake must be a file named flake.nix (Nix finds it by that name in its folder)';
  if (spec.format !== 'flake' && named)
    return 'Nix reads a file named flake.nix as a flake: choose the flake.nix format, or another file name';
  return undefined;
}
