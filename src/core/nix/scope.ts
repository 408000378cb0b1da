// Which variables are bound nowhere: the "undefined variable" check Nix makes
// right after parsing (nix-instantiate --parse fails on it too). Inside a
// `with` every name may come from the `with`, so nothing there is reported.
import { staticAttrName, type Binding, type Expr, type NixNode, type ParseError } from './ast';
import { childrenOf } from './walk';

/** The names Nix 2.8 binds in every file (builtins reachable without `builtins.`). */
export const NIX_GLOBALS: ReadonlySet<string> = new Set([
  ...'builtins true false null import scopedImport map toString abort throw isNull removeAttrs baseNameOf dirOf derivation'.split(' '),
  ...'derivationStrict placeholder fetchTarball fetchGit fetchMercurial fetchTree fromTOML'.split(' '),
  // The rest only with a `__` prefix (and as `builtins.name`).
  ...[
    'currentTime currentSystem nixVersion storeDir langVersion nixPath typeOf isFunction isInt isFloat isString isBool isPath',
    'genericClosure addErrorContext ceil floor tryEval getEnv seq deepSeq trace toPath storePath pathExists readFile findFile',
    'hashFile readDir toXML toJSON fromJSON toFile filterSource path attrNames attrValues getAttr unsafeGetAttrPos hasAttr',
    "isAttrs listToAttrs intersectAttrs catAttrs functionArgs mapAttrs zipAttrsWith isList elemAt head tail filter elem concatLists length foldl'",
    'any all genList sort partition groupBy concatMap add sub mul div bitAnd bitOr bitXor lessThan substring stringLength hashString match',
    'split concatStringsSep replaceStrings parseDrvName compareVersions splitVersion unsafeDiscardStringContext hasContext',
    'unsafeDiscardOutputDependency getContext appendContext fetchurl',
  ]
    .join(' ')
    .split(' ')
    .map((name) => `__${name}`),
]);

/**
 * Every variable that no enclosing `let`, `rec`, lambda or `with` binds and
 * that is not in `globals`. Newer Nix versions add builtins: pass a larger set.
 */
export function findUndefinedVariables(root: Expr, globals: ReadonlySet<string> = NIX_GLOBALS): ParseError[] {
  const errors: ParseError[] = [];
  const bound = new Map<string, number>();
  let withDepth = 0;

  const bind = (names: readonly string[]): void => {
    for (const name of names) bound.set(name, (bound.get(name) ?? 0) + 1);
  };
  const unbind = (names: readonly string[]): void => {
    for (const name of names) bound.set(name, bound.get(name)! - 1);
  };
  const lookUp = (name: string, at: { start: number; end: number }): void => {
    if (name === '__curPos' || (bound.get(name) ?? 0) > 0 || withDepth > 0 || globals.has(name)) return;
    errors.push({ message: `undefined variable '${name}'`, start: at.start, end: at.end });
  };

  /** `rec { … }` and `let`: the names are visible in every value, but `inherit x;` reads the outer `x`. */
  const visitRecursive = (bindings: readonly Binding[], body: Expr | undefined): void => {
    const names = bindings.flatMap(boundNames);
    for (const binding of bindings) {
      if (binding.kind === 'Inherit' && binding.from === undefined) inheritFromScope(binding.names);
    }
    bind(names);
    for (const binding of bindings) {
      if (binding.kind === 'AttrDef') {
        visitAll(binding.path);
        visit(binding.value);
      } else if (binding.from !== undefined) {
        visit(binding.from);
        visitAll(binding.names);
      }
    }
    if (body !== undefined) visit(body);
    unbind(names);
  };
  const inheritFromScope = (names: readonly NixNode[]): void => {
    for (const name of names) {
      if (name.kind !== 'Identifier' && name.kind !== 'String' && name.kind !== 'Interpolation') continue;
      const text = staticAttrName(name);
      if (text !== undefined) lookUp(text, name);
      else visit(name);
    }
  };
  const visitAll = (nodes: readonly NixNode[]): void => {
    for (const node of nodes) visit(node);
  };

  // Recursion is bounded: the parser refuses to nest deeper than its limit.
  const visit = (node: NixNode): void => {
    switch (node.kind) {
      case 'Var':
        lookUp(node.name, node);
        return;
      case 'Identifier':
        return; // names being defined, not read
      case 'Let':
        visitRecursive(node.bindings, node.body);
        return;
      case 'LegacyLet':
        visitRecursive(node.bindings, undefined);
        return;
      case 'AttrSet':
        if (node.recursive) visitRecursive(node.bindings, undefined);
        else {
          for (const binding of node.bindings) {
            if (binding.kind === 'Inherit' && binding.from === undefined) inheritFromScope(binding.names);
            else visit(binding);
          }
        }
        return;
      case 'With':
        visit(node.namespace);
        withDepth++;
        visit(node.body);
        withDepth--;
        return;
      case 'Lambda': {
        const names = [
          ...(node.param === undefined ? [] : [node.param.name]),
          ...(node.formals?.entries.map((formal) => formal.name.name) ?? []),
        ];
        bind(names);
        visitAll(childrenOf(node));
        unbind(names);
        return;
      }
      default:
        visitAll(childrenOf(node));
    }
  };
  visit(root);
  return errors;
}

/** The names a binding adds to a `let` or `rec` scope (the first name of a path). */
function boundNames(binding: Binding): string[] {
  const names = binding.kind === 'AttrDef' ? binding.path.slice(0, 1) : binding.names;
  return names.flatMap((name) => {
    const text = staticAttrName(name);
    return text === undefined ? [] : [text];
  });
}
