// The syntax tree of a Nix expression, as written (not desugared): parentheses,
// operators and string parts stay as the user typed them, so that callers can
// point at, and rewrite, exact source ranges. Offsets are UTF-16 string indices
// into the parsed text; `end` is exclusive.

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface ParseError extends Span {
  readonly message: string;
}

/** A name as written: a variable, a lambda parameter, a formal, an attribute name. */
export interface Identifier extends Span {
  readonly kind: 'Identifier';
  readonly name: string;
}

/**
 * A literal piece of a string or path. `value` is the cooked text (escapes
 * processed, indented-string indentation stripped); `start`/`end` is the raw
 * source text it came from. In `"…"` strings without escapes the two are equal.
 */
export interface Literal extends Span {
  readonly kind: 'Literal';
  readonly value: string;
}

/** `${ expr }`, in a string, a path or as an attribute name; the span includes `${` and `}`. */
export interface Interpolation extends Span {
  readonly kind: 'Interpolation';
  readonly expr: Expr;
}

export type StringPart = Literal | Interpolation;

export interface IntNode extends Span {
  readonly kind: 'Int';
  /** Exact up to 2^53; the source text holds the digits beyond. */
  readonly value: number;
}

export interface FloatNode extends Span {
  readonly kind: 'Float';
  readonly value: number;
}

/** A variable reference; `__curPos` is one too. */
export interface VarNode extends Span {
  readonly kind: 'Var';
  readonly name: string;
}

/**
 * `"…"` or `''…''`. Indented strings keep Nix's own token boundaries: the
 * escapes `''$`, `'''` and `''\x` are literal parts of their own.
 */
export interface StringNode extends Span {
  readonly kind: 'String';
  readonly indented: boolean;
  readonly parts: readonly StringPart[];
}

/** `./a`, `../b`, `/abs`, `~/x`, possibly with `${}`; literal values are the raw text. */
export interface PathNode extends Span {
  readonly kind: 'Path';
  readonly parts: readonly StringPart[];
}

/** `<nixpkgs/lib>`: `path` is the text between the angle brackets. */
export interface SearchPathNode extends Span {
  readonly kind: 'SearchPath';
  readonly path: string;
}

/** A bare URL such as `https://example.org/a.tar.gz`. */
export interface UriNode extends Span {
  readonly kind: 'Uri';
  readonly value: string;
}

export interface ListNode extends Span {
  readonly kind: 'List';
  readonly elements: readonly Expr[];
}

/** An attribute name: `a`, `"a"`, `"${x}"` (both String) or `${x}`. */
export type AttrName = Identifier | StringNode | Interpolation;

/** `a.b.c = value;` */
export interface AttrDef extends Span {
  readonly kind: 'AttrDef';
  readonly path: readonly AttrName[];
  readonly value: Expr;
}

/** `inherit a b;` or `inherit (from) a b;` */
export interface Inherit extends Span {
  readonly kind: 'Inherit';
  readonly from: Expr | undefined;
  readonly names: readonly AttrName[];
}

export type Binding = AttrDef | Inherit;

export interface AttrSetNode extends Span {
  readonly kind: 'AttrSet';
  readonly recursive: boolean;
  readonly bindings: readonly Binding[];
}

export interface LetNode extends Span {
  readonly kind: 'Let';
  readonly bindings: readonly Binding[];
  readonly body: Expr;
}

/** The old `let { …; body = e; }` form. */
export interface LegacyLetNode extends Span {
  readonly kind: 'LegacyLet';
  readonly bindings: readonly Binding[];
}

export interface WithNode extends Span {
  readonly kind: 'With';
  readonly namespace: Expr;
  readonly body: Expr;
}

export interface AssertNode extends Span {
  readonly kind: 'Assert';
  readonly condition: Expr;
  readonly body: Expr;
}

export interface IfNode extends Span {
  readonly kind: 'If';
  readonly condition: Expr;
  readonly consequent: Expr;
  readonly alternative: Expr;
}

export interface Formal extends Span {
  readonly kind: 'Formal';
  readonly name: Identifier;
  readonly default: Expr | undefined;
}

/** `{ a, b ? d, ... }` of a lambda. */
export interface Formals extends Span {
  readonly kind: 'Formals';
  readonly entries: readonly Formal[];
  readonly ellipsis: boolean;
}

/** `x: body`, `{ … }: body`, `x@{ … }: body` or `{ … }@x: body`. */
export interface LambdaNode extends Span {
  readonly kind: 'Lambda';
  readonly param: Identifier | undefined;
  readonly formals: Formals | undefined;
  readonly body: Expr;
}

/**
 * `func arg1 arg2 …`. The legacy `e or` (calling `e` with a variable named
 * `or`) is an Apply whose only argument is a Var named `or`.
 */
export interface ApplyNode extends Span {
  readonly kind: 'Apply';
  readonly func: Expr;
  readonly args: readonly Expr[];
}

/** `target.a.b or default`. */
export interface SelectNode extends Span {
  readonly kind: 'Select';
  readonly target: Expr;
  readonly path: readonly AttrName[];
  readonly default: Expr | undefined;
}

/** `target ? a.b` */
export interface HasAttrNode extends Span {
  readonly kind: 'HasAttr';
  readonly target: Expr;
  readonly path: readonly AttrName[];
}

export type BinaryOperator = '->' | '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '//' | '+' | '-' | '*' | '/' | '++';

export interface BinaryNode extends Span {
  readonly kind: 'BinaryOp';
  readonly op: BinaryOperator;
  readonly left: Expr;
  readonly right: Expr;
}

export interface UnaryNode extends Span {
  readonly kind: 'UnaryOp';
  readonly op: '!' | '-';
  readonly operand: Expr;
}

export interface ParenNode extends Span {
  readonly kind: 'Paren';
  readonly expr: Expr;
}

/** Where something could not be parsed; the matching message is in `errors`. */
export interface ErrorNode extends Span {
  readonly kind: 'Error';
}

export type Expr =
  | IntNode
  | FloatNode
  | VarNode
  | StringNode
  | PathNode
  | SearchPathNode
  | UriNode
  | ListNode
  | AttrSetNode
  | LetNode
  | LegacyLetNode
  | WithNode
  | AssertNode
  | IfNode
  | LambdaNode
  | ApplyNode
  | SelectNode
  | HasAttrNode
  | BinaryNode
  | UnaryNode
  | ParenNode
  | ErrorNode;

/** Every node the walker visits. */
export type NixNode = Expr | Binding | StringPart | Identifier | Formals | Formal;

export interface ParseResult {
  /** Undefined only when the text holds no expression at all (empty, or only comments). */
  readonly ast: Expr | undefined;
  readonly errors: readonly ParseError[];
  /** `# …` and `/* … *\/` comments, in source order. */
  readonly comments: readonly Span[];
}

/** The expression inside any number of parentheses. */
export function unparen(expr: Expr): Expr {
  let inner = expr;
  while (inner.kind === 'Paren') inner = inner.expr;
  return inner;
}

/** The value of a string without interpolations (undefined when it has some). */
export function stringValue(node: StringNode): string | undefined {
  let value = '';
  for (const part of node.parts) {
    if (part.kind !== 'Literal') return undefined;
    value += part.value;
  }
  return value;
}

/**
 * The attribute name Nix sees when it is known without evaluating: `a`, `"a"`,
 * `${"a"}`; undefined for dynamic ones such as `${x}` or `"${x}"`. (Nix treats
 * `${"a"}` as static but `"${"a"}"` as dynamic.)
 */
export function staticAttrName(name: AttrName): string | undefined {
  if (name.kind === 'Identifier') return name.name;
  const string = name.kind === 'String' ? name : unparen(name.expr);
  // Nix keeps a string as a plain string only when it is a single literal piece;
  // anything else (even `''a''$''`, two pieces) becomes a concatenation.
  if (string.kind !== 'String' || string.parts.length > 1) return undefined;
  return stringValue(string);
}

/** True when `offset` falls inside one of the (sorted) comment spans. */
export function isInComment(comments: readonly Span[], offset: number): boolean {
  let low = 0;
  let high = comments.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const comment = comments[middle]!;
    if (offset < comment.start) high = middle - 1;
    else if (offset >= comment.end) low = middle + 1;
    else return true;
  }
  return false;
}
