// Static name resolution on a parsed Nix file, without evaluating it: what a variable refers to
// (a let or rec binding, a function argument and its default, an `inherit`, or a `with`), and the
// string a simple expression stands for (literals, let-bound strings, `${rev}` interpolations,
// `+` of strings). Enough to read pins and package lists the way people write them.
import {
  stringValue,
  unparen,
  staticAttrName,
  type Binding,
  type Expr,
  type NixNode,
  type Span,
  type WithNode,
  type LambdaNode,
} from '../nix/parser';
import { forEachChild } from '../nix/parser';

export type Resolution =
  /** A binding of a `let`, a `rec { }` or a legacy `let { }`: its value. */
  | { readonly kind: 'binding'; readonly name: string; readonly value: Expr; readonly binding: Binding }
  /** `inherit (from) name;`, or `inherit name;` (from = undefined: the name one scope further out). */
  | { readonly kind: 'inherit'; readonly name: string; readonly from: Expr | undefined; readonly binding: Binding }
  /** A function's formal argument (`{ pkgs ? import <nixpkgs> {} }:`), with its default. */
  | { readonly kind: 'formal'; readonly name: string; readonly default: Expr | undefined; readonly lambda: LambdaNode }
  /** A function's single parameter (`ps: …`, `self: super: …`). */
  | { readonly kind: 'param'; readonly name: string; readonly lambda: LambdaNode }
  /** Not bound lexically: the innermost `with` may provide it. */
  | { readonly kind: 'with'; readonly name: string; readonly namespace: Expr; readonly with: WithNode }
  /** Not bound at all: a builtin, or a mistake. */
  | { readonly kind: 'free'; readonly name: string };

/** The parent of every node, from one walk: a node's scope chain is found by going up. */
export class Tree {
  private readonly parents = new Map<NixNode, NixNode>();

  constructor(
    readonly root: Expr,
    readonly text: string,
  ) {
    const stack: NixNode[] = [root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      forEachChild(node, (child) => {
        this.parents.set(child, node);
        stack.push(child);
      });
    }
  }

  parentOf(node: NixNode): NixNode | undefined {
    return this.parents.get(node);
  }

  /** The ancestors of a node, innermost first. */
  ancestors(node: NixNode): NixNode[] {
    const out: NixNode[] = [];
    for (let parent = this.parents.get(node); parent !== undefined; parent = this.parents.get(parent)) out.push(parent);
    return out;
  }

  /** What `name`, written at `at`, refers to. */
  resolve(name: string, at: NixNode): Resolution {
    let child: NixNode = at;
    let innermostWith: WithNode | undefined;
    for (const scope of this.ancestors(at)) {
      const found = this.bindsIn(scope, name);
      if (found !== undefined) return found;
      if (scope.kind === 'With' && child !== scope.namespace && innermostWith === undefined) innermostWith = scope;
      child = scope;
    }
    return innermostWith === undefined
      ? { kind: 'free', name }
      : { kind: 'with', name, namespace: innermostWith.namespace, with: innermostWith };
  }

  /** Whether `scope` binds `name` for code in its child `through`. */
  private bindsIn(scope: NixNode, name: string): Resolution | undefined {
    switch (scope.kind) {
      case 'Let':
      case 'LegacyLet':
        return bindingIn(scope.bindings, name);
      case 'AttrSet':
        return scope.recursive ? bindingIn(scope.bindings, name) : undefined;
      case 'Lambda': {
        if (scope.param?.name === name) return { kind: 'param', name, lambda: scope };
        const formal = scope.formals?.entries.find((entry) => entry.name.name === name);
        return formal === undefined ? undefined : { kind: 'formal', name, default: formal.default, lambda: scope };
      }
      default:
        return undefined;
    }
  }
}

function bindingIn(bindings: readonly Binding[], name: string): Resolution | undefined {
  for (const binding of bindings) {
    if (binding.kind === 'AttrDef') {
      if (staticAttrName(binding.path[0]!) === name) {
        // `a.b = x;` binds a to an attribute set: the value is only known for a plain `a = x;`.
        return {
          kind: 'binding',
          name,
          value: binding.path.length === 1 ? binding.value : { kind: 'Error', start: binding.start, end: binding.end },
          binding,
        };
      }
    } else if (binding.names.some((n) => staticAttrName(n) === name)) {
      return { kind: 'inherit', name, from: binding.from, binding };
    }
  }
  return undefined;
}

/** A string an expression stands for, when it is known without evaluating; `literal` spans its text when it is one literal. */
export interface KnownString {
  readonly value: string;
  /** The source text of the value, when it is written as one string literal (so it can be replaced in place). */
  readonly literal?: Span;
}

/** The attribute `name` of an attribute-set literal (or of what an expression resolves to). */
export function attributeOf(tree: Tree, expr: Expr, name: string, depth = 0): Expr | undefined {
  const inner = followVar(tree, unparen(expr), depth);
  if (inner?.kind !== 'AttrSet') return undefined;
  for (const binding of inner.bindings) {
    if (binding.kind === 'AttrDef' && binding.path.length === 1 && staticAttrName(binding.path[0]!) === name) return binding.value;
    if (binding.kind === 'Inherit' && binding.names.some((n) => staticAttrName(n) === name)) {
      if (binding.from !== undefined)
        return {
          kind: 'Select',
          target: binding.from,
          path: [{ kind: 'Identifier', name, start: binding.start, end: binding.end }],
          default: undefined,
          start: binding.start,
          end: binding.end,
        };
      return { kind: 'Var', name, start: binding.start, end: binding.end };
    }
  }
  return undefined;
}

/** A variable's value when it is bound to an expression (a let binding, a formal's default), followed a few steps. */
export function followVar(tree: Tree, expr: Expr, depth = 0): Expr | undefined {
  let current = unparen(expr);
  for (let step = depth; current.kind === 'Var' && step < 8; step++) {
    const found = tree.resolve(current.name, current);
    if (found.kind === 'binding') current = unparen(found.value);
    else if (found.kind === 'formal' && found.default !== undefined) current = unparen(found.default);
    else if (found.kind === 'inherit' && found.from !== undefined) {
      const from = attributeOf(tree, found.from, current.name, step + 1);
      if (from === undefined) return current;
      current = unparen(from);
    } else if (found.kind === 'with' && unparen(found.namespace).kind === 'AttrSet') {
      const value = attributeOf(tree, found.namespace, current.name, step + 1);
      if (value === undefined) return current;
      current = unparen(value);
    } else return current;
  }
  return current;
}

/** The string an expression stands for, when it is known without evaluating. */
export function knownString(tree: Tree, expr: Expr, depth = 0): KnownString | undefined {
  if (depth > 8) return undefined;
  const inner = unparen(expr);
  switch (inner.kind) {
    case 'String': {
      const plain = stringValue(inner);
      if (plain !== undefined) {
        const only = inner.parts.length === 1 ? inner.parts[0]! : undefined;
        return { value: plain, ...(only !== undefined && !inner.indented ? { literal: { start: only.start, end: only.end } } : {}) };
      }
      let value = '';
      for (const part of inner.parts) {
        if (part.kind === 'Literal') value += part.value;
        else {
          const piece = knownString(tree, part.expr, depth + 1);
          if (piece === undefined) return undefined;
          value += piece.value;
        }
      }
      return { value };
    }
    case 'Uri':
      return { value: inner.value, literal: { start: inner.start, end: inner.end } };
    case 'Var': {
      const target = followVar(tree, inner, depth);
      return target === undefined || target === inner || target.kind === 'Var' ? undefined : knownString(tree, target, depth + 1);
    }
    case 'BinaryOp': {
      if (inner.op !== '+') return undefined;
      const left = knownString(tree, inner.left, depth + 1);
      const right = knownString(tree, inner.right, depth + 1);
      return left === undefined || right === undefined ? undefined : { value: left.value + right.value };
    }
    default:
      return undefined;
  }
}
