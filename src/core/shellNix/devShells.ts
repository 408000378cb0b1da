// A flake's devShell names for one system, read from flake.nix without evaluating it: the shapes
// people write (seen in public flakes, see test/unit/devShells.test.ts):
//   devShells.x86_64-linux.default = …;           devShells.${system}.cuda = …;  (system let-bound or a parameter)
//   devShells.x86_64-linux = { default = …; gpu = …; };
//   devShells = forAllSystems (system: { default = …; gpu = …; });   (genAttrs, forEachSupportedSystem ({ pkgs }: …))
//   outputs = …: flake-utils.lib.eachDefaultSystem (system: { devShells.default = …; devShells.gpu = …; });
//   flake-parts: mkFlake { … } { perSystem = { pkgs, … }: { devShells.default = …; }; };
// through `let … in`, `with`, `//` merges and let-bound functions. What it cannot read (a devShells
// attribute set computed by a function it does not know, an `import ./shells.nix`) makes the answer
// incomplete, and says where: the caller then offers the default and says so.
import { checkDevShellName } from '../nix/argv';
import {
  parseNix,
  staticAttrName,
  unparen,
  type AttrName,
  type AttrSetNode,
  type ApplyNode,
  type Expr,
  type LambdaNode,
} from '../nix/parser';
import { attributeOf, followVar, knownString, Tree } from './scope';

export interface DevShells {
  /** The devShells PPL Nix can enter for the system: `default` first when the flake has one, then by name. */
  readonly names: readonly string[];
  /** False when part of the flake's devShells is computed in a way PPL Nix does not read without evaluating. */
  readonly complete: boolean;
  /** Why the list may be incomplete, or which names cannot be entered; one sentence. */
  readonly note?: string;
}

type Level = { readonly literal: string } | 'system' | 'name';

/** Where a devShell was found: its system ('*': any, a parameter of a per-system function) and name. */
interface Found {
  readonly systems?: readonly string[] | '*';
  readonly name?: string;
}

const MAX_DEPTH = 24;

class Reader {
  readonly found: { systems: readonly string[] | '*'; name: string }[] = [];
  readonly unread: string[] = [];

  constructor(
    private readonly tree: Tree,
    private readonly text: string,
  ) {}

  private line(expr: { start: number }): number {
    return this.text.slice(0, expr.start).split('\n').length;
  }

  private cannot(expr: { start: number }, what: string): void {
    this.unread.push(`${what} (line ${this.line(expr)})`);
  }

  private follow(expr: Expr): Expr {
    return valueOf(this.tree, expr);
  }

  /** Reads the devShells below `expr`, whose next attribute levels are `levels`. */
  read(expr: Expr, levels: readonly Level[], at: Found, depth = 0): void {
    if (levels.length === 0) return this.record(at);
    if (depth > MAX_DEPTH) return this.cannot(expr, 'devShells nested too deeply');
    const value = this.follow(expr);
    switch (value.kind) {
      case 'AttrSet':
        return this.readAttrSet(value, levels, at, depth);
      case 'BinaryOp':
        if (value.op !== '//') return this.cannot(value, `devShells made with ${value.op}`);
        this.read(value.left, levels, at, depth + 1);
        return this.read(value.right, levels, at, depth + 1);
      case 'Apply':
        return this.readApply(value, levels, at, depth);
      default:
        return this.cannot(value, 'devShells computed by an expression PPL Nix does not evaluate');
    }
  }

  private readAttrSet(set: AttrSetNode, levels: readonly Level[], at: Found, depth: number): void {
    for (const binding of set.bindings) {
      if (binding.kind === 'Inherit') {
        for (const name of binding.names) {
          const key = staticAttrName(name);
          if (key === undefined) continue;
          const next = this.step(levels[0]!, name, at);
          if (next === 'skip') continue;
          const rest = levels.slice(1);
          if (rest.length === 0) this.record(next);
          else {
            const inherited = attributeOf(this.tree, set, key);
            if (inherited === undefined) this.cannot(binding, `an inherited ${key}`);
            else this.read(inherited, rest, next, depth + 1);
          }
        }
        continue;
      }
      let state: Found | 'skip' = at;
      let index = 0;
      for (const part of binding.path) {
        if (index >= levels.length) break;
        state = this.step(levels[index]!, part, state);
        if (state === 'skip') break;
        index++;
      }
      if (state === 'skip') continue;
      if (index === levels.length) this.record(state);
      else if (index === binding.path.length) this.read(binding.value, levels.slice(index), state, depth + 1);
    }
  }

  /** One attribute name against one level: where it leads, or 'skip' when it is not on the way to devShells. */
  private step(level: Level, part: AttrName, at: Found): Found | 'skip' {
    const key = staticAttrName(part);
    if (typeof level === 'object') return key === level.literal ? at : 'skip';
    if (level === 'system') {
      const dynamic = part.kind === 'Interpolation' ? part.expr : part.kind === 'String' ? part : undefined;
      const known = key ?? (dynamic === undefined ? undefined : knownString(this.tree, dynamic)?.value);
      return { ...at, systems: known === undefined ? '*' : [known] };
    }
    if (key === undefined) {
      this.cannot(part, 'a devShell name computed with ${…}');
      return 'skip';
    }
    return { ...at, name: key };
  }

  /**
   * A function call: one that takes a per-system function (forAllSystems, genAttrs systems,
   * flake-utils' eachSystem) puts the system level itself, so what its function returns lacks it;
   * flake-parts' mkFlake reads `perSystem` (per system) and `flake` (as written).
   */
  private readApply(apply: ApplyNode, levels: readonly Level[], at: Found, depth: number): void {
    const last = this.follow(apply.args.at(-1)!);
    const perSystem = levels.indexOf('system');
    if (last.kind === 'Lambda' && perSystem >= 0) {
      const systems = knownSystems(this.tree, apply.args.at(-2)) ?? '*';
      const withoutSystem = levels.filter((_, index) => index !== perSystem);
      return this.read(lambdaResult(last), withoutSystem, { ...at, systems }, depth + 1);
    }
    if (last.kind === 'AttrSet' && perSystem >= 0) {
      const flake = attributeOf(this.tree, last, 'flake');
      const perSystemFn = attributeOf(this.tree, last, 'perSystem');
      if (flake !== undefined || perSystemFn !== undefined) {
        if (flake !== undefined) this.read(flake, levels, at, depth + 1);
        const fn = perSystemFn === undefined ? undefined : this.follow(perSystemFn);
        if (fn?.kind === 'Lambda')
          this.read(
            lambdaResult(fn),
            levels.filter((_, index) => index !== perSystem),
            { ...at, systems: '*' },
            depth + 1,
          );
        else if (fn !== undefined) this.cannot(fn, 'a perSystem that is not a function');
        return;
      }
    }
    this.cannot(apply, 'devShells computed by a function call PPL Nix does not evaluate');
  }

  private record(at: Found): void {
    if (at.name !== undefined) this.found.push({ systems: at.systems ?? '*', name: at.name });
  }
}

/** The value an expression stands for, through parentheses, let-bound variables, `let … in`, `with` and `assert`. */
function valueOf(tree: Tree, expr: Expr): Expr {
  let current = unparen(expr);
  for (let step = 0; step < MAX_DEPTH; step++) {
    if (current.kind === 'Var') {
      const target = followVar(tree, current);
      if (target === undefined || target === current || target.kind === 'Var') return current;
      current = unparen(target);
    } else if (current.kind === 'Let' || current.kind === 'With' || current.kind === 'Assert') current = unparen(current.body);
    else return current;
  }
  return current;
}

/** What a function returns, through nested parameters (`system: pkgs: { … }`). */
function lambdaResult(lambda: LambdaNode): Expr {
  let body = unparen(lambda.body);
  while (body.kind === 'Lambda') body = unparen(body.body);
  return body;
}

/** `genAttrs [ "x86_64-linux" … ] (system: …)`, `eachSystem [ … ] (…)`: the systems, when written as a list of strings. */
function knownSystems(tree: Tree, expr: Expr | undefined): readonly string[] | undefined {
  const list = expr === undefined ? undefined : valueOf(tree, expr);
  if (list?.kind !== 'List') return undefined;
  const systems = list.elements.map((element) => knownString(tree, element)?.value);
  return systems.every((system): system is string => system !== undefined) ? systems : undefined;
}

/** The devShells of flake.nix for `system` (x86_64-linux), without evaluating anything. */
export function readDevShells(text: string, system: string): DevShells {
  const parsed = parseNix(text);
  if (parsed.ast === undefined || parsed.errors.length > 0) {
    return { names: [], complete: false, note: 'flake.nix does not parse, so PPL Nix cannot list its devShells' };
  }
  const tree = new Tree(parsed.ast, text);
  const reader = new Reader(tree, text);
  const outputs = attributeOf(tree, valueOf(tree, parsed.ast), 'outputs');
  const fn = outputs === undefined ? undefined : valueOf(tree, outputs);
  if (fn?.kind !== 'Lambda') return { names: [], complete: false, note: 'PPL Nix cannot find the flake’s outputs function' };
  reader.read(lambdaResult(fn), [{ literal: 'devShells' }, 'system', 'name'], {});
  const names = new Set<string>();
  const skipped = new Set<string>();
  for (const found of reader.found) {
    if (found.systems !== '*' && !found.systems.includes(system)) continue;
    if (found.name === 'default' || checkDevShellName(found.name) === undefined) names.add(found.name);
    else skipped.add(found.name);
  }
  const ordered = [...names].sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)));
  const notes = [
    reader.unread.length > 0 ? `PPL Nix cannot list every devShell without evaluating the flake: ${reader.unread[0]}` : undefined,
    skipped.size > 0 ? `PPL Nix does not enter devShells named ${[...skipped].map((n) => `"${n}"`).join(', ')}` : undefined,
  ].filter((note): note is string => note !== undefined);
  return { names: ordered, complete: reader.unread.length === 0, ...(notes.length > 0 ? { note: notes.join('; ') } : {}) };
}
