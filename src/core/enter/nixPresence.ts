// Is Nix there? What a stat-only probe found (src/host/nixProbe.ts), what it means, and how the
// status bar says it. Pure, so every case's wording is specified (and tested) here. Nix is
// looked for where the product runs it: pplNix.nixBinDir first, then PATH. nix-shell is all a
// shell.nix needs (any Nix version); `nix` (2.4 or later) is used when present, and flakes need it.
import type { EnvState, StatusView } from './status';

export const NIX_INSTALL_URL = 'https://nixos.org/download';
/** Where the multi-user installer puts the commands: the example the messages give. */
export const NIX_PROFILE_BIN = '/nix/var/nix/profiles/default/bin';

/** The Nix commands PPL Nix starts. */
export type NixCommand = 'nix-shell' | 'nix';
export const NIX_COMMANDS: readonly NixCommand[] = ['nix-shell', 'nix'];

/** What a stat of pplNix.nixBinDir found. */
export type BinDirKind =
  /** The setting is empty (the default): only PATH is searched. */
  | 'unset'
  /** Set to blanks only. */
  | 'blank'
  /** Not an absolute path ("~/.nix-profile/bin", "bin"): Nix is never found through it. */
  | 'relative'
  | 'missing'
  | 'notDirectory'
  /** A folder, but without an executable nix-shell or nix. */
  | 'noNix'
  | 'ok';

export interface NixProbe {
  /** The setting as written, and what a stat of it found. */
  readonly binDir: { readonly setting: string; readonly kind: BinDirKind };
  /** The first executable of each command on the search path (absolute paths). */
  readonly found: Partial<Record<NixCommand, string>>;
  /** The folders searched, in order. */
  readonly searched: readonly string[];
}

export type NixPresence =
  /** Not checked yet (activation checks at once). */
  | { readonly kind: 'unknown' }
  | { readonly kind: 'found'; readonly commands: Partial<Record<NixCommand, string>>; readonly binDirProblem?: string }
  | { readonly kind: 'missing'; readonly searched: readonly string[]; readonly binDirProblem?: string };

/** The folders Nix is looked for in: the nixBinDir setting first (when absolute), then PATH's absolute entries, each once. */
export function nixSearchDirs(binDir: string, pathVariable: string): string[] {
  const dirs: string[] = [];
  const add = (dir: string): void => {
    const clean = dir.length > 1 ? dir.replace(/\/+$/, '') : dir;
    if (clean.startsWith('/') && !dirs.includes(clean)) dirs.push(clean);
  };
  if (binDir.trim() !== '') add(binDir.trim());
  for (const dir of pathVariable.split(':')) add(dir);
  return dirs;
}

/** What kind of value the setting is, before any stat: the cases that need no file system. */
export function classifyBinDirSetting(setting: string): 'unset' | 'blank' | 'relative' | 'absolute' {
  if (setting === '') return 'unset';
  if (setting.trim() === '') return 'blank';
  return setting.trim().startsWith('/') ? 'absolute' : 'relative';
}

/** A sentence about a wrong pplNix.nixBinDir, or undefined when it is fine (or unset). */
export function binDirProblem(binDir: NixProbe['binDir']): string | undefined {
  const shown = JSON.stringify(binDir.setting);
  const fix = `set it to the folder holding nix-shell (for example ${NIX_PROFILE_BIN}) or clear it`;
  switch (binDir.kind) {
    case 'unset':
    case 'ok':
      return undefined;
    case 'blank':
      return `pplNix.nixBinDir is blank: clear it, or ${fix}.`;
    case 'relative':
      return `pplNix.nixBinDir is ${shown}, not an absolute path (~ and relative paths are not expanded): ${fix}.`;
    case 'missing':
      return `pplNix.nixBinDir is ${shown}, which does not exist: ${fix}.`;
    case 'notDirectory':
      return `pplNix.nixBinDir is ${shown}, which is not a folder: ${fix}.`;
    case 'noNix':
      return `pplNix.nixBinDir is ${shown}, which holds no nix-shell or nix: ${fix}.`;
  }
}

/** What the probe means: Nix found (with where), or missing (with where it was looked for). */
export function decidePresence(probe: NixProbe): NixPresence {
  const problem = binDirProblem(probe.binDir);
  const extra = problem === undefined ? {} : { binDirProblem: problem };
  if (probe.found['nix-shell'] !== undefined || probe.found.nix !== undefined) return { kind: 'found', commands: probe.found, ...extra };
  return { kind: 'missing', searched: probe.searched, ...extra };
}

/** The one sentence every "Nix not found" message uses (notification, tooltip, CLI). */
export function nixNotFoundSentence(command: string): string {
  return (
    `Nix was not found (no ${command} on PATH or in pplNix.nixBinDir). Install Nix (${NIX_INSTALL_URL}), ` +
    `or, if it is installed, set pplNix.nixBinDir to the folder holding nix-shell (for example ${NIX_PROFILE_BIN}). ` +
    'Creating shell.nix files works without Nix.'
  );
}

const listed = (dirs: readonly string[]): string => (dirs.length <= 6 ? dirs.join(', ') : `${dirs.slice(0, 6).join(', ')}, …`);

/**
 * The status item while Nix is missing: "Nix not found", with what to do. An environment entered
 * before (from the cache) still reaches new terminals; the tooltip says so instead of "active".
 */
export function nixMissingView(state: EnvState, presence: Extract<NixPresence, { kind: 'missing' }>): StatusView {
  const kept = state.kind === 'active' || state.kind === 'stale' ? state.env : state.kind === 'loading' ? state.previous : undefined;
  const lines = [
    'Nix not found: PPL Nix needs Nix to build and enter environments and to open nix-shell terminals. Creating shell.nix files works without it.',
    `Install Nix: ${NIX_INSTALL_URL}`,
    `Installed already? Set pplNix.nixBinDir to the folder holding nix-shell (for example ${NIX_PROFILE_BIN}).`,
    ...(presence.binDirProblem === undefined ? [] : [presence.binDirProblem]),
    ...(presence.searched.length === 0 ? [] : [`Looked in: ${listed(presence.searched)}`]),
    ...(kept === undefined
      ? []
      : [`New terminals still get ${kept.name} as it was entered before (from the cache); rebuilding it needs Nix.`]),
    'Click for Install Nix, Set Nix folder, Check again, Show Log.',
  ];
  return { text: '$(warning) Nix not found', tooltip: lines.join('\n'), severity: kept === undefined ? 'error' : 'warning' };
}

/** The status item: the environment's state, unless Nix is missing (Restricted Mode and "disabled" win: no Nix is run then anyway). */
export function statusWithNix(state: EnvState, presence: NixPresence, view: StatusView): StatusView {
  if (presence.kind !== 'missing' || state.kind === 'untrusted' || state.kind === 'disabled') return view;
  return nixMissingView(state, presence);
}
