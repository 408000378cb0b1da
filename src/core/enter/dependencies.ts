// What an environment depends on besides its own file: the local files it imports and, for a
// flake, its lock file. One rule, used twice: the cache key hashes these files (a change means
// capture again) and the watchers watch them (a change means re-enter). nix-direnv keeps one
// watch list for both for the same reason.
import { isFlake } from '../nix/argv';

/**
 * Local files a Nix file imports: `import ./x.nix`, `callPackage ../y {}`, `./data/file`.
 * Only relative paths (the ones whose change changes the environment and that we can read).
 */
export function localImports(text: string): string[] {
  const found = new Set<string>();
  const withoutComments = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)#.*$/gm, '$1');
  for (const match of withoutComments.matchAll(/(?<![\w/.'"-])(\.\.?\/[A-Za-z0-9._+\-/]+)/g)) {
    const path = match[1]!.replace(/[.;,]+$/, '');
    if (path !== './' && path !== '../') found.add(path);
  }
  return [...found].sort();
}

/** The files (relative to the environment file's folder) whose change changes the environment. */
export function environmentDependencies(file: string, text: string): string[] {
  return [...localImports(text), ...(isFlake(file) ? ['./flake.lock'] : [])];
}
