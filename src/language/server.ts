// PPL Nix's own language server for shell.nix files (bundled to dist/server.js, started over IPC
// by src/language/client.ts, its own process). It only converts between LSP and core/shellNix:
// each document version is read once (the Nix parser, linear), and diagnostics, completions,
// hovers and code actions all use that reading.
import {
  CodeActionKind,
  CompletionItemKind,
  createConnection,
  DiagnosticSeverity,
  MarkupKind,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type Diagnostic,
  type Range,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { completions, diagnose, hover, refactorings, type Finding, type Fix, type Severity } from '../core/shellNix/assist';
import { readNixFile, type NixFile } from '../core/shellNix/reader';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
/** The id of the extension's migrate command, when it offers one (a fix for old pins). */
let migrateCommand: string | undefined;

/** Larger documents get no PPL Nix assistance: no shell.nix is this big. */
const MAX_DOCUMENT_LENGTH = 1024 * 1024;

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

connection.onInitialize((params) => {
  const offered = (params.initializationOptions as { migrateCommand?: unknown } | undefined)?.migrateCommand;
  migrateCommand = typeof offered === 'string' ? offered : undefined;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['.'] },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
    },
    serverInfo: { name: 'PPL Nix shell.nix support' },
  };
});

/** One reading per document version. */
const readings = new Map<string, { version: number; file: NixFile; findings: Finding[] }>();

function reading(doc: TextDocument): { file: NixFile; findings: Finding[] } | undefined {
  if (doc.getText().length > MAX_DOCUMENT_LENGTH) return undefined;
  const cached = readings.get(doc.uri);
  if (cached?.version === doc.version) return cached;
  const file = readNixFile(doc.getText());
  const findings = diagnose(file, { ...(migrateCommand === undefined ? {} : { migrateCommand }), uri: doc.uri });
  const fresh = { version: doc.version, file, findings };
  readings.set(doc.uri, fresh);
  return fresh;
}

const rangeOf = (doc: TextDocument, start: number, end: number): Range => ({ start: doc.positionAt(start), end: doc.positionAt(end) });

const diagnosticOf = (doc: TextDocument, finding: Finding): Diagnostic => ({
  range: rangeOf(doc, finding.start, finding.end),
  severity: SEVERITY[finding.severity],
  code: finding.code,
  source: 'PPL Nix',
  message: finding.message,
});

documents.onDidChangeContent(({ document }) => {
  const diagnostics = (reading(document)?.findings ?? []).map((finding) => diagnosticOf(document, finding));
  void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
});

documents.onDidClose(({ document }) => {
  readings.delete(document.uri);
  void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
});

connection.onCompletion(({ textDocument, position }) => {
  const doc = documents.get(textDocument.uri);
  const read = doc === undefined ? undefined : reading(doc);
  if (doc === undefined || read === undefined) return [];
  return completions(read.file, doc.offsetAt(position)).map((item) => ({
    label: item.label,
    kind: CompletionItemKind.Module,
    detail: item.detail,
    documentation: { kind: MarkupKind.Markdown, value: item.documentation },
    sortText: item.sortText,
    ...(item.deprecated ? { tags: [1 as const] } : {}),
    textEdit: { range: rangeOf(doc, item.replace.start, item.replace.end), newText: item.label },
  }));
});

connection.onHover(({ textDocument, position }) => {
  const doc = documents.get(textDocument.uri);
  const read = doc === undefined ? undefined : reading(doc);
  if (doc === undefined || read === undefined) return null;
  const found = hover(read.file, doc.offsetAt(position));
  return found === undefined
    ? null
    : { contents: { kind: MarkupKind.Markdown, value: found.markdown }, range: rangeOf(doc, found.span.start, found.span.end) };
});

function actionOf(doc: TextDocument, fix: Fix, kind: string, diagnostic?: Diagnostic): CodeAction {
  const base = { title: fix.title, kind, ...(diagnostic === undefined ? {} : { diagnostics: [diagnostic] }) };
  if ('command' in fix) return { ...base, command: { title: fix.title, command: fix.command, arguments: [...fix.args] } };
  const edits = fix.edits.map((edit) => ({ range: rangeOf(doc, edit.start, edit.end), newText: edit.newText }));
  return { ...base, isPreferred: fix.preferred === true, edit: { changes: { [doc.uri]: edits } } };
}

connection.onCodeAction(({ textDocument, range }) => {
  const doc = documents.get(textDocument.uri);
  const read = doc === undefined ? undefined : reading(doc);
  if (doc === undefined || read === undefined) return [];
  const span = { start: doc.offsetAt(range.start), end: doc.offsetAt(range.end) };
  const actions: CodeAction[] = [];
  for (const finding of read.findings) {
    if (finding.end < span.start || finding.start > span.end) continue;
    const diagnostic = diagnosticOf(doc, finding);
    for (const fix of finding.fixes) actions.push(actionOf(doc, fix, CodeActionKind.QuickFix, diagnostic));
  }
  for (const fix of refactorings(read.file, span)) actions.push(actionOf(doc, fix, CodeActionKind.RefactorRewrite));
  return actions;
});

documents.listen(connection);
connection.listen();
