// Hostile values from a workspace, a setting, an environment variable or a file: each reproduces
// a finding of the security review (issue 10) and shows the one place that now refuses it.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../nix/fixture';
import { main } from '../../src/cli/main';
import { parseCustomPins, defaultPin, SHIPPED_PINS, HISTORICAL_PINS } from '../../src/core/pins/pins';
import { environmentNameOf, faithfulSpec, readShellNix, updateShellNix } from '../../src/core/spec/readback';
import { indentedStringBody, renderShellNix } from '../../src/core/spec/render';
import { validateSpec, type EnvSpec } from '../../src/core/spec/spec';
import { buildSpec } from '../../src/core/spec/specInput';
import { checkLabel } from '../../src/core/spec/validate';
import { PYMC, STAN } from './specs';

const SHA = PYMC.pin.sha256;
const PAYLOAD = 'mine\n  fetchTarball = _: ./evil;\n  #x';

/** Runs the CLI in memory; nothing reaches the disk unless the command writes. */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), env, cwd: '/nonexistent-ppl-nix-test' });
  return { code, out, err };
}

describe('hostile input never reaches a Nix file', () => {
  it('a pin label with a newline is refused everywhere it can come from (setting, CLI, a spec)', async () => {
    const custom = parseCustomPins([{ label: PAYLOAD, url: 'file:///x.tar.gz', sha256: SHA }]);
    assert.deepEqual(custom.pins, []);
    assert.match(custom.problems[0]?.message ?? '', /label .*line break or a control character/);
    const built = buildSpec({ name: 'x', packages: ['pymc'], pin: PAYLOAD, pinUrl: 'file:///x.tar.gz', pinSha256: SHA });
    assert.ok('problems' in built && /Pin label/.test(built.problems[0]!.message), JSON.stringify(built));
    const spec: EnvSpec = { ...PYMC, pin: { ...PYMC.pin, label: PAYLOAD } };
    assert.throws(() => renderShellNix(spec), /Pin label .*line break/);
    const result = await cli([
      'new',
      '--packages',
      'pymc',
      '--pin',
      PAYLOAD,
      '--pin-url',
      'file:///x.tar.gz',
      '--pin-sha256',
      SHA,
      '--out',
      '/dev/null/x.nix',
    ]);
    assert.equal(result.code, 2);
    assert.match(result.err, /Nothing was written/);
    for (const bad of ['a\u2028b', 'a\u001b[31mred', 'tab\there', ' padded', 'x'.repeat(81), ''])
      assert.ok(checkLabel(bad) !== undefined, JSON.stringify(bad));
  });

  it('PPL_NIX_CUSTOM_PINS cannot inject either', async () => {
    const pins = JSON.stringify([{ label: PAYLOAD, url: 'file:///x.tar.gz', sha256: SHA }]);
    const result = await cli(['pins'], { PPL_NIX_CUSTOM_PINS: pins });
    assert.equal(result.code, 0);
    assert.match(result.err, /warning: .*label/);
    assert.ok(!result.out.includes('fetchTarball = '), 'the hostile pin is not listed');
  });

  it('a custom pin cannot take a shipped or historical label, however it is spaced or cased', () => {
    const shipped = defaultPin().label;
    for (const label of [shipped, `${shipped} `, ` ${shipped.toUpperCase()}`, shipped.replace(' ', '  '), HISTORICAL_PINS[0]!.label]) {
      const parsed = parseCustomPins([{ label, url: 'file:///evil.tar.gz', sha256: SHA }]);
      assert.deepEqual(parsed.pins, [], label);
      assert.match(parsed.problems[0]?.message ?? '', /label of a shipped pin/);
    }
    const built = buildSpec({ name: 'x', packages: [], pin: SHIPPED_PINS[1]!.label, pinUrl: 'file:///evil.tar.gz', pinSha256: SHA });
    assert.ok('problems' in built, '--pin LABEL --pin-url cannot reuse a shipped label');
  });

  it('a spec line hiding code is not trusted: the file is damaged, never re-rendered from it', () => {
    const honest = renderShellNix(PYMC);
    const tampered = honest.replace(`"label":"${PYMC.pin.label}"`, `"label":${JSON.stringify(PAYLOAD)}`);
    assert.notEqual(tampered, honest);
    const read = readShellNix(tampered);
    assert.equal(read.kind, 'damaged');
    assert.throws(() => updateShellNix(tampered, PYMC), /damaged PPL Nix markers/);
    assert.ok('reason' in faithfulSpec(read, 'shell.nix'));
  });

  it('a file whose managed blocks do not match its spec line is reported before a pin update', () => {
    const edited = renderShellNix(PYMC).replace('    arviz\n', '    arviz\n    evil\n');
    const read = readShellNix(edited);
    assert.equal(read.kind, 'managed');
    const faithful = faithfulSpec(read, 'shell.nix');
    assert.ok('reason' in faithful && /edited by hand/.test(faithful.reason), JSON.stringify(faithful));
  });

  it('an environment name from a file cannot leave .ppl-nix/ (../../X)', () => {
    const escaping = renderShellNix(PYMC).replace('"name":"bayes"', '"name":"../../X"');
    assert.equal(readShellNix(escaping).kind, 'damaged');
    assert.equal(environmentNameOf(escaping, 'My Folder'), 'my-folder');
  });

  it("indented strings: a ' right before ${ stays literal (it used to become an interpolation)", () => {
    assert.equal(indentedStringBody("echo '${HOME}'"), "echo ''\\'''${HOME}'");
    assert.equal(indentedStringBody("a''b"), "a'''b");
    assert.equal(indentedStringBody("''${x}"), "'''''${x}");
    assert.equal(indentedStringBody('$${x}'), "$''${x}");
  });

  it('names the file itself defines, or Nix builtins, cannot be listed as packages', () => {
    for (const name of ['pkgs', 'nixpkgs', 'python', 'ps', 'import', 'builtins', 'toString', '__curPos']) {
      const problems = validateSpec({ ...PYMC, extraPackages: [name] }, { pythons: [] });
      assert.ok(
        problems.some((p) => p.field === 'extraPackages'),
        name,
      );
    }
  });

  it('one message names every bad extra package, instead of the rule once per name', () => {
    const problems = validateSpec({ ...PYMC, extraPackages: ['a b', 'c"d', 'e;f', 'g${h}'] }, { pythons: [] });
    assert.equal(problems.filter((p) => p.field === 'extraPackages').length, 1);
    assert.match(problems[0]!.message, /"a b", "c"d", "e;f" and 1 more/);
  });

  it('updating a file keeps its byte order mark and a recorded shell hook the picker does not show', () => {
    const withHook = renderShellNix(STAN);
    const updated = updateShellNix(`\uFEFF${withHook}`, {
      ...STAN,
      shellHook: undefined as unknown as string,
      packages: ['cmdstanpy'],
    } as EnvSpec);
    assert.ok(updated.startsWith('\uFEFF# ppl-nix:begin header'), 'the BOM stays');
    assert.ok(updated.includes(indentedStringBody(STAN.shellHook!).split('\n')[0]!), 'the recorded hook stays');
    assert.equal(readShellNix(updated).kind, 'managed');
  });

  it('in Restricted Mode, a workspace cannot point PPL Nix at another mirror, Nix or language server', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as {
      capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
    };
    const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const key of [
      'pplNix.nixBinDir',
      'pplNix.languageServer',
      'pplNix.languageServerPath',
      'pplNix.channelBaseUrl',
      'pplNix.tarballUrlTemplate',
    ]) {
      assert.ok(restricted.includes(key), key);
    }
  });
});
