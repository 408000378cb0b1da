import { strict as assert } from 'node:assert';
import { CATALOG, findEntry } from '../../src/core/catalog/catalog';
import { knownAt, packageWarning } from '../../src/core/catalog/facts';
import { HISTORICAL_PINS, SHIPPED_PINS, type Pin } from '../../src/core/pins/pins';

describe('catalog correctness at the shipped pins (availability.json)', () => {
  it('every catalog entry is researched at every shipped pin: present, or marked absent/removed/unknown there', () => {
    const gaps: string[] = [];
    for (const pin of [...SHIPPED_PINS, ...HISTORICAL_PINS]) {
      for (const entry of CATALOG) {
        const known = knownAt(pin.rev, entry.attr);
        if (known === undefined) gaps.push(`${entry.attr} at ${pin.label}`);
        else if (!['present', 'alias', 'absent', 'removed', 'unknown'].includes(known.status))
          gaps.push(`${entry.attr} at ${pin.label}: ${known.status}`);
      }
    }
    assert.deepEqual(gaps, []);
  });

  it('the picker warns "not available at this pin" for removed and absent packages at shipped pins, without evaluating', () => {
    const pin = (branch: string): Pin => SHIPPED_PINS.find((p) => p.branch === branch)!;
    assert.match(packageWarning(pin('nixos-25.05'), findEntry('aesara')!) ?? '', /^Not available at this pin: removed/);
    assert.match(packageWarning(pin('nixos-23.11'), findEntry('nutpie')!) ?? '', /^Not available at this pin: not yet packaged/);
    assert.equal(packageWarning(pin('nixos-25.05'), findEntry('pymc')!), undefined);
    for (const p of SHIPPED_PINS) {
      for (const entry of CATALOG) {
        const status = knownAt(p.rev, entry.attr)?.status;
        const warned = packageWarning(p, entry)?.startsWith('Not available at this pin') === true;
        assert.equal(warned, status === 'absent' || status === 'removed', `${entry.id} at ${p.label} (${status})`);
      }
    }
  });

  it('an evaluated answer wins over the researched one, and custom pins get no guesses', () => {
    const custom: Pin = { label: 'c', url: 'file:///x.tar.gz', sha256: 'x', pythons: [], origin: 'custom' };
    assert.equal(packageWarning(custom, findEntry('aesara')!), undefined);
    assert.match(
      packageWarning(custom, findEntry('aesara')!, { status: 'broken', version: '2.9.3' }) ?? '',
      /broken at this pin \(2\.9\.3\)/,
    );
    assert.match(
      packageWarning(custom, findEntry('pymc')!, { status: 'throws', message: 'renamed' }) ?? '',
      /Not available at this pin \(checked with Nix\): renamed/,
    );
  });
});
