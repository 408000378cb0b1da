import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  binDirProblem,
  classifyBinDirSetting,
  decidePresence,
  nixMissingView,
  nixNotFoundSentence,
  nixSearchDirs,
  statusWithNix,
  type NixPresence,
} from '../../src/core/enter/nixPresence';
import { statusView, type ActiveEnv } from '../../src/core/enter/status';
import { probeNix } from '../../src/host/nixProbe';

const ENV: ActiveEnv = { name: 'bayes', file: 'shell.nix', pythonVersion: '3.12', fromCache: true };
const MISSING: Extract<NixPresence, { kind: 'missing' }> = { kind: 'missing', searched: ['/usr/local/bin', '/usr/bin', '/bin'] };

describe('is Nix there (pure part)', () => {
  it('looks in pplNix.nixBinDir first, then in the absolute folders of PATH, each once', () => {
    assert.deepEqual(nixSearchDirs('/nix/var/nix/profiles/default/bin/', '/usr/bin:relative:/bin::/usr/bin'), [
      '/nix/var/nix/profiles/default/bin',
      '/usr/bin',
      '/bin',
    ]);
    assert.deepEqual(nixSearchDirs('', '/usr/bin'), ['/usr/bin']);
    assert.deepEqual(nixSearchDirs('~/.nix-profile/bin', '/usr/bin'), ['/usr/bin'], 'a relative setting finds nothing');
  });

  it('says what is wrong with pplNix.nixBinDir, and nothing when it is unset or right', () => {
    assert.equal(classifyBinDirSetting(''), 'unset');
    assert.equal(classifyBinDirSetting('   '), 'blank');
    assert.equal(classifyBinDirSetting('~/.nix-profile/bin'), 'relative');
    assert.equal(classifyBinDirSetting('/nix/bin'), 'absolute');
    assert.equal(binDirProblem({ setting: '', kind: 'unset' }), undefined);
    assert.equal(binDirProblem({ setting: '/x', kind: 'ok' }), undefined);
    assert.match(binDirProblem({ setting: '  ', kind: 'blank' })!, /blank/);
    assert.match(binDirProblem({ setting: '~/.nix-profile/bin', kind: 'relative' })!, /not an absolute path/);
    assert.match(
      binDirProblem({ setting: '/nope', kind: 'missing' })!,
      /"\/nope", which does not exist.*\/nix\/var\/nix\/profiles\/default\/bin/,
    );
    assert.match(binDirProblem({ setting: '/etc/hosts', kind: 'notDirectory' })!, /not a folder/);
    assert.match(binDirProblem({ setting: '/tmp', kind: 'noNix' })!, /holds no nix-shell or nix/);
  });

  it('finds Nix when nix-shell or nix is there, keeping a nixBinDir problem to warn about', () => {
    const found = decidePresence({
      binDir: { setting: '/nope', kind: 'missing' },
      found: { 'nix-shell': '/usr/bin/nix-shell' },
      searched: ['/usr/bin'],
    });
    assert.equal(found.kind, 'found');
    assert.ok(
      found.kind === 'found' && found.commands['nix-shell'] === '/usr/bin/nix-shell' && /does not exist/.test(found.binDirProblem ?? ''),
    );
    const missing = decidePresence({ binDir: { setting: '', kind: 'unset' }, found: {}, searched: ['/usr/bin'] });
    assert.deepEqual(missing, { kind: 'missing', searched: ['/usr/bin'] });
  });

  it('never claims Nix 2.4 is needed: nix-shell works on any Nix, only flakes need 2.4', () => {
    const sentence = nixNotFoundSentence('nix-shell');
    assert.doesNotMatch(sentence, /2\.4/);
    assert.match(sentence, /https:\/\/nixos\.org\/download/);
    assert.match(sentence, /pplNix\.nixBinDir/);
    assert.match(sentence, /Creating shell\.nix files works without Nix/);
  });

  it('shows "Nix not found" with what to do, instead of "active" on a warm start from the cache', () => {
    const active = statusWithNix({ kind: 'active', env: ENV }, MISSING, statusView({ kind: 'active', env: ENV }));
    assert.equal(active.text, '$(warning) Nix not found');
    assert.match(active.tooltip, /Install Nix: https:\/\/nixos\.org\/download/);
    assert.match(active.tooltip, /pplNix\.nixBinDir/);
    assert.match(active.tooltip, /New terminals still get bayes as it was entered before \(from the cache\)/);
    assert.match(active.tooltip, /Install Nix, Set Nix folder, Check again, Show Log/);
    assert.doesNotMatch(active.tooltip, /2\.4/);
    assert.equal(active.severity, 'warning', 'the cached environment still works');
    const none = nixMissingView({ kind: 'none' }, { ...MISSING, binDirProblem: 'pplNix.nixBinDir is "/nope", which does not exist' });
    assert.equal(none.severity, 'error');
    assert.doesNotMatch(none.tooltip, /New terminals still get/);
    assert.match(none.tooltip, /"\/nope", which does not exist[\s\S]*Looked in: \/usr\/local\/bin, \/usr\/bin, \/bin/);
  });

  it('leaves Restricted Mode, "disabled" and a found Nix to the environment state', () => {
    for (const state of [{ kind: 'untrusted' }, { kind: 'disabled' }] as const) {
      assert.deepEqual(statusWithNix(state, MISSING, statusView(state)), statusView(state));
    }
    const found: NixPresence = { kind: 'found', commands: { nix: '/usr/bin/nix' } };
    assert.deepEqual(
      statusWithNix({ kind: 'active', env: ENV }, found, statusView({ kind: 'active', env: ENV })),
      statusView({ kind: 'active', env: ENV }),
    );
  });
});

describe('is Nix there (the stat-only probe)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ppl-nix-probe-'));
    mkdirSync(join(dir, 'bin'));
    mkdirSync(join(dir, 'empty'));
    mkdirSync(join(dir, 'nix-shell-is-a-folder', 'nix-shell'), { recursive: true });
    writeFileSync(join(dir, 'bin', 'nix-shell'), '#!/bin/sh\n');
    chmodSync(join(dir, 'bin', 'nix-shell'), 0o755);
    writeFileSync(join(dir, 'empty', 'nix'), 'not executable\n');
    writeFileSync(join(dir, 'file'), '');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finds an executable nix-shell through nixBinDir or PATH, never a folder or a file without x', () => {
    const viaSetting = probeNix(join(dir, 'bin'), `${join(dir, 'empty')}:${join(dir, 'nix-shell-is-a-folder')}`);
    assert.deepEqual(viaSetting.found, { 'nix-shell': join(dir, 'bin', 'nix-shell') });
    assert.equal(viaSetting.binDir.kind, 'ok');
    const viaPath = probeNix('', `${join(dir, 'empty')}:${join(dir, 'bin')}`);
    assert.deepEqual(viaPath.found, { 'nix-shell': join(dir, 'bin', 'nix-shell') });
    assert.equal(viaPath.binDir.kind, 'unset');
    const none = probeNix('', `${join(dir, 'empty')}:${join(dir, 'nix-shell-is-a-folder')}`);
    assert.deepEqual(none.found, {});
    assert.equal(decidePresence(none).kind, 'missing');
  });

  it('tells a missing nixBinDir from a file, a folder without Nix, and a relative path', () => {
    assert.equal(probeNix(join(dir, 'nope'), '').binDir.kind, 'missing');
    assert.equal(probeNix(join(dir, 'file'), '').binDir.kind, 'notDirectory');
    assert.equal(probeNix(join(dir, 'empty'), '').binDir.kind, 'noNix');
    assert.equal(probeNix('bin', '').binDir.kind, 'relative');
    assert.equal(probeNix('  ', '').binDir.kind, 'blank');
  });
});
