import { strict as assert } from 'node:assert';
import {
  defaultPin,
  HISTORICAL_PINS,
  isBranchTarball,
  parseCustomPins,
  pinForHash,
  revisionOf,
  SHIPPED_PINS,
} from '../../src/core/pins/pins';

describe('nixpkgs pins', () => {
  it('ships only exact revisions with a 52-character base-32 sha256', () => {
    assert.ok(SHIPPED_PINS.length >= 8);
    for (const pin of SHIPPED_PINS) {
      assert.match(pin.url, /^https:\/\/github\.com\/NixOS\/nixpkgs\/archive\/[0-9a-f]{40}\.tar\.gz$/, pin.label);
      assert.match(pin.sha256, /^[0123456789abcdfghijklmnpqrsvwxyz]{52}$/, pin.label);
      assert.equal(revisionOf(pin.url), pin.rev, pin.label);
      assert.ok(pin.pythons.length > 0, `${pin.label} lists its Python versions`);
      assert.ok(
        pin.preferredPython !== undefined && pin.pythons.includes(pin.preferredPython),
        `${pin.label} preselects a Python it offers`,
      );
      if (pin.defaultPython !== undefined)
        assert.equal(pin.preferredPython, pin.defaultPython, `${pin.label}: nixpkgs' default is preselected`);
    }
    const labels = SHIPPED_PINS.map((pin) => pin.label);
    assert.equal(new Set(labels).size, labels.length, 'labels are unique');
  });

  it('lists pins newest first and defaults to the newest stable release, never unstable', () => {
    const dates = SHIPPED_PINS.map((pin) => pin.date ?? '');
    assert.deepEqual(dates, [...dates].sort().reverse());
    const pin = defaultPin();
    assert.equal(pin.branch, 'nixos-26.05');
    assert.equal(pin.rev, 'a0374025a863d007d98e3297f6aa46cc3141c2f0');
  });

  it('recognises the 2022 post hash as the nixpkgs-unstable revision of 2022-03-25', () => {
    const pin = pinForHash('0x5j9q1vi00c6kavnjlrwl3yy1xs60c34pkygm49dld2sgws7n0a');
    assert.equal(pin?.rev, '30d3d79b7d3607d56546dd2a6b49e156ba0ec634');
    assert.equal(pin?.origin, 'historical');
    assert.ok(HISTORICAL_PINS.every((p) => !SHIPPED_PINS.includes(p)));
  });

  it('tells a moving branch tarball from a pinned revision', () => {
    assert.ok(isBranchTarball('https://github.com/NixOS/nixpkgs/archive/nixpkgs-unstable.tar.gz'));
    assert.ok(!isBranchTarball('https://github.com/NixOS/nixpkgs/archive/30d3d79b7d3607d56546dd2a6b49e156ba0ec634.tar.gz'));
  });

  it('reads custom pins from the setting and reports each malformed entry', () => {
    const good = {
      label: 'fixture',
      url: 'file:///tmp/nixpkgs.tar.gz',
      sha256: '1jvflnbrxa8gjxkwjq6kdpdzgwp0hs59h9l3xjasksv0v7xlwykz',
      pythons: ['3.12'],
    };
    const result = parseCustomPins([good, { label: 'bad', url: 'http://x', sha256: good.sha256 }, { label: 'nohash', url: good.url }, 42]);
    assert.equal(result.pins.length, 1);
    assert.deepEqual(result.pins[0]?.pythons, ['3.12']);
    assert.equal(result.pins[0]?.origin, 'custom');
    assert.deepEqual(
      result.problems.map((p) => p.index),
      [1, 2, 3],
    );
    assert.match(result.problems[0]?.message ?? '', /customPins\[1\]: url/);
    assert.match(parseCustomPins({}).problems[0]?.message ?? '', /must be a list/);
    assert.equal(parseCustomPins([good, good]).problems.length, 1, 'duplicate labels are reported');
  });
});
