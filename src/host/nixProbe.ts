// Is Nix installed? Stats only, never a process: pplNix.nixBinDir, then each folder of PATH, is
// searched for an executable nix-shell and nix (what the product would start). A handful of
// stats, so the synchronous form is fine right before a terminal opens.
import { accessSync, constants, statSync } from 'node:fs';
import {
  classifyBinDirSetting,
  NIX_COMMANDS,
  nixSearchDirs,
  type BinDirKind,
  type NixCommand,
  type NixProbe,
} from '../core/enter/nixPresence';

/** Whether path is a regular file (symlinks followed) this process may execute. */
function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` in the folders, as an absolute path. */
export function findExecutable(dirs: readonly string[], name: string): string | undefined {
  for (const dir of dirs) {
    const candidate = `${dir === '/' ? '' : dir}/${name}`;
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function binDirKind(setting: string): BinDirKind {
  const kind = classifyBinDirSetting(setting);
  if (kind !== 'absolute') return kind;
  const dir = setting.trim();
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    return 'missing';
  }
  if (!isDirectory) return 'notDirectory';
  return NIX_COMMANDS.some((command) => findExecutable([dir.replace(/\/+$/, '') || '/'], command) !== undefined) ? 'ok' : 'noNix';
}

/**
 * Where Nix is, as the product would find it: `binDir` is the pplNix.nixBinDir setting as written,
 * `pathVariable` the extension host's PATH (without the setting: it is searched first here).
 */
export function probeNix(binDir: string, pathVariable: string): NixProbe {
  const searched = nixSearchDirs(binDir, pathVariable);
  const found: Partial<Record<NixCommand, string>> = {};
  for (const command of NIX_COMMANDS) {
    const path = findExecutable(searched, command);
    if (path !== undefined) found[command] = path;
  }
  return { binDir: { setting: binDir, kind: binDirKind(binDir) }, found, searched };
}
