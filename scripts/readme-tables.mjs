// Writes README.md's Commands and Settings tables from package.json, between the markers
//   <!-- commands:begin … -->  …  <!-- commands:end -->
//   <!-- settings:begin … -->  …  <!-- settings:end -->
// so the README never drifts from what the extension contributes (test/unit/readmeTables.test.ts
// runs --check). What a command does is not in package.json: COMMAND_HELP below says it, and a
// command without a sentence there is an error.
//
// Usage: node scripts/readme-tables.mjs [--check] [--readme PATH] [--manifest PATH]
//   --check     write nothing; exit 1 (saying which table) when README.md is not what would be written
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(new URL('..', import.meta.url).pathname);

/** What each command does, in one or two sentences (package.json has titles only). */
export const COMMAND_HELP = {
  'pplNix.createShell':
    'Opens the picker: packages, nixpkgs pin, Python version, a live preview of the file; writes (or updates) the shell.nix.',
  'pplNix.openTerminal': 'A terminal running the real `nix-shell` (or `nix develop` for a flake), so the shellHook runs too.',
  'pplNix.selectEnvironment': "The status-bar switcher: the folder's environments, Create, Reload, Disable for this workspace, Show Log.",
  'pplNix.reloadEnvironment': 'Captures the current environment again, ignoring the cache (the last working one stays applied meanwhile).',
  'pplNix.checkAvailability':
    'Asks Nix once whether every package of the file exists at its pin, is not marked broken, and which version it is.',
  'pplNix.updatePin': "Moves the file to a channel's current revision, after showing what disappears, breaks or changes version.",
  'pplNix.migrate':
    'Turns an old shell.nix pinned to a moving branch tarball into an exact reproduction, or a modern PPL Nix file (pymc3 → pymc).',
  'pplNix.restartLanguageServers': "Restarts PPL Nix's shell.nix server and nil/nixd.",
  'pplNix.showLog': 'The "PPL Nix" output channel: every Nix command run, with its duration and exit code.',
  'pplNix.addExampleModel':
    'Writes a Bayesian linear regression for a PPL in the environment to `examples/` (never over your file without asking) and opens it.',
  'pplNix.runExample': "Runs the Python file with the environment's python, in a terminal inside its nix-shell.",
  'pplNix.checkNix': 'Looks for `nix-shell` and `nix` again (pplNix.nixBinDir, then PATH) and says where they are, or what to do.',
};

/** Where a menu puts a command, for readers (the menu id when it is not listed). */
const MENU_PLACES = {
  'explorer/context': 'Explorer context menu',
  'editor/title': 'editor title bar',
  'editor/title/context': 'editor tab context menu',
  'editor/context': 'editor context menu',
};

/** When clauses a reader understands, by their text in package.json. */
const WHEN_TEXT = {
  'resourceExtname == .nix': 'on `.nix` files',
  'resourceExtname == .nix && isWorkspaceTrusted': 'on `.nix` files, trusted workspaces',
  'editorLangId == python': 'in Python editors',
  isWorkspaceTrusted: 'trusted workspaces only',
};

const escapeCell = (text) =>
  String(text)
    .replace(/\r?\n+/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();

function whenText(when) {
  if (when === undefined) return '';
  if (WHEN_TEXT[when] !== undefined) return WHEN_TEXT[when];
  if (/^resourceLangId == python\b/.test(when)) return 'on Python files under `examples/`, or any when an environment is applied';
  return `when \`${when}\``;
}

export function commandsTable(manifest) {
  const contributes = manifest.contributes ?? {};
  const menus = contributes.menus ?? {};
  const missing = [];
  const rows = (contributes.commands ?? []).map((command) => {
    const help = COMMAND_HELP[command.command];
    if (help === undefined) missing.push(command.command);
    const palette = (menus.commandPalette ?? []).find((m) => m.command === command.command);
    const places = [palette?.when === 'false' ? undefined : `Command palette${palette?.when ? ` (${whenText(palette.when)})` : ''}`];
    for (const [menu, items] of Object.entries(menus)) {
      if (menu === 'commandPalette') continue;
      for (const item of items.filter((i) => i.command === command.command)) {
        places.push(`${MENU_PLACES[menu] ?? menu}${item.when ? ` (${whenText(item.when)})` : ''}`);
      }
    }
    const needs = command.enablement ? whenText(command.enablement) : '';
    return `| **${escapeCell(`${command.category ? `${command.category}: ` : ''}${command.title}`)}** | \`${command.command}\` | ${escapeCell(help ?? '')} | ${escapeCell(places.filter(Boolean).join('; '))}${needs ? `; ${needs}` : ''} |`;
  });
  if (missing.length > 0) throw new Error(`scripts/readme-tables.mjs: say what ${missing.join(', ')} does(do) in COMMAND_HELP`);
  return ['| Command | Id | What it does | Where |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** A setting's description for a table cell: setting links (#pplNix.x#) become code. */
const describe = (text) => escapeCell(String(text ?? '').replace(/`?#(pplNix\.[A-Za-z]+)#`?/g, '`$1`'));

function defaultText(value) {
  if (value === undefined) return '';
  return `\`${JSON.stringify(value)}\``;
}

export function settingsTable(manifest) {
  const properties = manifest.contributes?.configuration?.properties ?? {};
  const restricted = new Set(manifest.capabilities?.untrustedWorkspaces?.restrictedConfigurations ?? []);
  const rows = Object.entries(properties).map(([key, schema]) => {
    const values = schema.enum
      ? ` Values: ${schema.enum.map((v, i) => `\`${v}\`${schema.enumDescriptions?.[i] ? ` (${schema.enumDescriptions[i].replace(/\.$/, '')})` : ''}`).join('; ')}.`
      : '';
    const trust =
      restricted.has(key) && !/Restricted Mode/.test(schema.markdownDescription ?? schema.description ?? '')
        ? ' Ignored in Restricted Mode.'
        : '';
    return `| \`${key}\` | ${escapeCell(defaultText(schema.default))} | ${describe(`${schema.markdownDescription ?? schema.description ?? ''}${values}${trust}`)} |`;
  });
  return ['| Setting | Default | What it does |', '| --- | --- | --- |', ...rows].join('\n');
}

const MARK = (name) => ({
  begin: `<!-- ${name}:begin (generated from package.json by node scripts/readme-tables.mjs; do not edit by hand) -->`,
  end: `<!-- ${name}:end -->`,
});

/** The README with both tables replaced; throws when a marker is missing. */
export function withTables(readme, manifest) {
  let text = readme;
  for (const [name, table] of [
    ['commands', commandsTable(manifest)],
    ['settings', settingsTable(manifest)],
  ]) {
    const { begin, end } = MARK(name);
    const start = text.search(new RegExp(`<!-- ${name}:begin[^\\n]*-->`));
    const stop = text.indexOf(end);
    if (start < 0 || stop < start) throw new Error(`README.md has no ${begin} … ${end} markers`);
    text = `${text.slice(0, start)}${begin}\n${table}\n${text.slice(stop)}`;
  }
  return text;
}

function main() {
  const { values } = parseArgs({
    options: {
      check: { type: 'boolean', default: false },
      readme: { type: 'string', default: join(root, 'README.md') },
      manifest: { type: 'string', default: join(root, 'package.json') },
    },
  });
  const readme = readFileSync(values.readme, 'utf8');
  const manifest = JSON.parse(readFileSync(values.manifest, 'utf8'));
  const next = withTables(readme, manifest);
  if (values.check) {
    if (next === readme) return console.log('[readme-tables] README.md matches package.json');
    const drifted = ['commands', 'settings'].filter((name) => {
      const part = (text) => text.slice(text.search(new RegExp(`<!-- ${name}:begin`)), text.indexOf(MARK(name).end));
      return part(next) !== part(readme);
    });
    console.error(
      `[readme-tables] README.md's ${drifted.join(' and ')} table(s) differ from package.json: run node scripts/readme-tables.mjs`,
    );
    process.exitCode = 1;
    return;
  }
  if (next !== readme) writeFileSync(values.readme, next);
  console.log(`[readme-tables] ${next === readme ? 'README.md was up to date' : 'wrote the tables in README.md'}`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) main();
