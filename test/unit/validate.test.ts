import { strict as assert } from 'node:assert';
import {
  checkAttributeName,
  checkAttributePath,
  checkEnvName,
  checkPinUrl,
  checkSha256,
  pythonAttribute,
  toEnvName,
} from '../../src/core/spec/validate';

describe('validation of everything that reaches a Nix file', () => {
  it('accepts nixpkgs attribute names as they are spelled', () => {
    for (const name of ['pymc', 'pyro-ppl', 'tensorflow-probability', 'python312', "foo'", '_private']) {
      assert.equal(checkAttributeName(name), undefined, name);
    }
  });

  it('refuses names that would change the meaning of the Nix file', () => {
    for (const name of ['', '1abc', '-x', 'a b', 'a;b', 'a}', '${x}', 'a"b', 'import ./evil.nix', 'x.y']) {
      assert.ok(checkAttributeName(name), `should refuse ${JSON.stringify(name)}`);
    }
    assert.match(checkAttributeName('with') ?? '', /keyword/);
  });

  it('accepts dotted top-level paths for system packages only segment by segment', () => {
    assert.equal(checkAttributePath('llvmPackages_17.clang'), undefined);
    assert.ok(checkAttributePath('a..b'));
    assert.ok(checkAttributePath('a.in'));
  });

  it('accepts a 52-character Nix base-32 sha256 and explains the SRI form', () => {
    assert.equal(checkSha256('1jvflnbrxa8gjxkwjq6kdpdzgwp0hs59h9l3xjasksv0v7xlwykz'), undefined);
    assert.match(checkSha256('sha256-f3pO+9lg66mV7IMmmIqG4PL3223TYMlnlw+pnpelbss=') ?? '', /SRI/);
    assert.ok(checkSha256('1jvflnbrxa8gjxkwjq6kdpdzgwp0hs59h9l3xjasksv0v7xlwyke'), 'e is not in the Nix alphabet');
    assert.ok(checkSha256('abc'));
  });

  it('accepts https and file pin URLs and nothing that breaks out of a Nix string', () => {
    assert.equal(checkPinUrl('https://github.com/NixOS/nixpkgs/archive/32a4e87942101f1c9f9865e04dc3ddb175f5f32e.tar.gz'), undefined);
    assert.equal(checkPinUrl('file:///tmp/nixpkgs.tar.gz'), undefined);
    assert.match(checkPinUrl('http://example.org/x.tar.gz') ?? '', /https:\/\/ or file:\/\//);
    for (const url of ['https://x/"; builtins.exec', 'https://x/${pkgs}', 'https://x/a b', 'file:///x\\y', 'https://x/`id`']) {
      assert.ok(checkPinUrl(url), url);
    }
  });

  it('names environments safely and derives a name from any folder name', () => {
    assert.equal(checkEnvName('my-analysis_2'), undefined);
    assert.ok(checkEnvName('my analysis'));
    assert.ok(checkEnvName('.hidden'));
    assert.equal(toEnvName('My Analysis (2024)!'), 'my-analysis-2024');
    assert.equal(toEnvName('---'), 'ppl-env');
    assert.equal(checkEnvName(toEnvName('Ünïcode  Ordner')), undefined);
  });

  it('maps Python versions to nixpkgs interpreter attributes', () => {
    assert.equal(pythonAttribute('3.12'), 'python312');
    assert.equal(pythonAttribute('3.9'), 'python39');
    assert.equal(pythonAttribute('2.7'), undefined);
    assert.equal(pythonAttribute('3.12; rm -rf'), undefined);
  });
});
