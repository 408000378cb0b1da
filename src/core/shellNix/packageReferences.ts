// Every Python package a Nix file refers to, in the forms people write: `withPackages (ps: with
// ps; [ … ])`, `(ps: [ ps.x ])`, `withPackages myPackages` with `myPackages = ps: [ … ]`,
// `pkgs.python37Packages.x` and `python3.pkgs.x` anywhere, `with python3Packages; [ … ]`,
// `python.buildEnv.override { extraLibs = … }`, callPackage arguments, packageOverrides; the
// Python version those name; the system packages of a shell's lists; and the packages the file
// defines itself (buildPythonPackage), which nixpkgs does not have.
import {
  staticAttrName,
  unparen,
  walkNix,
  type ApplyNode,
  type Expr,
  type LambdaNode,
  type NixNode,
  type SelectNode,
  type Span,
  type VarNode,
} from '../nix/parser';
import { calleeName } from './pinReferences';
import {
  isHelper,
  isPythonAttr,
  isPythonSetAttr,
  mayEndInPythonSet,
  NIX_HELPERS,
  PACKAGE_LISTS,
  pythonVersionOf,
  versionField,
} from './pythonNames';
import { PythonSets } from './pythonSets';

export { pythonVersionOf } from './pythonNames';
import { attributeOf, followVar, knownString, type Tree } from './scope';

/** A list of Python packages (for completion and edits): its span is the inside of `[ … ]`. */
export interface PackageList extends Span {
  /** The lambda's parameter (ps) when the list is the body of a withPackages function. */
  readonly param?: string;
  /** `with ps;` precedes the list, so bare names are packages. */
  readonly withParam: boolean;
}

export interface PackageReference extends Span {
  readonly name: string;
  /** bare: `pymc` (under `with ps;` or a python set); member: `ps.pymc`; set-member: `python37Packages.pymc`, `python3.pkgs.pymc`. */
  readonly form: 'bare' | 'member' | 'set-member';
  /** The text written before the name in member forms ("ps.", "pkgs.python37Packages."). */
  readonly prefix: string;
  /** The list the reference is an element of, when it is one. */
  readonly list?: PackageList;
  /** The Python version the reference's package set implies (python37Packages → 3.7). */
  readonly python?: string;
  /** The file defines this package itself (buildPythonPackage): nixpkgs need not have it. */
  readonly local?: boolean;
}

/** A pythonXY (or python3) attribute as written, e.g. the `python39` of `python39.withPackages`. */
export interface PythonReference extends Span {
  readonly attr: string;
  /** "3.9"; undefined for python3/python (the pin's default). */
  readonly version?: string;
  /** How it is used: with withPackages (the environment's interpreter), a package set, or listed itself. */
  readonly role: 'withPackages' | 'package-set' | 'listed' | 'other';
}

export interface SystemReference extends Span {
  readonly name: string;
}

export interface PackageReading {
  readonly packages: readonly PackageReference[];
  readonly lists: readonly PackageList[];
  readonly pythons: readonly PythonReference[];
  readonly systemPackages: readonly SystemReference[];
  readonly overlayOnly: readonly string[];
  /** Constructs the reader could not attribute (e.g. `with pkgs // pythonPackages;`): a migration must not guess. */
  readonly unread: readonly string[];
}

class Reader {
  readonly packages: PackageReference[] = [];
  readonly lists: PackageList[] = [];
  readonly pythons: PythonReference[] = [];
  readonly systemPackages: SystemReference[] = [];
  readonly overlayOnly = new Set<string>();
  readonly unread = new Set<string>();
  private readonly seen = new Set<NixNode>();
  private readonly sets: PythonSets;

  constructor(private readonly tree: Tree) {
    this.sets = new PythonSets(tree);
  }

  read(): void {
    walkNix(this.tree.root, (node, parents) => {
      if (node.kind === 'AttrDef') this.sets.overrideFunctions(node, parents);
      return undefined;
    });
    // withPackages and buildEnv first: they define `ps` and give lists their meaning.
    walkNix(this.tree.root, (node) => {
      if (node.kind === 'Apply') this.application(node);
      return undefined;
    });
    walkNix(this.tree.root, (node, parents) => {
      if (node.kind === 'Select') this.selection(node, parents);
      else if (node.kind === 'Var') this.variable(node, parents);
      else if (node.kind === 'AttrDef') this.attributeDefinition(node);
      else if (node.kind === 'Apply') this.localPackage(node);
      return undefined;
    });
  }

  /**
   * `X.withPackages F`, `X.buildEnv.override { extraLibs = … }`, a jupyterWith kernel's
   * `packages = p: with p; [ … ]`, and the inputs of a buildPythonPackage (callPackage style).
   */
  private application(node: ApplyNode): void {
    const callee = calleeName(node.func) ?? '';
    const args = node.args[0] === undefined ? undefined : unparen(node.args[0]);
    if (/python/i.test(callee) && args?.kind === 'AttrSet') {
      const packages = attributeValue(args, 'packages');
      const fn = packages === undefined ? undefined : unparen(packages);
      if (fn?.kind === 'Lambda') this.packageFunction(fn);
    }
    if (this.isLocalPackage(node) && args?.kind === 'AttrSet') {
      for (const name of ['propagatedBuildInputs', 'dependencies', 'buildInputs', 'checkInputs', 'nativeCheckInputs']) {
        const list = attributeValue(args, name);
        if (list !== undefined) this.packageExpression(list, undefined, false);
      }
    }
    const func = unparen(node.func);
    if (func.kind !== 'Select') return;
    const names = func.path.map(staticAttrName);
    const last = names[names.length - 1];
    const before = (count: number): Expr => (func.path.length === count ? func.target : { ...func, path: func.path.slice(0, -count) });
    if (last === 'withPackages' && node.args[0] !== undefined) {
      const interpreter = this.sets.interpreterOf(before(1));
      if (interpreter !== undefined) this.python(interpreter.attr, interpreter.node, 'withPackages');
      const fn = followVar(this.tree, node.args[0]) ?? unparen(node.args[0]);
      if (fn.kind === 'Lambda') this.packageFunction(fn);
    } else if (last === 'override' && names[names.length - 2] === 'buildEnv' && node.args[0] !== undefined) {
      const interpreter = this.sets.interpreterOf(before(2));
      if (interpreter !== undefined) this.python(interpreter.attr, interpreter.node, 'withPackages');
      const extraLibs = attributeValue(unparen(node.args[0]), 'extraLibs');
      if (extraLibs !== undefined) this.packageExpression(extraLibs, undefined, false);
    }
  }

  private python(attr: string, span: Span, role: PythonReference['role']): void {
    if (this.pythons.some((p) => p.start === span.start)) return;
    const version = pythonVersionOf(attr);
    this.pythons.push({ start: span.start, end: span.end, attr, role, ...(version === undefined ? {} : { version }) });
  }

  /** `ps: with ps; [ … ]`, `ps: [ ps.x ]`, `ps: a ++ b`, `ps: listBoundElsewhere`. */
  private packageFunction(fn: LambdaNode): void {
    this.sets.setFunctions.add(fn);
    this.packageExpression(fn.body, fn.param?.name, false);
  }

  private packageExpression(expr: Expr, param: string | undefined, withParam: boolean, depth = 0): void {
    if (depth > 6) return;
    const inner = unparen(expr);
    if (inner.kind === 'With') {
      const namespace = unparen(inner.namespace);
      const isSet = (namespace.kind === 'Var' && namespace.name === param) || this.sets.pythonSetOf(namespace) !== undefined;
      this.packageExpression(inner.body, param, withParam || isSet, depth + 1);
    } else if (inner.kind === 'BinaryOp' && inner.op === '++') {
      this.packageExpression(inner.left, param, withParam, depth + 1);
      this.packageExpression(inner.right, param, withParam, depth + 1);
    } else if (inner.kind === 'List') {
      const list: PackageList = { start: inner.start + 1, end: inner.end - 1, withParam, ...(param === undefined ? {} : { param }) };
      this.lists.push(list);
      for (const element of inner.elements) this.listElement(element, list, param);
    } else if (inner.kind === 'Var') {
      const bound = followVar(this.tree, inner);
      if (bound !== undefined && bound !== inner) this.packageExpression(bound, param, withParam, depth + 1);
    }
  }

  /** One element of a Python package list. */
  private listElement(element: Expr, list: PackageList, param: string | undefined): void {
    const inner = unparen(element);
    if (inner.kind === 'If') {
      this.listElement(inner.consequent, list, param);
      this.listElement(inner.alternative, list, param);
    } else if (inner.kind === 'Var') {
      if (isHelper(inner.name) || isPythonAttr(inner.name)) return;
      this.seen.add(inner);
      const found = this.tree.resolve(inner.name, inner);
      // Bare names come from `with ps;` / a python set, or from a callPackage-style argument; a
      // name bound in the file to a buildPythonPackage is a package the file defines itself.
      const local = found.kind === 'binding' && this.isLocalPackage(found.value);
      const provided = found.kind === 'with' || found.kind === 'free' || (found.kind === 'formal' && found.default === undefined);
      if (provided || local)
        this.packages.push({
          start: inner.start,
          end: inner.end,
          name: inner.name,
          form: 'bare',
          prefix: '',
          list,
          ...(local ? { local } : {}),
        });
    } else if (inner.kind === 'Select' && param !== undefined) {
      const target = unparen(inner.target);
      const name = inner.path.length === 1 ? staticAttrName(inner.path[0]!) : undefined;
      if (target.kind === 'Var' && target.name === param && name !== undefined && !isHelper(name)) {
        this.seen.add(inner);
        this.packages.push({ start: inner.start, end: inner.end, name, form: 'member', prefix: `${param}.`, list });
      }
    }
  }

  private isLocalPackage(value: Expr): boolean {
    const inner = unparen(value);
    if (inner.kind !== 'Apply') return false;
    const callee = calleeName(inner.func);
    return callee === 'buildPythonPackage' || callee === 'buildPythonApplication' || callee === 'toPythonModule';
  }

  /** `python37Packages.x`, `pkgs.python37Packages.x`, `python3.pkgs.x`, `super.x`; `pkgs.git` or `stdenv.cc` in a package list. */
  private selection(node: SelectNode, parents: readonly NixNode[]): void {
    if (this.seen.has(node)) return;
    const names = node.path.map(staticAttrName);
    // `mine.corner` where `mine = rec { corner = buildPythonPackage { … }; }`: a package the file defines.
    const only = names.length === 1 ? names[0] : undefined;
    const defined = only === undefined ? undefined : attributeOf(this.tree, node.target, only);
    if (only !== undefined && defined !== undefined && this.isLocalPackage(defined)) {
      this.packages.push({
        start: node.start,
        end: node.end,
        name: only,
        form: 'set-member',
        prefix: this.tree.text.slice(node.start, node.path[0]!.start),
        local: true,
      });
      return;
    }
    // The longest prefix that is a Python set, then the package after it.
    for (let i = names.length - 1; i >= 0; i--) {
      // Only a prefix ending in a set name can be a Python set: checked on the names first, so a
      // long path (`a.b.c.…`, thousands of parts) is read in linear time.
      if (i > 0 && !mayEndInPythonSet(names, i)) continue;
      const prefix: Expr = i === 0 ? node.target : { ...node, path: node.path.slice(0, i) };
      const set = this.sets.pythonSetOf(prefix);
      const name = names[i];
      if (set === undefined || name === undefined) continue;
      if (isHelper(name)) return;
      if (set.attr !== undefined && set.node !== undefined) this.python(set.attr, set.node, 'package-set');
      const nameNode = node.path[i]!;
      const list = this.listOf(parents);
      this.packages.push({
        start: node.start,
        end: nameNode.end,
        name,
        form: 'set-member',
        prefix: this.tree.text.slice(node.start, nameNode.start),
        ...(set.python === undefined ? {} : { python: set.python }),
        ...(list === undefined ? {} : { list }),
      });
      return;
    }
    if (!this.isElement(parents) || !this.inPackageList(parents)) return;
    const last = names[names.length - 1];
    const target = unparen(node.target);
    if (isPythonAttr(last)) this.python(last, node.path[node.path.length - 1]!, 'listed');
    else if (target.kind === 'Var' && names.every((n) => n !== undefined)) {
      const found = this.tree.resolve(target.name, target);
      const fromPkgs = target.name === 'pkgs' || (found.kind === 'with' && this.sets.pythonSetOf(found.namespace) === undefined);
      const name = target.name === 'pkgs' ? names.join('.') : `${target.name}.${names.join('.')}`;
      if (fromPkgs && !NIX_HELPERS.has(names[0]!) && !(target.name !== 'pkgs' && target.name === 'lib')) this.system(name, node);
    }
  }

  /** A bare name in a list under `with pkgs;` (a system package) or `with python3Packages;` (a Python one). */
  private variable(node: VarNode, parents: readonly NixNode[]): void {
    if (this.seen.has(node) || parents[parents.length - 1]?.kind !== 'List') return;
    if (isPythonAttr(node.name)) {
      this.python(node.name, node, 'listed');
      return;
    }
    const found = this.tree.resolve(node.name, node);
    if (found.kind === 'binding' && this.isLocalPackage(found.value)) {
      this.seen.add(node);
      this.packages.push({ start: node.start, end: node.end, name: node.name, form: 'bare', prefix: '', local: true });
      return;
    }
    if (found.kind !== 'with') return;
    const namespace = unparen(found.namespace);
    if (namespace.kind === 'BinaryOp' && namespace.op === '//') {
      this.unread.add(`\`with … // …;\` around ${node.name}: which package set each name comes from is not known without evaluating`);
      return;
    }
    const python = this.sets.pythonSetOf(namespace);
    if (python !== undefined) {
      if (isHelper(node.name)) return;
      if (python.attr !== undefined && python.node !== undefined) this.python(python.attr, python.node, 'package-set');
      this.seen.add(node);
      this.packages.push({ start: node.start, end: node.end, name: node.name, form: 'bare', prefix: '', ...versionField(python.attr) });
    } else if (!NIX_HELPERS.has(node.name) && !isPythonSetAttr(node.name) && this.inPackageList(parents)) {
      const set = namespace.kind === 'Var' && namespace.name !== 'pkgs' && /Packages$/.test(namespace.name) ? `${namespace.name}.` : '';
      this.system(`${set}${node.name}`, node);
    }
  }

  private system(name: string, span: Span): void {
    if (!this.systemPackages.some((s) => s.name === name)) this.systemPackages.push({ start: span.start, end: span.end, name });
  }

  /** An element of a list (through parentheses), or the argument of lib.optional(s) in one. */
  private isElement(parents: readonly NixNode[]): boolean {
    for (let i = parents.length - 1; i >= 0; i--) {
      const parent = parents[i]!;
      if (parent.kind === 'Paren') continue;
      if (parent.kind === 'List') return true;
      if (parent.kind === 'Apply') return /^optionals?$/.test(calleeName(parent.func) ?? '');
      return false;
    }
    return false;
  }

  /**
   * Whether a node sits in a shell's package list: the nearest attribute is buildInputs,
   * packages, … (possibly through `++`, `with` or lib.optional), or a `let` binding (a list
   * defined once and used as the shell's packages).
   */
  private inPackageList(parents: readonly NixNode[]): boolean {
    for (let i = parents.length - 1; i >= 0; i--) {
      const parent = parents[i]!;
      if (parent.kind === 'AttrDef') {
        const name = staticAttrName(parent.path[parent.path.length - 1]!);
        return (name !== undefined && PACKAGE_LISTS.has(name)) || parents[i - 1]?.kind === 'Let';
      }
    }
    return true;
  }

  /** `name = buildPythonPackage { … }`: a package the file defines itself (not in nixpkgs); `python = "python39"` (mach-nix). */
  private attributeDefinition(node: NixNode): void {
    if (node.kind !== 'AttrDef' || node.path.length !== 1) return;
    const name = staticAttrName(node.path[0]!);
    const value = unparen(node.value);
    if (name === 'python' && value.kind === 'String') {
      const attr = knownString(this.tree, value)?.value;
      if (attr !== undefined && pythonVersionOf(attr) !== undefined) this.python(attr, value, 'other');
    }
    if (name !== undefined && this.isLocalPackage(node.value)) this.overlayOnly.add(name);
  }

  /** `buildPythonPackage { pname = "x"; … }` anywhere: x is defined by the file. */
  private localPackage(node: ApplyNode): void {
    if (!this.isLocalPackage(node)) return;
    const args = unparen(node.args[0] ?? node);
    const pname = attributeValue(args, 'pname') ?? attributeValue(args, 'name');
    const known = pname === undefined ? undefined : knownString(this.tree, pname);
    if (known !== undefined) this.overlayOnly.add(known.value.replace(/-\d[\w.]*$/, ''));
  }

  /** The Python package list a node is an element of, if one was read. */
  private listOf(parents: readonly NixNode[]): PackageList | undefined {
    const parent = parents[parents.length - 1];
    if (parent?.kind !== 'List') return undefined;
    return this.lists.find((list) => list.start === parent.start + 1 && list.end === parent.end - 1);
  }
}

/** A top-level attribute of an attribute-set literal. */
function attributeValue(set: Expr, name: string): Expr | undefined {
  if (set.kind !== 'AttrSet') return undefined;
  for (const binding of set.bindings) {
    if (binding.kind === 'AttrDef' && binding.path.length === 1 && staticAttrName(binding.path[0]!) === name) return binding.value;
  }
  return undefined;
}

export function readPackages(tree: Tree): PackageReading {
  const reader = new Reader(tree);
  reader.read();
  const byStart = (a: Span, b: Span): number => a.start - b.start;
  return {
    packages: reader.packages.sort(byStart),
    lists: reader.lists.sort(byStart),
    pythons: reader.pythons.sort(byStart),
    systemPackages: reader.systemPackages.sort(byStart),
    overlayOnly: [...reader.overlayOnly],
    unread: [...reader.unread],
  };
}
