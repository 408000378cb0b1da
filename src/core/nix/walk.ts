// Visiting a syntax tree: every node in source order, with the chain of its
// ancestors, e.g. to find each `fetchTarball { … }` or `withPackages (ps: …)`.
import type { Expr, NixNode } from './ast';

/** Calls `visit` for each direct child of `node`, in source order. */
export function forEachChild(node: NixNode, visit: (child: NixNode) => void): void {
  const all = (nodes: readonly NixNode[]): void => {
    for (const child of nodes) visit(child);
  };
  switch (node.kind) {
    case 'String':
    case 'Path':
      return all(node.parts);
    case 'Interpolation':
      return visit(node.expr);
    case 'List':
      return all(node.elements);
    case 'AttrSet':
    case 'LegacyLet':
      return all(node.bindings);
    case 'Let':
      all(node.bindings);
      return visit(node.body);
    case 'AttrDef':
      all(node.path);
      return visit(node.value);
    case 'Inherit':
      if (node.from !== undefined) visit(node.from);
      return all(node.names);
    case 'With':
      visit(node.namespace);
      return visit(node.body);
    case 'Assert':
      visit(node.condition);
      return visit(node.body);
    case 'If':
      visit(node.condition);
      visit(node.consequent);
      return visit(node.alternative);
    case 'Lambda':
      // `x@{ … }` and `{ … }@x` alike: the name first, then the formals.
      if (node.param !== undefined) visit(node.param);
      if (node.formals !== undefined) visit(node.formals);
      return visit(node.body);
    case 'Formals':
      return all(node.entries);
    case 'Formal':
      visit(node.name);
      if (node.default !== undefined) visit(node.default);
      return;
    case 'Apply':
      visit(node.func);
      return all(node.args);
    case 'Select':
      visit(node.target);
      all(node.path);
      if (node.default !== undefined) visit(node.default);
      return;
    case 'HasAttr':
      visit(node.target);
      return all(node.path);
    case 'BinaryOp':
      visit(node.left);
      return visit(node.right);
    case 'UnaryOp':
      return visit(node.operand);
    case 'Paren':
      return visit(node.expr);
    default:
      return;
  }
}

/** The direct children of a node, in source order. */
export function childrenOf(node: NixNode): NixNode[] {
  const children: NixNode[] = [];
  forEachChild(node, (child) => children.push(child));
  return children;
}

/** A visitor may return `'skip'` to leave out the node's children, `'stop'` to end the walk; anything else goes on. */
export type VisitResult = 'skip' | 'stop' | undefined;

/**
 * Calls `visit` for `root` and every node below it, parents before children,
 * in source order. `parents` runs from the root to the node's direct parent;
 * it is reused between calls, so copy it to keep it. The visitor's result is
 * typed `unknown` so that bodies returning nothing type-check (see VisitResult).
 */
export function walkNix(root: NixNode, visit: (node: NixNode, parents: readonly NixNode[]) => unknown): void {
  const parents: NixNode[] = [];
  // An explicit stack rather than recursion: long `a + b + …` chains make deep trees.
  const pendingNodes: NixNode[] = [root];
  const pendingDepths: number[] = [0];
  const children: NixNode[] = [];
  const collect = (child: NixNode): void => {
    children.push(child);
  };
  while (pendingNodes.length > 0) {
    const node = pendingNodes.pop()!;
    const depth = pendingDepths.pop()!;
    parents.length = depth;
    const result = visit(node, parents);
    if (result === 'stop') return;
    if (result === 'skip') continue;
    children.length = 0;
    forEachChild(node, collect);
    for (let index = children.length - 1; index >= 0; index--) {
      pendingNodes.push(children[index]!);
      pendingDepths.push(depth + 1);
    }
    parents.push(node);
  }
}

/** Every node for which `test` holds, with its ancestors (copied). */
export function findNodes<T extends NixNode>(root: Expr, test: (node: NixNode) => node is T): { node: T; parents: NixNode[] }[] {
  const found: { node: T; parents: NixNode[] }[] = [];
  walkNix(root, (node, parents) => {
    if (test(node)) found.push({ node, parents: [...parents] });
  });
  return found;
}

/**
 * The innermost node whose span contains `offset` (ends included), preceded by
 * its ancestors: outermost first. Empty when `offset` is outside `root`.
 */
export function nodesAt(root: NixNode, offset: number): NixNode[] {
  let chain: NixNode[] = [];
  walkNix(root, (node, parents) => {
    if (offset < node.start || offset > node.end) return 'skip';
    chain = [...parents, node];
    return undefined;
  });
  return chain;
}
