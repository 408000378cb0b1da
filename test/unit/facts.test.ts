// The research behind every warning (data/packageFacts.json) holds only claims with NixOS/nixpkgs
// evidence; the compact tables the product ships are derived from it and never drift.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOG, findEntry } from '../../src/core/catalog/catalog';
import { compactFacts, compactRenames } from '../../src/core/catalog/compactFacts';
import { researchedPins } from '../../src/core/catalog/evidence';
import { markFromFacts, packageAt, packageMark, PACKAGE_STATES } from '../../src/core/catalog/facts';
import { HISTORICAL_PINS, SHIPPED_PINS, type Pin } from '../../src/core/pins/pins';
import { repoRoot } from '../nix/fixture';

const data = (name: string): string => join(repoRoot(), 'src/core/data', name);
const full = JSON.parse(readFileSync(data('packageFacts.json'), 'utf8'));
const pin = (branch: string, date?: string): Pin =>
  SHIPPED_PINS.find((p) => p.branch === branch && (date === undefined || p.date === date))!;

describe('the catalog research (packageFacts.json)', () => {
  it('every claim that is not "unknown" cites NixOS/nixpkgs (a PR, issue or commit, with its date); unknowns say what was tried', () => {
    const bad: string[] = [];
    for (const [rev, facts] of researchedPins()) {
      const claims = [
        ...Object.entries(facts.packages).map(([attr, fact]) => [`${attr}@${facts.branch}`, fact] as const),
        ...Object.entries(facts.pythons).map(([version, fact]) => [`python ${version}@${facts.branch}`, fact] as const),
      ];
      for (const [what, fact] of claims) {
        if (!PACKAGE_STATES.includes(fact.state as never) && !['usable', 'removed', 'absent', 'unknown'].includes(fact.state))
          bad.push(`${what}: state ${fact.state}`);
        if (fact.state === 'unknown') {
          if (!('note' in fact) || typeof fact.note !== 'string' || fact.note === '') bad.push(`${what}: unknown without a note`);
          continue;
        }
        if (fact.evidence.length === 0) bad.push(`${what}: no evidence`);
        for (const item of fact.evidence) {
          if (item.repo !== 'NixOS/nixpkgs') bad.push(`${what}: cites ${item.repo}`);
          if (item.pr === undefined && item.issue === undefined && item.commit === undefined)
            bad.push(`${what}: evidence without PR, issue or commit`);
          if (!/^\d{4}-\d{2}-\d{2}$/.test(item.date)) bad.push(`${what}: evidence without a date`);
        }
      }
      assert.ok(
        [...SHIPPED_PINS, ...HISTORICAL_PINS].some((p) => p.rev === rev),
        `${rev} is a pin PPL Nix knows`,
      );
    }
    assert.deepEqual(bad, []);
  });

  it('every catalog package is researched at every shipped and historical pin', () => {
    const gaps = [...SHIPPED_PINS, ...HISTORICAL_PINS].flatMap((p) =>
      CATALOG.filter((e) => packageAt(p.rev, e.attr, '3.12') === undefined).map((e) => `${e.attr}@${p.label}`),
    );
    assert.deepEqual(gaps, []);
  });

  it('the shipped tables (packageStates.json, the Pythons in pins.json) are derived from it', () => {
    const compact = compactFacts(full);
    const pins = JSON.parse(readFileSync(data('pins.json'), 'utf8')) as {
      pins: { rev: string; pythons: string[]; defaultPython?: string }[];
      historical: { rev: string; pythons: string[]; defaultPython?: string }[];
    };
    const update = process.env['UPDATE_GOLDEN'] === '1';
    for (const entry of [...pins.pins, ...pins.historical]) {
      const facts = compact[entry.rev];
      if (facts === undefined) continue;
      if (update) {
        entry.pythons = [...facts.pythons];
        if (facts.defaultPython === undefined) delete entry.defaultPython;
        else entry.defaultPython = facts.defaultPython;
      }
      assert.deepEqual(entry.pythons, facts.pythons, `pins.json pythons of ${entry.rev}`);
      assert.equal(entry.defaultPython, facts.defaultPython, `pins.json defaultPython of ${entry.rev}`);
    }
    const renames = compactRenames(JSON.parse(readFileSync(data('pythonRenames.json'), 'utf8')));
    if (update) {
      writeFileSync(data('renames.json'), `${JSON.stringify(renames, null, 1)}\n`);
      writeFileSync(data('packageStates.json'), `${JSON.stringify(compact, null, 1)}\n`);
      writeFileSync(data('pins.json'), `${JSON.stringify(pins, null, 2)}\n`);
    }
    assert.deepEqual(
      JSON.parse(readFileSync(data('packageStates.json'), 'utf8')),
      compact,
      'packageStates.json is up to date (UPDATE_GOLDEN=1 rewrites it)',
    );
  });

  it('the four disagreements of the review: settled as the research found them', () => {
    assert.equal(packageAt(pin('nixos-25.11').rev, 'tensorflow-probability', '3.13')?.state, 'broken');
    assert.equal(packageAt(pin('nixpkgs-unstable', '2025-12-05').rev, 'tensorflow-probability', '3.13')?.state, 'broken');
    const aesara = packageAt(pin('nixos-24.11').rev, 'aesara', '3.12');
    assert.equal(aesara?.state, 'python-restricted', 'aesara is disabled for the default 3.12 at 24.11');
    assert.equal(packageAt(pin('nixos-24.11').rev, 'aesara', '3.11')?.state, 'usable', '…and usable with 3.11');
    assert.ok(pin('nixos-23.11').pythons.includes('3.8'), 'python38 exists at nixos-23.11');
    for (const p of [...SHIPPED_PINS, ...HISTORICAL_PINS])
      assert.notEqual(packageAt(p.rev, 'pystan', '3.12')?.fact.version, '3.7.0', 'no third-party pystan 3');
  });

  it('the picker marks what will not evaluate at (pin, Python), and only that', () => {
    const tfp = findEntry('tensorflow-probability')!;
    assert.match(packageMark(pin('nixos-25.11'), tfp, '3.13')?.text ?? '', /Marked broken at this pin/);
    assert.equal(packageMark(pin('nixos-25.11'), tfp, '3.13')?.level, 'blocked');
    const aesara = findEntry('aesara')!;
    assert.match(
      packageMark(pin('nixos-24.11'), aesara, '3.12')?.text ?? '',
      /Not offered for Python 3\.12 .* works with Python 3\.9, 3\.10, 3\.11/,
    );
    assert.equal(packageMark(pin('nixos-24.11'), aesara, '3.11'), undefined);
    assert.equal(packageMark(pin('nixos-25.05'), findEntry('pymc')!, '3.12'), undefined);
    const custom: Pin = { label: 'c', url: 'file:///x.tar.gz', sha256: 'x', pythons: [], origin: 'custom' };
    assert.equal(packageMark(custom, aesara, '3.12'), undefined, 'custom pins get no guesses');
    assert.match(
      packageMark(custom, aesara, '3.12', { status: 'restricted', message: 'not supported for interpreter python3.12' })?.text ?? '',
      /Not offered for this Python/,
    );
    for (const p of SHIPPED_PINS) {
      for (const entry of CATALOG) {
        for (const python of p.pythons) {
          const at = packageAt(p.rev, entry.attr, python);
          const blocked = packageMark(p, entry, python)?.level === 'blocked';
          const expected =
            at !== undefined && (['broken', 'python-restricted', 'removed', 'absent'].includes(at.state) || at.fact.usable === false);
          assert.equal(blocked, expected, `${entry.id} at ${p.label}, Python ${python} (${at?.state})`);
          assert.deepEqual(markFromFacts(at, python), packageMark(p, entry, python));
        }
      }
    }
  });
});
