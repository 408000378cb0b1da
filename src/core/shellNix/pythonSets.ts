// Which expressions of a file stand for a Python interpreter or a Python package set: `python39`,
// `pkgs.python3`, a binding to one, `python35.override {…}`; `python3Packages`, `python3.pkgs`,
// withPackages' `ps`, packageOverrides' `self`/`super`.
import { staticAttrName, unparen, type Expr, type LambdaNode, type NixNode, type Span } from '../nix/parser';
import { isPythonAttr, isPythonSetAttr, versionField } from './pythonNames';
import { followVar, type Tree } from './scope';

export class PythonSets {
  /** Functions whose parameters stand for a Python package set: withPackages' `ps`, packageOverrides' `self`/`super`. */
  readonly setFunctions = new Set<LambdaNode>();

  constructor(private readonly tree: Tree) {}

  /** The interpreter attribute an expression stands for: `python39`, `pkgs.python39`, `python` bound to one, `python35.override {…}`. */
  interpreterOf(expr: Expr, depth = 0): { attr: string; node: Span } | undefined {
    if (depth > 6) return undefined;
    const inner = unparen(expr);
    if (inner.kind === 'Var') {
      const bound = followVar(this.tree, inner);
      if (bound !== undefined && bound !== inner) return this.interpreterOf(bound, depth + 1);
      return isPythonAttr(inner.name) ? { attr: inner.name, node: inner } : undefined;
    }
    if (inner.kind === 'Select') {
      const last = staticAttrName(inner.path[inner.path.length - 1]!);
      const before = inner.path.length >= 2 ? staticAttrName(inner.path[inner.path.length - 2]!) : undefined;
      if (isPythonAttr(last)) return { attr: last, node: inner.path[inner.path.length - 1]! };
      if (last === 'python' && isPythonSetAttr(before)) {
        const set = before!;
        return { attr: set.replace(/Packages$/, ''), node: inner.path[inner.path.length - 2]! };
      }
      return undefined;
    }
    if (inner.kind === 'Apply') {
      const func = unparen(inner.func);
      // `python35.override { … }`: the interpreter being overridden.
      if (func.kind === 'Select' && staticAttrName(func.path[func.path.length - 1]!) === 'override') {
        const rest = func.path.length === 1 ? func.target : { ...func, path: func.path.slice(0, -1) };
        return this.interpreterOf(rest, depth + 1);
      }
    }
    return undefined;
  }

  /** A Python package-set expression: a set parameter, `python37Packages`, `pkgs.python3Packages`, `python3.pkgs`, `python.pkgs`. */
  pythonSetOf(expr: Expr, depth = 0): { python?: string; node?: Span; attr?: string } | undefined {
    if (depth > 6) return undefined;
    const inner = unparen(expr);
    if (inner.kind === 'Var') {
      const found = this.tree.resolve(inner.name, inner);
      if (found.kind === 'param' && this.setFunctions.has(found.lambda)) return {};
      const bound = followVar(this.tree, inner);
      if (bound !== undefined && bound !== inner && bound.kind !== 'Var') return this.pythonSetOf(bound, depth + 1);
      if (isPythonSetAttr(inner.name))
        return { ...versionField(inner.name.replace(/Packages$/, '')), node: inner, attr: inner.name.replace(/Packages$/, '') };
      return undefined;
    }
    if (inner.kind === 'BinaryOp' && inner.op === '//') {
      // `pythonPackages // { corner = …; }`: the set, extended.
      const left = this.pythonSetOf(inner.left, depth + 1);
      return left !== undefined && this.pythonSetOf(inner.right, depth + 1) === undefined ? left : undefined;
    }
    if (inner.kind === 'Select') {
      const last = staticAttrName(inner.path[inner.path.length - 1]!);
      if (isPythonSetAttr(last)) {
        const attr = last.replace(/Packages$/, '');
        return { ...versionField(attr), node: inner.path[inner.path.length - 1]!, attr };
      }
      if (last === 'pkgs') {
        const interpreter = this.interpreterOf(inner.path.length === 1 ? inner.target : { ...inner, path: inner.path.slice(0, -1) });
        if (interpreter !== undefined) return { ...versionField(interpreter.attr), node: interpreter.node, attr: interpreter.attr };
      }
    }
    return undefined;
  }

  /**
   * `python3.override { packageOverrides = self: super: { … }; }` and `pythonPackagesExtensions =
   * [ (final: prev: { … }) ]`: their parameters are Python sets. (nixpkgs' own
   * config.packageOverrides takes the whole package set: not these.)
   */
  overrideFunctions(node: NixNode, parents: readonly NixNode[]): void {
    if (node.kind !== 'AttrDef') return;
    const name = staticAttrName(node.path[node.path.length - 1]!);
    if (name !== 'packageOverrides' && name !== 'pythonPackagesExtensions') return;
    if (name === 'packageOverrides') {
      const call = parents[parents.length - 2];
      const func = call?.kind === 'Apply' ? unparen(call.func) : undefined;
      const isPythonOverride =
        func?.kind === 'Select' &&
        staticAttrName(func.path[func.path.length - 1]!) === 'override' &&
        this.interpreterOf(func.path.length === 1 ? func.target : { ...func, path: func.path.slice(0, -1) }) !== undefined;
      if (!isPythonOverride) return;
    }
    const value = followVar(this.tree, node.value) ?? unparen(node.value);
    const functions =
      value.kind === 'List' ? value.elements.map((e) => unparen(e)) : value.kind === 'BinaryOp' ? [unparen(value.right)] : [value];
    for (const fn of functions) {
      for (let lambda: Expr = fn; lambda.kind === 'Lambda'; lambda = unparen(lambda.body)) this.setFunctions.add(lambda);
    }
  }
}
