// PPL Nix's own language server for shell.nix files (bundled to dist/server.js, started over
// IPC by src/lsp/client.ts). It only converts between LSP and src/core/nixAssist, which does the work.
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
import { completions, diagnose, hover, type Finding, type Severity } from '../core/shellNix/assist';
import { parseNixDocument } from '../core/shellNix/document';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
/** The id of the extension's migrate command, when it offers one (a fix for old pins). */
let migrateCommand: string | undefined;

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
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    },
    serverInfo: { name: 'PPL Nix shell.nix support' },
  };
});

const rangeOf = (doc: TextDocument, start: number, end: number): Range => ({ start: doc.positionAt(start), end: doc.positionAt(end) });

/** Larger documents get no PPL Nix diagnostics: no shell.nix is this big, and every edit re-reads the whole text. */
const MAX_DOCUMENT_LENGTH = 1024 * 1024;

function findings(doc: TextDocument): Finding[] {
  if (doc.getText().length > MAX_DOCUMENT_LENGTH) return [];
  return diagnose(parseNixDocument(doc.getText()), { ...(migrateCommand === undefined ? {} : { migrateCommand }), uri: doc.uri });
}

documents.onDidChangeContent(({ document }) => {
  const diagnostics: Diagnostic[] = findings(document).map((finding) => ({
    range: rangeOf(document, finding.start, finding.end),
    severity: SEVERITY[finding.severity],
    code: finding.code,
    source: 'PPL Nix',
    message: finding.message,
  }));
  void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
});

documents.onDidClose(({ document }) => void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] }));

connection.onCompletion(({ textDocument, position }) => {
  const doc = documents.get(textDocument.uri);
  if (doc === undefined) return [];
  return completions(parseNixDocument(doc.getText()), doc.offsetAt(position)).map((item) => ({
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
  if (doc === undefined) return null;
  const found = hover(parseNixDocument(doc.getText()), doc.offsetAt(position));
  return found === undefined
    ? null
    : { contents: { kind: MarkupKind.Markdown, value: found.markdown }, range: rangeOf(doc, found.span.start, found.span.end) };
});

connection.onCodeAction(({ textDocument, range }) => {
  const doc = documents.get(textDocument.uri);
  if (doc === undefined) return [];
  const start = doc.offsetAt(range.start);
  const end = doc.offsetAt(range.end);
  const actions: CodeAction[] = [];
  for (const finding of findings(doc)) {
    if (finding.end < start || finding.start > end) continue;
    const diagnostic: Diagnostic = {
      range: rangeOf(doc, finding.start, finding.end),
      severity: SEVERITY[finding.severity],
      code: finding.code,
      source: 'PPL Nix',
      message: finding.message,
    };
    for (const fix of finding.fixes) {
      if ('command' in fix) {
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          command: { title: fix.title, command: fix.command, arguments: [...fix.args] },
        });
      } else {
        const edits = fix.edits.map((edit) => ({ range: rangeOf(doc, edit.start, edit.end), newText: edit.newText }));
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: fix.preferred === true,
          edit: { changes: { [doc.uri]: edits } },
        });
      }
    }
  }
  return actions;
});

documents.listen(connection);
connection.listen();
