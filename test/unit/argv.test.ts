import { strict as assert } from 'node:assert';
import * as argv from '../../src/core/nix/argv';

describe('argv builders', () => {
  it('builds nix print-dev-env with nix-command enabled for this call only', () => {
    assert.deepEqual(argv.printDevEnv('/w/shell.nix'), {
      command: 'nix',
      args: ['--extra-experimental-features', 'nix-command', 'print-dev-env', '--json', '--file', '/w/shell.nix'],
    });
  });

  it('captures with nix-shell using a constant script framed by a NUL marker', () => {
    const built = argv.nixShellCapture('/w/shell.nix');
    assert.deepEqual(built.args.slice(0, 2), ['/w/shell.nix', '--run']);
    assert.equal(built.args[2], argv.CAPTURE_SCRIPT);
    assert.match(argv.CAPTURE_SCRIPT, /env -0$/);
  });

  it('roots the shell derivation and realised paths for the garbage collector', () => {
    assert.deepEqual(argv.instantiateWithRoot('/w/shell.nix', '/w/.ppl-nix/gc/shell.drv').args, [
      '/w/shell.nix',
      '--add-root',
      '/w/.ppl-nix/gc/shell.drv',
      '--indirect',
    ]);
    assert.throws(() => argv.realiseWithRoot(['/tmp/not-a-store-path'], '/w/root'));
  });

  it('never lets a file name be read as an option', () => {
    assert.throws(() => argv.nixShellCapture('--option'), /absolute path/);
    assert.throws(() => argv.parseOnly('shell.nix'), /absolute path/);
  });

  it('prefetches only valid pin URLs', () => {
    assert.deepEqual(argv.prefetchTarball('file:///tmp/n.tar.gz').args, ['--unpack', '--type', 'sha256', 'file:///tmp/n.tar.gz']);
    assert.throws(() => argv.prefetchTarball('--help'), /https:\/\/ or file:\/\//);
  });

  it('reads the Nix version and knows when print-dev-env exists', () => {
    assert.deepEqual(argv.parseNixVersion('nix (Nix) 2.8.0\n'), [2, 8, 0]);
    assert.ok(argv.supportsPrintDevEnv([2, 4, 0]));
    assert.ok(!argv.supportsPrintDevEnv([2, 3, 16]));
    assert.equal(argv.parseNixVersion('garbage'), undefined);
  });
});

describe('argv for flakes', () => {
  it("enters a flake's default devShell by its directory, never writing a lock file", () => {
    assert.ok(argv.isFlake('/w/flake.nix'));
    assert.ok(!argv.isFlake('/w/shell.nix'));
    assert.deepEqual(argv.printDevEnvFlake('/w/flake.nix').args, [
      '--extra-experimental-features',
      'nix-command flakes',
      'print-dev-env',
      '--json',
      '--no-write-lock-file',
      'path:/w',
    ]);
    assert.deepEqual(argv.interactiveShell('/w/flake.nix'), {
      command: 'nix',
      args: ['--extra-experimental-features', 'nix-command flakes', 'develop', '--no-write-lock-file', 'path:/w'],
    });
    assert.deepEqual(argv.interactiveShell('/w/shell.nix'), { command: 'nix-shell', args: ['/w/shell.nix'] });
  });

  it('enters a named devShell as path:DIR#name, validated; the default stays path:DIR (Nix then also finds a legacy devShell)', () => {
    assert.equal(argv.printDevEnvFlake('/w/flake.nix', 'gpu').args.at(-1), 'path:/w#gpu');
    assert.equal(argv.interactiveShell('/w/flake.nix', 'gpu').args.at(-1), 'path:/w#gpu');
    assert.ok(argv.interactiveShell('/w/flake.nix', 'gpu').args.includes('--no-write-lock-file'));
    for (const bad of ['default', 'a.b', 'x#y', '"q"', '--impure', 'with', '', 'a b', "it's"]) {
      assert.throws(() => argv.printDevEnvFlake('/w/flake.nix', bad), Error, bad);
    }
    assert.throws(() => argv.printDevEnvFlake('/w/c#d/flake.nix'), /\? or #/);
  });

  it("asks Nix for a flake's devShell names for one system, bounded to that attribute set", () => {
    assert.deepEqual(argv.flakeDevShellNames('/w/flake.nix', 'x86_64-linux').args, [
      '--extra-experimental-features',
      'nix-command flakes',
      'eval',
      '--json',
      '--no-write-lock-file',
      'path:/w#devShells.x86_64-linux',
      '--apply',
      'builtins.attrNames',
    ]);
    assert.throws(() => argv.flakeDevShellNames('/w/flake.nix', 'x86_64-linux; rm'), /not a Nix system/);
  });
});
