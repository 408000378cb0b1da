// The shell.nix language server's logic: reading pins, Python attributes and package lists
// out of real files, and the diagnostics, quick fixes, completions and hovers built on them.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { completions, diagnose, hover, type Finding, type Fix, type TextEdit } from '../../src/core/shellNix/assist';
import { parseNixDocument } from '../../src/core/shellNix/document';

const root = join(__dirname, '../../..');
const TWEAG = readFileSync(join(root, 'test/fixtures/tweag-2022/shell.nix'), 'utf8');
const PYMC = readFileSync(join(root, 'test/unit/golden/pymc.nix'), 'utf8');
const NIXOS_2311 = {
  url: 'https://github.com/NixOS/nixpkgs/archive/614b4613980a522ba49f0d194531beddbb7220d3.tar.gz',
  sha256: '1kipdjdjcd1brm5a9lzlhffrgyid0byaqwfnpzlmw3q825z7nj6w',
};

function apply(text: string, edits: readonly TextEdit[]): string {
  return [...edits]
    .sort((a, b) => b.start - a.start)
    .reduce((out, edit) => out.slice(0, edit.start) + edit.newText + out.slice(edit.end), text);
}

function editsOf(fix: Fix | undefined): readonly TextEdit[] {
  assert.ok(fix !== undefined && 'edits' in fix, 'an editing fix');
  return fix.edits;
}

const byCode = (findings: readonly Finding[], code: Finding['code']): Finding[] => findings.filter((f) => f.code === code);
const textOf = (text: string, f: { start: number; end: number }): string => text.slice(f.start, f.end);
/** pymc.nix with other packages in its list. */
const pymcWith = (...names: string[]): string => PYMC.replace('    pymc\n', `    pymc\n${names.map((n) => `    ${n}\n`).join('')}`);

describe('shell.nix reading', () => {
  it('reads the Tweag 2022 file: branch pin, python39, three packages', () => {
    const doc = parseNixDocument(TWEAG);
    assert.equal(doc.pin.url?.value, 'https://github.com/NixOS/nixpkgs/archive/nixpkgs-unstable.tar.gz');
    assert.equal(doc.pin.sha256?.value, '0x5j9q1vi00c6kavnjlrwl3yy1xs60c34pkygm49dld2sgws7n0a');
    assert.equal(textOf(TWEAG, doc.pin.sha256!), doc.pin.sha256?.value);
    assert.deepEqual(
      doc.pythons.map((p) => [p.attr, p.version, textOf(TWEAG, p)]),
      [['python39', '3.9', 'python39']],
    );
    assert.deepEqual(
      doc.packages.map((p) => [p.name, p.form, textOf(TWEAG, p)]),
      [
        ['pymc3', 'bare', 'pymc3'],
        ['theano', 'bare', 'theano'],
        ['arviz', 'bare', 'arviz'],
      ],
    );
  });

  it('reads a generated file: comments in the list are not packages; ps.name forms are', () => {
    const doc = parseNixDocument(PYMC);
    assert.deepEqual(
      doc.packages.map((p) => p.name),
      ['pymc', 'arviz'],
    );
    assert.equal(doc.pythons[0]?.version, '3.12');
    const members = parseNixDocument('pkgs.python3.withPackages (ps: [ ps.numpy /* ps.gone */ ps.scipy ])');
    assert.deepEqual(
      members.packages.map((p) => [p.name, p.form]),
      [
        ['numpy', 'member'],
        ['scipy', 'member'],
      ],
    );
    assert.equal(members.pythons[0]?.version, undefined, 'python3 is the pin default');
  });
});

describe('shell.nix diagnostics and quick fixes', () => {
  it('the Tweag file: a branch tarball with a fixed hash, fixed by the exact revision of that hash', () => {
    const findings = diagnose(parseNixDocument(TWEAG));
    // At that 2022 revision python39, pymc3 and arviz existed and theano is not researched: no package warnings.
    assert.deepEqual(
      findings.map((f) => f.code),
      ['branch-tarball'],
    );
    const [branch] = findings;
    assert.equal(branch?.severity, 'warning');
    assert.match(branch?.message ?? '', /will break when the branch moves/);
    assert.equal(textOf(TWEAG, branch!), 'https://github.com/NixOS/nixpkgs/archive/nixpkgs-unstable.tar.gz');
    const fixed = apply(TWEAG, editsOf(branch?.fixes[0]));
    assert.ok(fixed.includes('url = "https://github.com/NixOS/nixpkgs/archive/30d3d79b7d3607d56546dd2a6b49e156ba0ec634.tar.gz";'));
    assert.deepEqual(diagnose(parseNixDocument(fixed)), [], 'the exact revision pin is clean');
    assert.ok(!branch?.fixes.some((fix) => 'command' in fix), 'no migrate link unless the command exists');
    const withMigrate = diagnose(parseNixDocument(TWEAG), { migrateCommand: 'pplNix.migrate', uri: 'file:///w/shell.nix' });
    assert.deepEqual(
      withMigrate[0]?.fixes.find((fix) => 'command' in fix),
      { title: 'Migrate this file with PPL Nix…', command: 'pplNix.migrate', args: ['file:///w/shell.nix'] },
    );
  });

  it('a package removed at the pin: a warning, "replace" for renamed ones, "remove" deletes its line', () => {
    const text = pymcWith('theano', 'aesara');
    const findings = byCode(diagnose(parseNixDocument(text)), 'unavailable-package');
    assert.deepEqual(
      findings.map((f) => textOf(text, f)),
      ['theano', 'aesara'],
    );
    assert.match(findings[0]!.message, /theano was removed before nixpkgs nixos-25\.05 \(2025-07-15\)\. .*PyTensor/);
    assert.equal(findings[0]!.fixes[0]?.title, 'Replace theano with pytensor');
    assert.equal(apply(text, editsOf(findings[0]!.fixes[0])), pymcWith('pytensor', 'aesara'));
    const remove = findings[1]!.fixes.find((fix) => fix.title === 'Remove aesara');
    assert.equal(apply(text, editsOf(remove)), pymcWith('theano'));
  });

  it('the replacement already listed: the fix removes the old name instead of duplicating', () => {
    const text = pymcWith('theano', 'pytensor');
    const [finding] = byCode(diagnose(parseNixDocument(text)), 'unavailable-package');
    assert.equal(finding?.fixes[0]?.title, 'Remove theano (pytensor is already listed)');
    assert.equal(apply(text, editsOf(finding?.fixes[0])), pymcWith('pytensor'));
  });

  it('one-line lists: removing keeps the other names', () => {
    const text = TWEAG.replace('0x5j9q1vi00c6kavnjlrwl3yy1xs60c34pkygm49dld2sgws7n0a', NIXOS_2311.sha256).replace(
      /url = "[^"]+"/,
      `url = "${NIXOS_2311.url}"`,
    );
    const [alias] = byCode(diagnose(parseNixDocument(text)), 'renamed-package');
    assert.equal(alias?.severity, 'information');
    assert.match(alias?.message ?? '', /pymc3 is only an alias at nixpkgs nixos-23\.11/);
    assert.ok(apply(text, editsOf(alias?.fixes[1])).includes('[ theano arviz ]'));
    assert.ok(apply(text, editsOf(alias?.fixes[0])).includes('[ pymc theano arviz ]'));
  });

  it('a Python version the pin does not offer, fixed with the pin default', () => {
    const text = PYMC.replace('python312', 'python39');
    const [finding] = byCode(diagnose(parseNixDocument(text)), 'unavailable-python');
    assert.match(
      finding?.message ?? '',
      /Python 3\.9 is not available at nixpkgs nixos-25\.05 \(2025-07-15\); it offers 3\.10, 3\.11, 3\.12, 3\.13\./,
    );
    assert.ok(apply(text, editsOf(finding?.fixes[0])).includes('pkgs.python312.withPackages'));
    assert.deepEqual(byCode(diagnose(parseNixDocument(PYMC)), 'unavailable-python'), [], 'python312 is fine there');
  });

  it('a malformed sha256 is an error; a custom pin falls back to what RENAMED knows', () => {
    const text = PYMC.replace('sha256 = "1jvflnbrxa8gjxkwjq6kdpdzgwp0hs59h9l3xjasksv0v7xlwykz"', 'sha256 = "sha256-AAAA"')
      .replace(/url = "[^"]+"/, 'url = "file:///srv/nixpkgs.tar.gz"')
      .replace('    pymc\n', '    pymc3\n');
    const findings = diagnose(parseNixDocument(text));
    const [hash] = byCode(findings, 'malformed-sha256');
    assert.equal(hash?.severity, 'error');
    assert.equal(textOf(text, hash!), 'sha256-AAAA');
    const [renamed] = byCode(findings, 'renamed-package');
    assert.match(renamed?.message ?? '', /pymc3 is now an alias of pymc/);
    assert.deepEqual(diagnose(parseNixDocument(PYMC)), [], 'a generated file is clean');
  });
});

describe('shell.nix completions and hovers', () => {
  it('offers catalog packages with descriptions inside the list, nothing outside it or in a comment', () => {
    const text = pymcWith('py');
    const offset = text.indexOf('    py\n') + 6;
    const items = completions(parseNixDocument(text), offset);
    const pymc = items.find((item) => item.label === 'pymc');
    assert.ok(pymc, 'pymc is offered');
    assert.match(pymc.documentation, /Bayesian modelling/);
    assert.match(pymc.detail, /PyMC — usable 5\.22\.0 at nixpkgs nixos-25\.05/);
    assert.deepEqual(textOf(text, pymc.replace), 'py', 'replaces the typed prefix');
    assert.ok(!items.some((item) => item.label === 'jupyterlab'), 'only names PPL Nix knows something about');
    assert.ok(!items.some((item) => item.label === 'aesara'), 'not what was removed at the pin');
    assert.ok(!items.some((item) => item.label === 'cmdstan'), 'not system packages');
    assert.deepEqual(completions(parseNixDocument(text), text.indexOf('pkgs.mkShell')), []);
    assert.deepEqual(completions(parseNixDocument(PYMC), PYMC.indexOf('# Probabilistic') + 5), []);
  });

  it('offers names after ps. and marks renamed ones deprecated', () => {
    const text = `let nixpkgs = fetchTarball { url = "${NIXOS_2311.url}"; sha256 = "${NIXOS_2311.sha256}"; }; in (import nixpkgs {}).python311.withPackages (ps: [ ps.pym ])`;
    const items = completions(parseNixDocument(text), text.indexOf('ps.pym') + 6);
    assert.deepEqual(textOf(text, items[0]!.replace), 'pym');
    assert.equal(items.find((item) => item.label === 'pymc3')?.deprecated, true);
    assert.equal(items.find((item) => item.label === 'aesara')?.deprecated, false, 'aesara still exists at 23.11');
  });

  it('hovers: description, homepage, status at the pin and notes', () => {
    const doc = parseNixDocument(TWEAG);
    const pymc3 = hover(doc, TWEAG.indexOf('pymc3') + 2);
    assert.match(pymc3?.markdown ?? '', /At nixpkgs nixpkgs-unstable \(2022-03-25\): usable, version 3\.11\.4/);
    assert.match(pymc3?.markdown ?? '', /pymc3 is now an alias of pymc/);
    const arviz = hover(parseNixDocument(PYMC), PYMC.indexOf('    arviz') + 5);
    assert.match(arviz?.markdown ?? '', /\*\*ArviZ\*\* `arviz`\n\nExploratory analysis of Bayesian models/);
    assert.match(arviz?.markdown ?? '', /\(https:\/\/python\.arviz\.org\)/);
    assert.match(
      hover(doc, TWEAG.indexOf('python39') + 1)?.markdown ?? '',
      /Python 3\.9.*\n\nAt nixpkgs nixpkgs-unstable \(2022-03-25\): available/,
    );
    assert.equal(hover(doc, TWEAG.indexOf('mkShell')), undefined);
  });
});
