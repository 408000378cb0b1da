// Prints our syntax tree the way `nix-instantiate --parse` (Nix 2.8) prints its
// own: desugared (`a - b` → `(__sub a b)`, `<p>` → `(__findFile __nixPath "p")`,
// `let { }` → `(rec { }).body`, `inherit (e) x` → `x = (e).x`), attribute paths
// merged, strings re-escaped, paths made absolute, everything parenthesised.
// Formats found by running nix-instantiate on many small expressions.
//
// One thing cannot be reproduced: Nix 2.8 prints `let` bindings and lambda
// formals in the order of its symbols' memory addresses (its Symbol compares
// pointers). `canonicalOrder` sorts those two lists in printed text; apply it
// to both sides before comparing.
import type { AttrName, Binding, Expr, StringNode, StringPart } from '../../src/core/nix/ast';
import { staticAttrName } from '../../src/core/nix/ast';

export interface PrintContext {
  /** The source text, for integer digits beyond 2^53. */
  readonly source: string;
  /** Relative paths resolve against this: the file's directory (cwd for --expr). */
  readonly baseDir: string;
  /** `~/x` becomes home + `/x`. */
  readonly home: string;
}

/** Nix's own expression shapes (ExprInt, ExprCall, ExprAttrs, …), as much as printing needs. */
type Nix =
  | { t: 'int'; digits: string }
  | { t: 'float'; value: number }
  | { t: 'string'; value: string }
  | { t: 'path'; value: string }
  | { t: 'var'; name: string }
  | { t: 'select'; e: Nix; path: Name[]; def: Nix | undefined }
  | { t: 'hasAttr'; e: Nix; path: Name[] }
  | Attrs
  | { t: 'list'; elems: Nix[] }
  | { t: 'call'; fn: Nix; args: Nix[] }
  | { t: 'let'; attrs: Attrs; body: Nix }
  | {
      t: 'lambda';
      arg: string | undefined;
      formals: { names: { name: string; def: Nix | undefined }[]; ellipsis: boolean } | undefined;
      body: Nix;
    }
  | { t: 'with'; ns: Nix; body: Nix }
  | { t: 'if'; c: Nix; a: Nix; b: Nix }
  | { t: 'assert'; c: Nix; body: Nix }
  | { t: 'not'; e: Nix }
  | { t: 'op'; op: string; a: Nix; b: Nix }
  | { t: 'concat'; parts: Nix[] };
interface Attrs {
  t: 'attrs';
  rec: boolean;
  attrs: Map<string, { value: Nix; inherited: boolean }>;
  dynamic: { name: Nix; value: Nix }[];
}
/** An attribute path element: a static name, or an expression. */
type Name = string | { dynamic: Nix };

export function printNixParse(ast: Expr, context: PrintContext): string {
  return show(desugar(ast, context));
}

// ---- desugaring ---------------------------------------------------------------

const CALL_OPERATORS: Record<string, (a: Nix, b: Nix) => Nix> = {
  '-': (a, b) => call('__sub', a, b),
  '*': (a, b) => call('__mul', a, b),
  '/': (a, b) => call('__div', a, b),
  '<': (a, b) => call('__lessThan', a, b),
  '>': (a, b) => call('__lessThan', b, a),
  '<=': (a, b) => ({ t: 'not', e: call('__lessThan', b, a) }),
  '>=': (a, b) => ({ t: 'not', e: call('__lessThan', a, b) }),
  '+': (a, b) => ({ t: 'concat', parts: [a, b] }),
};

function call(name: string, ...args: Nix[]): Nix {
  return { t: 'call', fn: { t: 'var', name }, args };
}

function desugar(expr: Expr, context: PrintContext): Nix {
  const d = (e: Expr): Nix => desugar(e, context);
  switch (expr.kind) {
    case 'Int':
      return { t: 'int', digits: context.source.slice(expr.start, expr.end) };
    case 'Float':
      return { t: 'float', value: expr.value };
    case 'Var':
      return { t: 'var', name: expr.name };
    case 'String':
      return stringOf(expr, context);
    case 'Path': {
      const [first, ...rest] = expr.parts;
      const start: Nix = { t: 'path', value: resolvePath(first?.kind === 'Literal' ? first.value : '', context) };
      if (rest.length === 0) return start;
      return {
        t: 'concat',
        parts: [start, ...rest.map((part) => (part.kind === 'Literal' ? { t: 'string' as const, value: part.value } : d(part.expr)))],
      };
    }
    case 'SearchPath':
      return call('__findFile', { t: 'var', name: '__nixPath' }, { t: 'string', value: expr.path });
    case 'Uri':
      return { t: 'string', value: expr.value };
    case 'List':
      return { t: 'list', elems: expr.elements.map(d) };
    case 'AttrSet':
      return attrsOf(expr.bindings, expr.recursive, context);
    case 'LegacyLet':
      return { t: 'select', e: attrsOf(expr.bindings, true, context), path: ['body'], def: undefined };
    case 'Let':
      return { t: 'let', attrs: attrsOf(expr.bindings, false, context), body: d(expr.body) };
    case 'With':
      return { t: 'with', ns: d(expr.namespace), body: d(expr.body) };
    case 'Assert':
      return { t: 'assert', c: d(expr.condition), body: d(expr.body) };
    case 'If':
      return { t: 'if', c: d(expr.condition), a: d(expr.consequent), b: d(expr.alternative) };
    case 'Lambda': {
      const formals = expr.formals && {
        names: expr.formals.entries.map((formal) => ({ name: formal.name.name, def: formal.default && d(formal.default) })),
        ellipsis: expr.formals.ellipsis,
      };
      return { t: 'lambda', arg: expr.param?.name, formals, body: d(expr.body) };
    }
    case 'Apply': {
      const fn = d(expr.func);
      const [only] = expr.args;
      // `e or`: a new call even when `e` is one (parser.y's expr_select rule)…
      if (expr.args.length === 1 && only?.kind === 'Var' && only.name === 'or') return { t: 'call', fn, args: [{ t: 'var', name: 'or' }] };
      // …while application adds arguments to a call it is given: `(f a) b` is `(f a b)`.
      let result = fn;
      for (const arg of expr.args) {
        const value = d(arg);
        if (result.t === 'call') result.args.push(value);
        else result = { t: 'call', fn: result, args: [value] };
      }
      return result;
    }
    case 'Select':
      return { t: 'select', e: d(expr.target), path: expr.path.map((name) => nameOf(name, context)), def: expr.default && d(expr.default) };
    case 'HasAttr':
      return { t: 'hasAttr', e: d(expr.target), path: expr.path.map((name) => nameOf(name, context)) };
    case 'BinaryOp': {
      const a = d(expr.left);
      const b = d(expr.right);
      return CALL_OPERATORS[expr.op]?.(a, b) ?? { t: 'op', op: expr.op, a, b };
    }
    case 'UnaryOp': {
      const operand = d(expr.operand);
      return expr.op === '!' ? { t: 'not', e: operand } : call('__sub', { t: 'int', digits: '0' }, operand);
    }
    case 'Paren':
      return d(expr.expr);
    case 'Error':
      throw new Error(`cannot print an Error node at ${expr.start}`);
  }
}

/** A string is a plain string when it is one literal piece (or empty), else a concatenation. */
function stringOf(node: StringNode, context: PrintContext): Nix {
  const [first] = node.parts;
  if (node.parts.length === 0) return { t: 'string', value: '' };
  if (node.parts.length === 1 && first?.kind === 'Literal') return { t: 'string', value: first.value };
  return {
    t: 'concat',
    parts: node.parts.map((part: StringPart) =>
      part.kind === 'Literal' ? { t: 'string' as const, value: part.value } : desugar(part.expr, context),
    ),
  };
}

function nameOf(name: AttrName, context: PrintContext): Name {
  const text = staticAttrName(name);
  if (text !== undefined || name.kind === 'Identifier') return text ?? '';
  return { dynamic: name.kind === 'Interpolation' ? desugar(name.expr, context) : stringOf(name, context) };
}

/** ExprAttrs as parser.y's addAttr builds it, merging paths and nested attribute sets. */
function attrsOf(bindings: readonly Binding[], rec: boolean, context: PrintContext): Attrs {
  const attrs: Attrs = { t: 'attrs', rec, attrs: new Map(), dynamic: [] };
  for (const binding of bindings) {
    if (binding.kind === 'Inherit') {
      const from = binding.from && desugar(binding.from, context);
      for (const name of binding.names) {
        const text = staticAttrName(name)!;
        attrs.attrs.set(
          text,
          from
            ? { value: { t: 'select', e: from, path: [text], def: undefined }, inherited: false }
            : { value: { t: 'var', name: text }, inherited: true },
        );
      }
      continue;
    }
    const path = binding.path.map((name) => nameOf(name, context));
    addAttr(attrs, path, desugar(binding.value, context));
  }
  return attrs;
}

function addAttr(root: Attrs, path: Name[], value: Nix): void {
  let attrs = root;
  for (const name of path.slice(0, -1)) {
    const nested: Attrs = { t: 'attrs', rec: false, attrs: new Map(), dynamic: [] };
    if (typeof name !== 'string') attrs.dynamic.push({ name: name.dynamic, value: nested });
    else {
      const existing = attrs.attrs.get(name);
      if (existing?.value.t === 'attrs') {
        attrs = existing.value;
        continue;
      }
      if (existing) throw new Error(`duplicate attribute ${name}`);
      attrs.attrs.set(name, { value: nested, inherited: false });
    }
    attrs = nested;
  }
  const last = path[path.length - 1]!;
  if (typeof last !== 'string') {
    attrs.dynamic.push({ name: last.dynamic, value });
    return;
  }
  const existing = attrs.attrs.get(last);
  if (existing === undefined) attrs.attrs.set(last, { value, inherited: false });
  else if (existing.value.t === 'attrs' && value.t === 'attrs') {
    // Nix 2.8 merges only the static attributes; the dynamic ones of the second set are lost.
    for (const [key, entry] of value.attrs) existing.value.attrs.set(key, entry);
  } else throw new Error(`duplicate attribute ${last}`);
}

/** Absolute and canonical (`.`/`..` resolved, no symlinks) like Nix's absPath; `~/` paths are not canonicalised. */
function resolvePath(text: string, context: PrintContext): string {
  if (text.startsWith('~')) return context.home + text.slice(1);
  const segments: string[] = [];
  for (const segment of (text.startsWith('/') ? text : `${context.baseDir}/${text}`).split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '' && segment !== '.') segments.push(segment);
  }
  const canonical = `/${segments.join('/')}`;
  return text.endsWith('/') && text.length > 1 ? `${canonical}/` : canonical;
}

// ---- printing -----------------------------------------------------------------

function show(nix: Nix): string {
  switch (nix.t) {
    case 'int':
      return BigInt(nix.digits).toString();
    case 'float':
      return formatFloat(nix.value);
    case 'string':
      return quote(nix.value);
    case 'path':
      return nix.value;
    case 'var':
      return nix.name;
    case 'select':
      return `(${show(nix.e)}).${showPath(nix.path)}${nix.def ? ` or (${show(nix.def)})` : ''}`;
    case 'hasAttr':
      return `((${show(nix.e)}) ? ${showPath(nix.path)})`;
    case 'attrs': {
      const names = [...nix.attrs.keys()].sort(compareBytes);
      const entries = names.map((name) => {
        const entry = nix.attrs.get(name)!;
        return entry.inherited ? `inherit ${identifier(name)} ; ` : `${identifier(name)} = ${show(entry.value)}; `;
      });
      const dynamic = nix.dynamic.map((entry) => `"\${${show(entry.name)}}" = ${show(entry.value)}; `);
      return `${nix.rec ? 'rec ' : ''}{ ${entries.join('')}${dynamic.join('')}}`;
    }
    case 'list':
      return `[ ${nix.elems.map((elem) => `(${show(elem)}) `).join('')}]`;
    case 'call':
      return `(${show(nix.fn)}${nix.args.map((arg) => ` ${show(arg)}`).join('')})`;
    case 'let': {
      const entries = [...nix.attrs.attrs].map(([name, entry]) =>
        entry.inherited ? `inherit ${identifier(name)}; ` : `${identifier(name)} = ${show(entry.value)}; `,
      );
      return `(let ${entries.join('')}in ${show(nix.body)})`;
    }
    case 'lambda': {
      let head = nix.arg ?? '';
      if (nix.formals) {
        const names = nix.formals.names.map((formal) => (formal.def ? `${formal.name} ? ${show(formal.def)}` : formal.name));
        if (nix.formals.ellipsis) names.push('...');
        head = `{ ${names.join(', ')} }${nix.arg === undefined ? '' : ` @ ${nix.arg}`}`;
      }
      return `(${head}: ${show(nix.body)})`;
    }
    case 'with':
      return `(with ${show(nix.ns)}; ${show(nix.body)})`;
    case 'if':
      return `(if ${show(nix.c)} then ${show(nix.a)} else ${show(nix.b)})`;
    case 'assert':
      return `assert ${show(nix.c)}; ${show(nix.body)}`;
    case 'not':
      return `(! ${show(nix.e)})`;
    case 'op':
      return `(${show(nix.a)} ${nix.op} ${show(nix.b)})`;
    case 'concat':
      return `(${nix.parts.map(show).join(' + ')})`;
  }
}

function showPath(path: readonly Name[]): string {
  return path.map((name) => (typeof name === 'string' ? identifier(name) : `"\${${show(name.dynamic)}}"`)).join('.');
}

/** Nix 2.8's printIdentifier: bare when it looks like an identifier, quoted otherwise (and for `if`, its only keyword check). */
function identifier(name: string): string {
  return /^[a-zA-Z_][a-zA-Z0-9_'-]*$/.test(name) && name !== 'if' ? name : quote(name);
}

function quote(value: string): string {
  return `"${value.replace(/[\\"$\n\r\t]/g, (char) => ({ '\n': '\\n', '\r': '\\r', '\t': '\\t' })[char] ?? `\\${char}`)}"`;
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** C++ `ostream << double`: printf's %g with 6 significant digits, rounding the exact binary value half-to-even. */
export function formatFloat(value: number): string {
  if (value === 0) return '0';
  const { digits, pointAt } = exactDecimal(Math.abs(value));
  let significant = BigInt(digits.slice(0, 6).padEnd(6, '0'));
  const rest = digits.slice(6);
  const half = rest.length > 0 && rest[0]! >= '5';
  const beyondHalf = half && (rest[0]! > '5' || /[1-9]/.test(rest.slice(1)));
  if (beyondHalf || (half && significant % 2n === 1n)) significant++;
  let exponent = pointAt - 1;
  if (significant === 1_000_000n) {
    significant = 100_000n;
    exponent++;
  }
  const mantissa = significant.toString();
  const sign = value < 0 ? '-' : '';
  if (exponent < -4 || exponent >= 6) {
    const fraction = mantissa.slice(1).replace(/0+$/, '');
    const power = `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
    return `${sign}${mantissa[0]}${fraction ? `.${fraction}` : ''}e${power}`;
  }
  const fixed =
    exponent >= 0 ? `${mantissa.slice(0, exponent + 1)}.${mantissa.slice(exponent + 1)}` : `0.${'0'.repeat(-exponent - 1)}${mantissa}`;
  return sign + fixed.replace(/0+$/, '').replace(/\.$/, '');
}

/** The exact decimal digits of a positive double, and where the decimal point goes (value = 0.digits × 10^pointAt). */
function exactDecimal(value: number): { digits: string; pointAt: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  if (exponent >= 0) {
    const digits = (mantissa << BigInt(exponent)).toString();
    return { digits, pointAt: digits.length };
  }
  const digits = (mantissa * 5n ** BigInt(-exponent)).toString();
  return { digits, pointAt: digits.length + exponent };
}

// ---- canonical order of let bindings and formals ------------------------------

const STRING_LITERAL = /"(?:[^"\\]|\\.)*"/sy;

type Item = { text: string } | { literal: string } | Group;
interface Group {
  open: string;
  items: Item[];
  close: string;
}

/** Sorts the bindings of every `(let … in …)` and the formals of every `({ … }: …)` in printed text. */
export function canonicalOrder(printed: string): string {
  return serialize(parsePrinted(printed));
}

/** The printed elements of a printed list `[ (e1) (e2) … ]`, each without its parentheses. */
export function printedListElements(printed: string): string[] | undefined {
  const [list, ...rest] = parsePrinted(printed);
  if (list === undefined || rest.length > 0 || !('open' in list) || list.open !== '[') return undefined;
  return list.items.flatMap((item) => ('open' in item && item.open === '(' ? [serialize(item.items)] : []));
}

/** Printed text as nested groups: brackets, `"${ … }"` attribute names, and string literals kept whole. */
function parsePrinted(printed: string): Item[] {
  let at = 0;
  const CLOSE: Record<string, string> = { '(': ')', '[': ']', '{': '}', '"${': '}"' };
  const items = (close: string | undefined): Item[] => {
    const list: Item[] = [];
    let text = '';
    const flush = (): void => {
      if (text !== '') list.push({ text });
      text = '';
    };
    while (at < printed.length) {
      if (close !== undefined && printed.startsWith(close, at)) break;
      const char = printed[at]!;
      const open = printed.startsWith('"${', at) ? '"${' : '([{'.includes(char) ? char : undefined;
      if (open !== undefined) {
        flush();
        at += open.length;
        const inner = items(CLOSE[open]);
        at += CLOSE[open]!.length;
        list.push({ open, items: inner, close: CLOSE[open]! });
      } else if (char === '"') {
        flush();
        STRING_LITERAL.lastIndex = at;
        const end = STRING_LITERAL.exec(printed)?.[0] ?? printed.slice(at);
        list.push({ literal: end });
        at += end.length;
      } else {
        text += char;
        at++;
      }
    }
    flush();
    return list;
  };
  return items(undefined);
}

function serialize(items: readonly Item[]): string {
  return items
    .map((item, index) => {
      if ('text' in item) return item.text;
      if ('literal' in item) return item.literal;
      const next = items[index + 1];
      if (item.open === '(' && 'text' in (item.items[0] ?? {}) && (item.items[0] as { text: string }).text.startsWith('let '))
        return `(${sortedLet(item.items)})`;
      if (item.open === '{' && index === 0 && next !== undefined && 'text' in next && /^(: | @ )/.test(next.text))
        return `{${sortedFormals(item.items)}}`;
      return item.open + serialize(item.items) + item.close;
    })
    .join('');
}

/** Splits items at top-level occurrences of `separator` (kept at the end of each piece). */
function splitAt(items: readonly Item[], separator: string): string[] {
  const pieces: string[] = [''];
  for (const item of items) {
    if (!('text' in item)) {
      pieces[pieces.length - 1] += serialize([item]);
      continue;
    }
    for (const char of item.text) {
      pieces[pieces.length - 1] += char;
      if (char === separator) pieces.push('');
    }
  }
  return pieces;
}

const LET_ENTRY = /^(inherit |"(?:[^"\\]|\\.)*" = |[A-Za-z_][A-Za-z0-9_'-]* = )/s;

function sortedLet(items: readonly Item[]): string {
  const pieces = splitAt(items, ';');
  pieces[0] = pieces[0]!.slice('let '.length);
  const entries: string[] = [];
  let body = '';
  for (const [index, piece] of pieces.entries()) {
    const trimmed = piece.trimStart();
    if (LET_ENTRY.test(trimmed)) entries.push(trimmed);
    else if (trimmed.startsWith('in ') || entries.length === 0) {
      body = pieces.slice(index).join('').trimStart();
      break;
    } else entries[entries.length - 1] += piece; // an `assert c; e` value's own `;`
  }
  return `let ${entries
    .sort()
    .map((entry) => `${entry} `)
    .join('')}${body}`;
}

function sortedFormals(items: readonly Item[]): string {
  const entries = splitAt(items, ',')
    .map((piece) => piece.replace(/,$/, '').trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) return serialize(items);
  const ellipsis = entries[entries.length - 1] === '...' ? entries.pop() : undefined;
  return ` ${[...entries.sort(), ...(ellipsis ? [ellipsis] : [])].join(', ')} `;
}
