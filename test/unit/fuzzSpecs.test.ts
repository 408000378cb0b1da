// Fuzzing the spec pipeline (issue 13): thousands of random specs, legal and hostile, through
// validation, rendering and reading back; random loose input through buildSpec (the CLI's and
// quick picks' way in) and parseCustomPins (the setting); refused input through the CLI. The
// same specs meet real Nix in test/nix/fuzzSpecs.test.ts.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { main } from '../../src/cli/main';
import { isPplNixError } from '../../src/core/errors';
import { allPins, HISTORICAL_PINS, parseCustomPins, SHIPPED_PINS } from '../../src/core/pins/pins';
import { planWrite } from '../../src/core/spec/plan';
import { readShellNix, updateShellNix } from '../../src/core/spec/readback';
import { renderShellNix } from '../../src/core/spec/render';
import { validateSpec, type EnvSpec } from '../../src/core/spec/spec';
import { buildSpec, type SpecInput } from '../../src/core/spec/specInput';
import { checkLabel, checkPinUrl, checkSha256 } from '../../src/core/spec/validate';
import { cliArgs, cliInput, FUZZ_SEED, fuzzSpec, INJECTIONS, readableMessage, recorded } from './fuzzInputs';

const RUNS = 1500;

/** fc.assert with the suite's seed, and a report short enough to read (values can be 70 000 characters long). */
function check<T>(property: fc.IPropertyWithHooks<T>, numRuns: number): void {
  const details = fc.check(property, { numRuns, seed: FUZZ_SEED });
  if (!details.failed) return;
  const clip = (text: string): string => (text.length > 1500 ? `${text.slice(0, 1500)}… (${text.length} characters)` : text);
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  const saved = join(tmpdir(), `ppl-nix-fuzz-counterexample-${process.pid}.json`);
  writeFileSync(saved, JSON.stringify(details.counterexample));
  throw new Error(
    `property failed after ${details.numRuns} runs (seed ${details.seed}, path ${details.counterexamplePath ?? '?'}):\n` +
      `counterexample (whole in ${saved}): ${clip(fc.stringify(details.counterexample))}\ncause: ${clip(cause)}`,
  );
}

/** Renders, or the error renderShellNix throws. */
function tryRender(spec: EnvSpec): { text: string } | { error: unknown } {
  try {
    return { text: renderShellNix(spec) };
  } catch (error) {
    return { error };
  }
}

/** What re-rendering a file written from `before` with `after` must give: `after`, keeping a recorded hook when `after` has none. */
const expectedUpdate = (before: EnvSpec, after: EnvSpec): string =>
  renderShellNix(
    after.shellHook === undefined && recorded(before).shellHook !== undefined ? { ...after, shellHook: before.shellHook! } : after,
  );

describe('fuzzing specs: validate, render, read back', function () {
  this.timeout(120_000);
  const tally = { accepted: 0, refused: 0 };
  after(() => console.log(`      specs tried: ${tally.accepted + tally.refused} (${tally.accepted} accepted, ${tally.refused} refused)`));

  it(`${RUNS} random specs: hostile values refused with a readable message, legal ones accepted`, () => {
    check(
      fc.property(fuzzSpec, ({ spec, hostile }) => {
        const problems = validateSpec(spec, { pythons: [] });
        for (const problem of problems) assert.ok(readableMessage(problem.message), `a readable message: ${JSON.stringify(problem)}`);
        for (const field of hostile) {
          assert.ok(
            problems.some((problem) => problem.field === field),
            `the hostile ${field} is refused: ${JSON.stringify(problems)}`,
          );
        }
        if (hostile.length === 0) assert.deepEqual(problems, [], 'every legal value is accepted');
        const rendered = tryRender(spec);
        if (problems.length > 0) {
          tally.refused++;
          assert.ok('error' in rendered, 'a refused spec never renders');
          assert.ok(isPplNixError(rendered.error, 'invalidInput'));
          assert.match((rendered.error as Error).message, /^Nothing was written: /);
        } else {
          tally.accepted++;
          assert.ok('text' in rendered, `an accepted spec renders: ${String((rendered as { error: unknown }).error)}`);
        }
      }),
      RUNS,
    );
    assert.ok(tally.accepted >= 500 && tally.refused >= 400, `a fair mix: ${JSON.stringify(tally)}`);
  });

  it(`${RUNS} accepted specs read back to the same spec, and writing them again changes nothing`, () => {
    const accepted = fuzzSpec.filter(({ spec }) => validateSpec(spec, { pythons: [] }).length === 0).map(({ spec }) => spec);
    check(
      fc.property(accepted, (spec) => {
        const text = renderShellNix(spec);
        assert.equal(renderShellNix(spec), text, 'rendering is stable');
        const variants: [string, string][] = [
          ['as written', text],
          ['with a byte order mark', `\uFEFF${text}`],
        ];
        // A hook's own carriage returns would double up in a CRLF conversion.
        if (!text.includes('\r')) variants.push(['with CRLF line endings', text.replace(/\n/g, '\r\n')]);
        for (const [how, variant] of variants) {
          const read = readShellNix(variant);
          assert.equal(read.kind, 'managed', `${how}: ${JSON.stringify(read)}`);
          assert.ok(read.kind === 'managed');
          assert.deepEqual(read.spec, recorded(spec), `${how}: the same spec`);
          assert.deepEqual(read.handEdited, [], `${how}: nothing edited by hand`);
        }
        const again = planWrite(text, spec, 'shell.nix');
        assert.equal(again.kind, 'update');
        assert.ok(again.kind === 'update' && again.unchanged, 'the same spec again: nothing to write');
      }),
      RUNS,
    );
  });

  it('re-rendering a written file with another accepted spec gives exactly that spec’s file', () => {
    const accepted = fuzzSpec.filter(({ spec }) => validateSpec(spec, { pythons: [] }).length === 0).map(({ spec }) => spec);
    check(
      fc.property(accepted, accepted, (before, after) => {
        const updated = updateShellNix(renderShellNix(before), after);
        assert.equal(updated, expectedUpdate(before, after));
        const read = readShellNix(updated);
        assert.ok(read.kind === 'managed' && read.handEdited.length === 0, JSON.stringify(read));
      }),
      500,
    );
  });
});

// ---- loose input: buildSpec ------------------------------------------------------------------------

const pieces = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 3, arbitrary: fc.constantFrom(...INJECTIONS) },
  {
    weight: 3,
    arbitrary: fc.constantFrom('pymc', 'PyMC', 'arviz', 'numpyro', 'pyro', 'cmdstan', 'tqdm', 'git', 'llvmPackages.clang', ',', ' '),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 6, unit: 'binary' }) },
  { weight: 1, arbitrary: fc.constant('x'.repeat(10_000)) },
);
const loose = fc.array(pieces, { maxLength: 6 }).map((parts) => parts.join(''));
const pinNames = fc.constantFrom(
  ...SHIPPED_PINS.map((pin) => pin.label),
  ...SHIPPED_PINS.flatMap((pin) => (pin.branch === undefined ? [] : [pin.branch])),
  ...SHIPPED_PINS.flatMap((pin) => (pin.rev === undefined ? [] : [pin.rev.slice(0, 9)])),
  ...HISTORICAL_PINS.map((pin) => pin.label),
);
const SHA = '1jvflnbrxa8gjxkwjq6kdpdzgwp0hs59h9l3xjasksv0v7xlwykz';
/** Mostly a plausible value, sometimes anything. */
const mostly = (plausible: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.oneof({ weight: 5, arbitrary: plausible }, { weight: 1, arbitrary: loose });
const specInput: fc.Arbitrary<SpecInput> = fc.record(
  {
    name: mostly(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/)),
    python: mostly(fc.constantFrom('3.11', '3.12', '3.13', '3.99')),
    pin: mostly(pinNames),
    pinUrl: mostly(fc.constantFrom('file:///tmp/nixpkgs.tar.gz', 'https://example.org/n.tar.gz')),
    pinSha256: mostly(fc.constant(SHA)),
    packages: fc.array(mostly(fc.constantFrom('pymc', 'PyMC', 'arviz', 'numpyro', 'pyro', 'cmdstan', 'pymc, arviz')), { maxLength: 4 }),
    extraPackages: fc.array(mostly(fc.constantFrom('tqdm', 'polars rich', "a''b", 'x')), { maxLength: 4 }),
    systemPackages: fc.array(mostly(fc.constantFrom('git', 'llvmPackages.clang', 'graphviz')), { maxLength: 3 }),
    shellHook: mostly(fc.constantFrom('echo hi', "echo ''${HOME}", '')),
  },
  { requiredKeys: ['name', 'packages'] },
);

describe('fuzzing loose input: buildSpec and parseCustomPins', function () {
  this.timeout(60_000);

  it('buildSpec never throws: it returns a spec that validates, renders and reads back, or readable problems', () => {
    let built = 0;
    check(
      fc.property(specInput, (input) => {
        const result = buildSpec(input);
        if ('problems' in result) {
          assert.ok(result.problems.length > 0);
          for (const problem of result.problems) {
            assert.ok(problem.field.length > 0);
            assert.ok(readableMessage(problem.message), `a readable message: ${JSON.stringify(problem).slice(0, 300)}`);
          }
          return;
        }
        built++;
        assert.deepEqual(validateSpec(result.spec, { pythons: result.pin.pythons }), []);
        assert.ok(allPins([]).some((pin) => pin.label === result.pin.label) || result.pin.origin === 'custom');
        const read = readShellNix(renderShellNix(result.spec));
        assert.ok(read.kind === 'managed');
        assert.deepEqual(read.spec, recorded(result.spec));
      }),
      2000,
    );
    assert.ok(built > 200, `some inputs build a spec (${built})`);
  });

  it('an injection in the name, the Python version or a pin field is refused by buildSpec', () => {
    const bad = fc.constantFrom(...INJECTIONS.filter((s) => !/^[ \t\n\r/]*$/.test(s) && s !== 'é' && s !== '🙂'));
    check(
      fc.property(bad, fc.constantFrom('name', 'python', 'pinUrl', 'pinSha256'), (injection, key) => {
        const input: SpecInput = {
          name: 'bayes',
          packages: ['pymc'],
          python: '3.12',
          ...(key === 'pinUrl' || key === 'pinSha256' ? { pinUrl: 'file:///tmp/n.tar.gz', pinSha256: SHA } : {}),
        };
        const value = (input as unknown as Record<string, string>)[key] ?? '';
        const result = buildSpec({ ...input, [key]: `${value.slice(0, 3)}${injection}${value.slice(3)}` });
        assert.ok('problems' in result, `${key} with ${JSON.stringify(injection)} is refused`);
      }),
      300,
    );
  });

  const hostileString = fc.oneof(loose, fc.constantFrom(...INJECTIONS));
  const pinEntry = fc.oneof(
    fc.record(
      {
        label: fc.oneof(
          hostileString,
          fc.constantFrom('mirror', 'my pin', SHIPPED_PINS[0]!.label, ` ${SHIPPED_PINS[0]!.label.toUpperCase()} `),
        ),
        url: fc.oneof(hostileString, fc.constantFrom('file:///tmp/n.tar.gz', 'https://example.org/n.tar.gz', 'http://example.org/n')),
        sha256: fc.oneof(hostileString, fc.constant(SHA)),
        pythons: fc.oneof(fc.constant(undefined), fc.array(fc.oneof(hostileString, fc.constantFrom('3.12', '3.13')), { maxLength: 3 })),
        extra: fc.anything(),
      },
      { requiredKeys: [] },
    ),
    fc.anything(),
  );

  it('parseCustomPins never throws, reports every malformed entry and returns only safe pins', () => {
    check(
      fc.property(fc.oneof(fc.array(pinEntry, { maxLength: 6 }), fc.anything()), (raw) => {
        const { pins, problems } = parseCustomPins(raw);
        for (const problem of problems) assert.ok(readableMessage(problem.message), `a readable message: ${problem.message.slice(0, 300)}`);
        if (Array.isArray(raw)) assert.equal(pins.length + problems.length, raw.length, 'each entry is a pin or a problem');
        else if (raw !== undefined && raw !== null) assert.equal(problems.length, 1);
        const labels = new Set<string>();
        for (const pin of pins) {
          assert.equal(checkLabel(pin.label), undefined);
          assert.equal(checkPinUrl(pin.url), undefined);
          assert.equal(checkSha256(pin.sha256), undefined);
          assert.ok(![...SHIPPED_PINS, ...HISTORICAL_PINS].some((shipped) => shipped.label.toLowerCase() === pin.label.toLowerCase()));
          assert.ok(!labels.has(pin.label.toLowerCase()), 'labels are unique');
          labels.add(pin.label.toLowerCase());
          assert.equal(pin.origin, 'custom');
        }
      }),
      2000,
    );
  });
});

// ---- the CLI refuses what validation refuses, and writes nothing -----------------------------------

describe('fuzzing the CLI: a refused spec writes nothing', function () {
  this.timeout(60_000);

  it('ppl-nix new (in process) exits 2 with "Nothing was written" and leaves the folder empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ppl-nix-fuzz-cli-'));
    try {
      const refused = fc
        .sample(fuzzSpec, { numRuns: 3000, seed: FUZZ_SEED })
        .map(({ spec }) => spec)
        .filter((spec) => 'problems' in buildSpec(cliInput(spec)))
        .slice(0, 400);
      assert.ok(refused.length >= 300, `enough refused specs (${refused.length})`);
      for (const [index, spec] of refused.entries()) {
        let out = '';
        let err = '';
        const code = await main(cliArgs(spec, join(dir, `sub-${index}`, 'shell.nix')), {
          out: (text) => (out += `${text}\n`),
          err: (text) => (err += `${text}\n`),
          env: {},
          cwd: dir,
        });
        assert.equal(code, 2, `exit 2 for ${JSON.stringify(spec).slice(0, 300)}: ${err}`);
        assert.match(err, /Nothing was written\./);
        assert.equal(out, '');
      }
      assert.deepEqual(readdirSync(dir), [], 'no file and no folder was created');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
