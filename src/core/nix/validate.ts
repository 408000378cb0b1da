// The checks Nix makes while parsing, beyond the grammar: an attribute defined
// twice (after merging `a.b = …; a.c = …;` and `a = { … }; a.d = …;` as Nix
// does), dynamic names in `let` or `inherit`, and repeated lambda arguments.
import { staticAttrName, unparen, type AttrName, type AttrSetNode, type Binding, type Expr, type LambdaNode, type ParseError } from './ast';
import { walkNix } from './walk';

/** An attribute as Nix records it: inherited, or holding nested attributes it can merge into. */
interface Entry {
  readonly inherited: boolean;
  readonly nested: Table | undefined;
}
type Table = Map<string, Entry>;

export function validate(root: Expr): ParseError[] {
  const errors: ParseError[] = [];
  const tables = new Map<AttrSetNode, Table>();
  const report = (message: string, at: { start: number; end: number }): void => {
    errors.push({ message, start: at.start, end: at.end });
  };

  /** The attributes of a literal attribute set, computed once (and reported once). */
  const tableOf = (node: AttrSetNode): Table => {
    let table = tables.get(node);
    if (table === undefined) {
      table = buildTable(node.bindings, false);
      tables.set(node, table);
    }
    return table;
  };

  const buildTable = (bindings: readonly Binding[], isLet: boolean): Table => {
    const root: Table = new Map();
    for (const binding of bindings) {
      if (binding.kind === 'Inherit') {
        for (const name of binding.names) {
          const text = staticAttrName(name);
          if (text === undefined) report('dynamic attributes not allowed in inherit', name);
          else if (root.has(text)) report(`attribute '${text}' already defined`, name);
          else root.set(text, { inherited: true, nested: undefined });
        }
      } else addAttribute(root, binding.path, binding.value, isLet);
    }
    return root;
  };

  const addAttribute = (root: Table, path: readonly AttrName[], value: Expr, isLet: boolean): void => {
    let table = root;
    const shown: string[] = [];
    for (const [index, name] of path.entries()) {
      const text = staticAttrName(name);
      shown.push(text ?? '${…}');
      if (text === undefined) {
        if (isLet && table === root) report('dynamic attributes not allowed in let', name);
        if (index === path.length - 1) return;
        table = new Map(); // a dynamic name never merges with anything
        continue;
      }
      const existing = table.get(text);
      if (index < path.length - 1) {
        if (existing === undefined) {
          const nested: Table = new Map();
          table.set(text, { inherited: false, nested });
          table = nested;
        } else if (existing.inherited || existing.nested === undefined) {
          report(`attribute '${shown.join('.')}' already defined`, name);
          return;
        } else table = existing.nested;
        continue;
      }
      const literal = unparen(value);
      const valueTable = literal.kind === 'AttrSet' ? tableOf(literal) : undefined;
      if (existing === undefined) table.set(text, { inherited: false, nested: valueTable });
      else if (existing.nested !== undefined && !existing.inherited && valueTable !== undefined) {
        // Both are attribute sets: Nix merges the new one's attributes into the old.
        for (const [key, entry] of valueTable) {
          if (existing.nested.has(key)) report(`attribute '${key}' already defined`, name);
          else existing.nested.set(key, entry);
        }
      } else report(`attribute '${shown.join('.')}' already defined`, name);
    }
  };

  const checkLambda = (lambda: LambdaNode): void => {
    if (lambda.formals === undefined) return;
    const seen = new Set<string>(lambda.param === undefined ? [] : [lambda.param.name]);
    for (const formal of lambda.formals.entries) {
      if (seen.has(formal.name.name)) report(`duplicate formal function argument '${formal.name.name}'`, formal.name);
      seen.add(formal.name.name);
    }
  };

  walkNix(root, (node) => {
    if (node.kind === 'AttrSet') tableOf(node);
    else if (node.kind === 'LegacyLet') buildTable(node.bindings, false);
    else if (node.kind === 'Let') buildTable(node.bindings, true);
    else if (node.kind === 'Lambda') checkLambda(node);
  });
  return errors;
}
