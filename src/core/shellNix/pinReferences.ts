// Every way a Nix file gets its nixpkgs (and other fetched sources), read without evaluating:
// fetchTarball with a string or an attribute set (builtins. or not), fetchFromGitHub { owner;
// repo; rev; sha256 | hash }, builtins.fetchGit, import <nixpkgs> or a local path, and flake
// inputs. URLs are resolved through let-bound strings, `inherit` and `${rev}` interpolation.
import { hashForm, type HashForm } from '../nix/hashes';
import { staticAttrName, unparen, walkNix, type AttrSetNode, type Expr, type NixNode, type Span } from '../nix/parser';
import { classifyNixpkgsUrl, looksLikeNixpkgs, refPin, type UrlPin } from './nixpkgsUrls';
import { attributeOf, followVar, knownString, type KnownString, type Tree } from './scope';

export type PinKind =
  | 'exact-revision'
  | 'release-tag'
  | 'branch'
  | 'channel'
  | 'channel-release'
  | 'unpinned'
  | 'other-tarball'
  | 'fetchFromGitHub'
  | 'fetchGit'
  | 'flake-input';

export interface PinReference extends Span {
  readonly kind: PinKind;
  /** How it is fetched: fetchTarball, fetchFromGitHub, fetchGit, import, flake input. */
  readonly fetcher: string;
  readonly url?: KnownString;
  readonly sha256?: KnownString;
  /** The hash's form as written; undefined when there is none or Nix would refuse it. */
  readonly hashForm?: HashForm;
  /** What the URL or ref pins (revision, tag, branch, channel), for nixpkgs. */
  readonly pinned?: UrlPin;
  readonly isNixpkgs: boolean;
  /** fetchFromGitHub: owner/repo/rev as written. */
  readonly owner?: string;
  readonly repo?: string;
  readonly rev?: KnownString;
  /** The flake input's name. */
  readonly input?: string;
  /** The result is imported (`import <this> { }`, directly or through a binding): it is the package set. */
  readonly imported: boolean;
}

const FETCHERS = new Set(['fetchTarball', 'fetchFromGitHub', 'fetchGit', 'fetchzip', 'fetchgit']);

/** The function name of a call: `fetchTarball`, `builtins.fetchTarball`, `pkgs.fetchFromGitHub`. */
export function calleeName(expr: Expr): string | undefined {
  const callee = unparen(expr);
  if (callee.kind === 'Var') return callee.name;
  if (callee.kind === 'Select' && callee.path.length > 0) return staticAttrName(callee.path[callee.path.length - 1]!);
  return undefined;
}

function fromArgs(tree: Tree, fetcher: string, arg: Expr, span: Span): Omit<PinReference, 'imported'> {
  const target = followVar(tree, arg) ?? unparen(arg);
  const fields = target.kind === 'AttrSet' ? target : undefined;
  const field = (name: string): KnownString | undefined => {
    const value = fields === undefined ? undefined : attributeOf(tree, fields, name);
    return value === undefined ? undefined : knownString(tree, value);
  };
  const url = fields === undefined ? knownString(tree, arg) : field('url');
  const sha256 = field('sha256') ?? field('hash');
  const base = { ...span, fetcher, ...(url === undefined ? {} : { url }), ...(sha256 === undefined ? {} : { sha256 }) };
  const form = sha256 === undefined ? undefined : hashForm(sha256.value);
  const withHash = { ...base, ...(form === undefined ? {} : { hashForm: form }) };
  if (fetcher === 'fetchFromGitHub') {
    const owner = field('owner')?.value;
    const repo = field('repo')?.value;
    const rev = field('rev');
    const isNixpkgs = owner?.toLowerCase() === 'nixos' && /^nixpkgs(-channels)?$/i.test(repo ?? '');
    return {
      ...withHash,
      kind: 'fetchFromGitHub',
      isNixpkgs,
      ...(owner === undefined ? {} : { owner }),
      ...(repo === undefined ? {} : { repo }),
      ...(rev === undefined ? {} : { rev, pinned: refPin(rev.value) }),
    };
  }
  if (fetcher === 'fetchGit' || fetcher === 'fetchgit') {
    const rev = field('rev');
    return {
      ...withHash,
      kind: 'fetchGit',
      isNixpkgs: url !== undefined && looksLikeNixpkgs(url.value),
      ...(rev === undefined ? {} : { rev }),
    };
  }
  const pinned = url === undefined ? undefined : classifyNixpkgsUrl(url.value);
  if (pinned === undefined) return { ...withHash, kind: 'other-tarball', isNixpkgs: url !== undefined && looksLikeNixpkgs(url.value) };
  return { ...withHash, kind: pinned.kind, pinned, isNixpkgs: true };
}

/** Flake inputs: `inputs.nixpkgs.url = "…"`, `inputs = { nixpkgs.url = …; }`, `inputs.x = { url = …; flake = false; }`. */
function flakeInputs(tree: Tree, root: AttrSetNode): PinReference[] {
  const found: PinReference[] = [];
  const add = (input: string, value: Expr, span: Span): void => {
    const url = knownString(tree, value);
    if (url === undefined) return;
    const pinned = classifyNixpkgsUrl(url.value) ?? forkRef(url.value);
    const isNixpkgs = classifyNixpkgsUrl(url.value) !== undefined || (input === 'nixpkgs' && looksLikeNixpkgs(url.value));
    found.push({
      ...span,
      kind: 'flake-input',
      fetcher: 'flake input',
      url,
      input,
      isNixpkgs,
      ...(pinned === undefined ? {} : { pinned }),
      imported: input === 'nixpkgs',
    });
  };
  for (const binding of root.bindings) {
    if (binding.kind !== 'AttrDef') continue;
    const path = binding.path.map(staticAttrName);
    if (path[0] !== 'inputs') continue;
    if (path.length === 3 && path[2] === 'url') add(path[1]!, binding.value, binding);
    else if (path.length === 2 && unparen(binding.value).kind === 'AttrSet') {
      const url = attributeOf(tree, binding.value, 'url');
      if (url !== undefined) add(path[1]!, url, binding);
    } else if (path.length === 1 && unparen(binding.value).kind === 'AttrSet') {
      for (const inner of (unparen(binding.value) as AttrSetNode).bindings) {
        if (inner.kind !== 'AttrDef') continue;
        const names = inner.path.map(staticAttrName);
        if (names.length === 2 && names[1] === 'url') add(names[0]!, inner.value, inner);
        else if (names.length === 1 && unparen(inner.value).kind === 'AttrSet') {
          const url = attributeOf(tree, inner.value, 'url');
          if (url !== undefined) add(names[0]!, url, inner);
        }
      }
    }
  }
  return found;
}

/** A fork's flake reference (github:someone/nixpkgs/<ref>): what its ref pins. */
function forkRef(url: string): UrlPin | undefined {
  const match = /^github:[^/]+\/nixpkgs\/(.+)$/i.exec(url);
  return match === null ? undefined : refPin(match[1]!);
}

/** Whether the value of `node` ends up as the argument of `import` (directly, or through a binding or a formal's default). */
function isImported(tree: Tree, node: Expr): boolean {
  // Walk up through parentheses and bindings: `import (fetchTarball …) {}`, `x = fetchTarball …; … import x {}`.
  let current: NixNode = node;
  for (let step = 0; step < 6; step++) {
    const parent = tree.parentOf(current);
    if (parent === undefined) return false;
    if (parent.kind === 'Paren') {
      current = parent;
      continue;
    }
    // `import X { … }` instantiates a package set; `import X` alone is a function (an overlay).
    if (parent.kind === 'Apply' && calleeName(parent.func) === 'import' && parent.args[0] === current) return parent.args.length >= 2;
    if ((parent.kind === 'AttrDef' && parent.path.length === 1) || parent.kind === 'Formal') {
      const name = parent.kind === 'AttrDef' ? staticAttrName(parent.path[0]!) : parent.name.name;
      return name !== undefined && importsName(tree, name);
    }
    return false;
  }
  return false;
}

/** Whether the file anywhere imports a variable of that name (`import name {}` / `import name`). */
function importsName(tree: Tree, name: string): boolean {
  let found = false;
  walkNix(tree.root, (node) => {
    if (node.kind === 'Apply' && calleeName(node.func) === 'import' && node.args.length >= 2) {
      const arg = unparen(node.args[0]!);
      if (arg.kind === 'Var' && arg.name === name) found = true;
    }
    return found ? 'stop' : undefined;
  });
  return found;
}

export function findPins(tree: Tree): PinReference[] {
  const pins: PinReference[] = [];
  const root = unparen(tree.root);
  walkNix(tree.root, (node) => {
    if (node.kind !== 'Apply') return undefined;
    const name = calleeName(node.func);
    if (name !== undefined && FETCHERS.has(name) && node.args[0] !== undefined) {
      pins.push({ ...fromArgs(tree, name === 'fetchzip' ? 'fetchTarball' : name, node.args[0], node), imported: isImported(tree, node) });
    } else if (name === 'import' && node.args[0] !== undefined) {
      const arg = unparen(node.args[0]);
      if (arg.kind === 'SearchPath' && /^nixpkgs(\/|$)/.test(arg.path)) {
        pins.push({
          start: arg.start,
          end: arg.end,
          kind: 'unpinned',
          fetcher: 'import',
          url: { value: `<${arg.path}>` },
          isNixpkgs: true,
          imported: true,
        });
      } else if (arg.kind === 'Path') {
        const only = arg.parts.length === 1 ? arg.parts[0] : undefined;
        const path = only?.kind === 'Literal' ? only.value : undefined;
        if (path !== undefined && /^(\/|~\/)/.test(path) && /nixpkgs/i.test(path)) {
          pins.push({
            start: arg.start,
            end: arg.end,
            kind: 'unpinned',
            fetcher: 'import (local path)',
            url: { value: path },
            isNixpkgs: true,
            imported: true,
          });
        }
      }
    }
    return undefined;
  });
  if (root.kind === 'AttrSet') pins.push(...flakeInputs(tree, root));
  return pins.sort((a, b) => a.start - b.start);
}

/**
 * The pin that gives the file its nixpkgs: a nixpkgs fetch that is imported, else the first
 * nixpkgs fetch or flake input, else `<nixpkgs>` (unpinned), else none.
 */
export function nixpkgsPin(pins: readonly PinReference[]): PinReference | undefined {
  // A fetch imported as a package set is the file's nixpkgs even from a mirror's URL.
  const nixpkgs = pins.filter((pin) => pin.isNixpkgs || (pin.imported && pin.kind === 'other-tarball'));
  const pinned = nixpkgs.filter((pin) => pin.kind !== 'unpinned');
  return pinned.find((pin) => pin.imported) ?? pinned[0] ?? nixpkgs.find((pin) => pin.imported) ?? nixpkgs[0];
}
