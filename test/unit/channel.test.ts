import { strict as assert } from 'node:assert';
import type { PinProbe } from '../../src/core/pins/probe';
import {
  channelPin,
  checkChannel,
  describeChange,
  gitRevisionUrl,
  isBreaking,
  parseGitRevision,
  pinChanges,
  tarballUrl,
} from '../../src/core/pins/channel';
import { parseWebviewMessage } from '../../src/core/picker/protocol';

const REV = '3e41b24abd260e8f71dbe2f5737d24122f972158';

describe('updating a pin: channels, revisions, tarball URLs', () => {
  it('reads a channel revision from <base>/<channel>/git-revision, for channels.nixos.org or a mirror', () => {
    assert.equal(gitRevisionUrl('https://channels.nixos.org', 'nixos-25.05'), 'https://channels.nixos.org/nixos-25.05/git-revision');
    assert.equal(gitRevisionUrl('http://127.0.0.1:8123/', 'nixos-unstable'), 'http://127.0.0.1:8123/nixos-unstable/git-revision');
    assert.throws(() => gitRevisionUrl('http://example.org', 'nixos-25.05'), /https:\/\//);
    assert.throws(() => gitRevisionUrl('https://channels.nixos.org', '../etc'), /not a channel name/);
    assert.equal(checkChannel('nixos-25.05'), undefined);
    assert.equal(parseGitRevision(`${REV}\n`), REV);
    assert.equal(parseGitRevision('<html>404</html>'), undefined);
  });

  it('builds the tarball URL from a template and refuses templates that would not be a safe pin URL', () => {
    assert.equal(
      tarballUrl('https://github.com/NixOS/nixpkgs/archive/{rev}.tar.gz', REV),
      `https://github.com/NixOS/nixpkgs/archive/${REV}.tar.gz`,
    );
    assert.throws(() => tarballUrl('https://mirror/x.tar.gz', REV), /must contain \{rev\}/);
    assert.throws(() => tarballUrl('https://mirror/{rev}.tar.gz', 'main'), /not a nixpkgs revision/);
    assert.throws(() => tarballUrl('https://mirror/${x}/{rev}', REV), /braces/);
    assert.deepEqual(channelPin('nixos-25.05', REV, 'https://u', 'h'), {
      label: 'nixos-25.05 (3e41b24abd26)',
      url: 'https://u',
      sha256: 'h',
    });
  });

  it('says what changes for an environment: versions, packages that disappear or break, Python', () => {
    const before: PinProbe = {
      pythons: ['3.11', '3.12'],
      pythonVersion: '3.12.7',
      python: {
        pymc: { status: 'available', version: '5.19.1' },
        nutpie: { status: 'available', version: '0.13.2' },
        emcee: { status: 'available', version: '3.1.6' },
        arviz: { status: 'available', version: '0.20.0' },
        aesara: { status: 'broken' },
      },
      system: { cmdstan: { status: 'available', version: '2.36.0' } },
    };
    const after: PinProbe = {
      pythons: ['3.12', '3.13'],
      pythonVersion: '3.12.8',
      python: {
        pymc: { status: 'available', version: '5.20.0' },
        nutpie: { status: 'missing' },
        emcee: { status: 'broken', version: '3.1.6' },
        arviz: { status: 'available', version: '0.20.0' },
        aesara: { status: 'throws', message: 'aesara was removed' },
      },
      system: { cmdstan: { status: 'available', version: '2.36.0' } },
    };
    const changes = pinChanges(before, after, '3.12').map(describeChange);
    assert.deepEqual(changes, [
      'python 3.12: 3.12.7 → 3.12.8',
      'aesara is not available at the new pin: aesara was removed',
      'emcee is marked broken at the new pin',
      'nutpie is not available at the new pin',
      'pymc: 5.19.1 → 5.20.0',
    ]);
    assert.equal(pinChanges(before, after, '3.12').filter(isBreaking).length, 3);
    assert.match(
      describeChange(pinChanges(before, { pythons: after.pythons, python: after.python, system: after.system }, '3.12')[0]!),
      /Python 3\.12 is not offered \(the new pin has 3\.12, 3\.13\)/,
    );
  });

  it('the picker may ask for a check only with a pin label and a Python version', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'checkAvailability', pin: 'fixture', python: '3.12' }), {
      type: 'checkAvailability',
      pin: 'fixture',
      python: '3.12',
    });
    assert.equal(parseWebviewMessage({ type: 'checkAvailability', pin: 'fixture', python: '3.12; rm' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'checkAvailability', pin: 42, python: '3.12' }), undefined);
  });
});
