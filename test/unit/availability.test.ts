import { strict as assert } from 'node:assert';
import {
  probeExpression,
  describe as describeEntry,
  nixString,
  parseProbe,
  parseThrowMessage,
  throwMessageExpression,
  withThrowMessage,
} from '../../src/core/pins/probe';
import { checkReport, checkTargetOf } from '../../src/core/pins/check';

const pin = {
  label: 'p',
  url: 'https://github.com/NixOS/nixpkgs/archive/32a4e87942101f1c9f9865e04dc3ddb175f5f32e.tar.gz',
  sha256: '1jvflnbrxa8gjxkwjq6kdpdzgwp0hs59h9l3xjasksv0v7xlwykz',
};
const query = { pin, python: '3.12', pythonPackages: ['pymc', 'pyro-ppl'], systemPackages: ['cmdstan', 'llvmPackages.clang'] };

describe('availability at a pin: the expression and its output', () => {
  it('builds one expression naming the pin, the Python and every package, with an empty nixpkgs config', () => {
    const expr = probeExpression(query);
    assert.ok(expr.includes(`url = "${pin.url}"; sha256 = "${pin.sha256}";`));
    assert.ok(expr.includes('{ config = { }; overlays = [ ]; }'), 'user config (allowBroken) cannot change the answer');
    assert.ok(expr.includes('pkgs.python312.pkgs'));
    assert.ok(expr.includes('[ "pymc" "pyro-ppl" ]') && expr.includes('[ "cmdstan" "llvmPackages.clang" ]'));
  });

  it('refuses names, versions and pins that are not valid before any Nix text is built', () => {
    assert.throws(() => probeExpression({ ...query, pythonPackages: ['x"; builtins.exec'] }), /not a Nix attribute name/);
    assert.throws(() => probeExpression({ ...query, python: '3.12; rm' }), /not a Python version/);
    assert.throws(() => probeExpression({ ...query, pin: { ...pin, url: 'https://x/${y}' } }), /braces/);
    assert.throws(() => throwMessageExpression(pin, '3.12', 'a b'), /not a Nix attribute name/);
    assert.equal(nixString('a"b$c\\'), '"a\\"b\\$c\\\\"');
  });

  it('parses the output, sorting Pythons and keeping only promised entries', () => {
    const out = JSON.stringify({
      pythons: ['python313', 'python311', 'python312'],
      pythonVersion: '3.12.7',
      python: { pymc: { status: 'available', version: '5.19.1' }, 'pyro-ppl': { status: 'throws', version: null } },
      system: { cmdstan: { status: 'broken', version: '2.36.0' }, 'llvmPackages.clang': { status: 'missing' } },
    });
    const parsed = parseProbe(out, query);
    assert.deepEqual(parsed.pythons, ['3.11', '3.12', '3.13']);
    assert.deepEqual(parsed.python['pyro-ppl'], { status: 'throws' });
    assert.deepEqual(parsed.system['cmdstan'], { status: 'broken', version: '2.36.0' });
    assert.throws(() => parseProbe(JSON.stringify({ pythons: [], python: {}, system: {} }), query), /no valid entry for pymc/);
  });

  it('takes a throw message from Nix 2.8 stderr, else from what PPL Nix knows about renamed packages', () => {
    assert.equal(
      parseThrowMessage(
        "error: 'pymc3' has been renamed to/replaced by 'pymc'\n(use '--show-trace' to show detailed location information)\n",
      ),
      "'pymc3' has been renamed to/replaced by 'pymc'",
    );
    assert.match(withThrowMessage({ status: 'throws' }, 'theano', undefined).message ?? '', /PyTensor/);
    assert.equal(describeEntry('pymc3', { status: 'throws', message: 'gone' }), 'pymc3 is not available at this pin: gone');
  });
});

describe('ppl-nix check: what a file asks for, and the verdict', () => {
  it('fails an environment whose Python or packages are not available, naming them', () => {
    const text =
      'let nixpkgs = fetchTarball { url = "https://example.org/n.tar.gz"; sha256 = "1jvflnbrxa8gjxkwjq6kdpdzgwp0hs59h9l3xjasksv0v7xlwykz"; }; pkgs = import nixpkgs {}; python = pkgs.python312.withPackages (ps: [ ps.pymc ps.aesara ]); in pkgs.mkShell { packages = [ python pkgs.cmdstan ]; }';
    const target = checkTargetOf(text);
    assert.ok(!('reason' in target));
    assert.deepEqual([target.python, target.pythonPackages, target.systemPackages], ['3.12', ['pymc', 'aesara'], ['cmdstan']]);
    const report = checkReport(target, {
      pythons: ['3.12'],
      pythonVersion: '3.12.7',
      python: { pymc: { status: 'available', version: '5' }, aesara: { status: 'broken' } },
      system: { cmdstan: { status: 'available' } },
    });
    assert.equal(report.ok, false);
    assert.deepEqual(report.unavailable, ['aesara']);
    assert.ok(report.lines.some((l) => /BROKEN\s+aesara is marked broken/.test(l)));
    const noPython = checkReport(target, { pythons: ['3.13'], python: {}, system: { cmdstan: { status: 'available' } } });
    assert.deepEqual(noPython.unavailable, ['python3.12']);
  });
});
