// The demo's setup, one function shared by `npm run demo`, scripts/screenshot.mjs and
// test/e2e/demo.test.ts (so the test proves the path the demo offers): which case this machine is
// in, what it needs installed, and what the demo workspace and code-server get for that case.
//
//   online   Nix is here and cache.nixos.org answers: the real, shipped pins, as they are.
//   offline  Nix is here (or was just installed from Debian) but nixpkgs cannot be downloaded: the
//            workspace gets the pin "demo: offline stand-in for nixpkgs", the tests' fixture nixpkgs
//            (test/fixtures/nixpkgs, packed by out/test/nix/fixture.js), whose numpy, scipy and emcee
//            are Debian's real ones, and code-server gets the Nix settings to build it offline.
//   no-nix   no Nix and no way to install it (not root): PPL Nix writes files and says "Nix not found".
//
// The product never reads any of this: the stand-in reaches it only through the workspace's
// `pplNix.customPins` setting and Nix's own environment variables, as a user's mirror would.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { aptInstall, haveCommands } from './apt.mjs';
import { ROOT, log as hostLog } from './code-server-install.mjs';

export const OFFLINE_PIN_LABEL = 'demo: offline stand-in for nixpkgs';
/** What the stand-in's environments import for real (the rest of its packages are stubs). */
const REAL_MODULES = ['numpy', 'scipy', 'emcee'];
const FIXTURE_MODULE = join(ROOT, 'out/test/nix/fixture.js');
const README_BEGIN = '<!-- ppl-nix-demo:begin (written by npm run demo: which case this machine is in) -->';
const README_END = '<!-- ppl-nix-demo:end -->';
const require = createRequire(import.meta.url);

/** Whether https://cache.nixos.org answers a HEAD of nix-cache-info within timeoutMs. */
export async function nixosReachable(timeoutMs = 3000) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const res = await fetch('https://cache.nixos.org/nix-cache-info', { method: 'HEAD', signal: abort.signal });
    return res.ok;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** `nix --version`, or undefined when Nix's tools are not on PATH (installs Debian's nix-bin first when root). */
function ensureNix(log) {
  const tools = ['nix-shell', 'nix', 'nix-hash'];
  if (!haveCommands(tools)) {
    log('Nix is not installed: installing Debian nix-bin');
    const problem = aptInstall(['nix-bin'], log);
    if (problem) log(`cannot install Nix: ${problem}`);
  }
  if (!haveCommands(tools)) return undefined;
  return spawnSync('nix', ['--version'], { encoding: 'utf8' }).stdout.trim() || 'nix';
}

/** Debian's python3 with numpy, scipy and emcee, which the stand-in's environments use; a problem, or undefined. */
function ensureRealModules(log) {
  const missing = [
    ...(existsSync('/usr/bin/python3') ? [] : ['python3-minimal']),
    ...REAL_MODULES.filter((m) => !existsSync(`/usr/lib/python3/dist-packages/${m}`)).map((m) => `python3-${m}`),
  ];
  return missing.length === 0 ? undefined : aptInstall(missing, log);
}

/** The tests' fixture helpers (compiled), building them first when needed. */
function fixtureModule(log) {
  if (!existsSync(FIXTURE_MODULE)) {
    log(`${FIXTURE_MODULE} is missing: building (node scripts/build.mjs)`);
    const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0 || !existsSync(FIXTURE_MODULE)) throw new Error(`node scripts/build.mjs did not produce ${FIXTURE_MODULE}`);
  }
  return require(FIXTURE_MODULE);
}

/**
 * Packs the stand-in into stateDir (a stable file:// URL: a shell.nix written in one demo session
 * still evaluates in the next) and returns its pin and the environment Nix needs to build it.
 */
async function offlineStandIn(stateDir, log) {
  const fixture = fixtureModule(log);
  const packed = await fixture.packFixture();
  mkdirSync(stateDir, { recursive: true });
  const tarball = join(stateDir, 'nixpkgs-demo-stand-in.tar.gz');
  copyFileSync(packed.tarball, tarball);
  // Offer only the Python that really runs (the stand-in's interpreters are the host's python3).
  const hostVersion = spawnSync(fixture.hostPython(), ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
    encoding: 'utf8',
  }).stdout.trim();
  const pythons = ['3.11', '3.12', '3.13'].includes(hostVersion) ? [hostVersion] : ['3.11', '3.12', '3.13'];
  const pin = { label: OFFLINE_PIN_LABEL, url: pathToFileURL(tarball).href, sha256: packed.sha256, pythons };
  // Nix without a daemon or a network (no sandbox, no binary cache, no flake registry), and
  // <nixpkgs> for nix-shell's own bash: see nixTestEnv() in test/nix/fixture.ts.
  const nixEnv = fixture.nixTestEnv();
  const env = { NIX_CONFIG: nixEnv.NIX_CONFIG, NIX_PATH: nixEnv.NIX_PATH };
  return { pin, env, realModules: fixture.hostModules() };
}

/** Sets (or removes) the stand-in in the workspace's `pplNix.customPins`, keeping everything else in the file. */
function writeCustomPin(workspace, pin) {
  const { applyEdits, modify, parse } = require('jsonc-parser');
  const file = join(workspace, '.vscode/settings.json');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '{}\n';
  const current = parse(text)?.['pplNix.customPins'];
  const others = Array.isArray(current) ? current.filter((p) => p?.label !== OFFLINE_PIN_LABEL) : [];
  const pins = pin ? [pin, ...others] : others;
  if (pins.length === 0 && current === undefined) return;
  const value = pins.length > 0 ? pins : undefined; // undefined: the key goes (it held only the stand-in)
  const edits = modify(text, ['pplNix.customPins'], value, { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } });
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(file, applyEdits(text, edits));
}

/** The README section saying which case this demo runs in. */
function caseText(setup) {
  const head = `## This demo runs ${setup.mode === 'online' ? 'online' : setup.mode === 'offline' ? 'offline' : 'without Nix'}\n\n`;
  if (setup.mode === 'online') {
    return (
      `${head}${setup.nixVersion} is installed and cache.nixos.org answers, so the picker offers the real, verified nixpkgs ` +
      `pins as they are. The first **Create** downloads nixpkgs (about 40 MB) and the packages from the NixOS binary cache: ` +
      `a few minutes for PyMC, much less for emcee; later opens re-enter from the cache at once.\n`
    );
  }
  if (setup.mode === 'offline') {
    const real = setup.realModules.length > 0 ? setup.realModules.join(', ') : 'none (install python3-numpy python3-scipy python3-emcee)';
    const why = setup.forced
      ? `${setup.nixVersion} is installed, and the demo was started with \`--offline\`: the real nixpkgs pins are in the list as usual, and this workspace adds an offline pin too`
      : `${setup.nixVersion} is installed, but ${setup.reason}, so the real nixpkgs pins cannot be downloaded here. This workspace adds an offline pin instead`;
    return (
      `${head}${why} (\`.vscode/settings.json\`, setting \`pplNix.customPins\`):\n\n` +
      `- **${OFFLINE_PIN_LABEL}**: PPL Nix's test nixpkgs, a tiny stand-in that builds in seconds without a network. ` +
      `Its Python is this machine's \`python3\`; the modules it imports for real: ${real}. Every other package is a stub ` +
      `that imports and does nothing (so \`analysis.py\`, which needs the real PyMC, does not run on it).\n\n` +
      `Choose it in the picker's **nixpkgs** list and tick **emcee**: the whole path below then works for real, ` +
      `up to the emcee example recovering the slope.${setup.forced ? '' : ' On a machine with the internet the demo uses the real pins.'}\n`
    );
  }
  return (
    `${head}Nix was not found and could not be installed (${setup.reason}). PPL Nix still writes \`shell.nix\` ` +
    `files; the status bar says **Nix not found** and a click on it says what to do. Install Nix ` +
    `(<https://nixos.org/download>, or \`sudo apt-get install nix-bin\` on Debian) and run \`npm run demo\` again.\n`
  );
}

/** Replaces the case section of the workspace's README.md (or puts one under its title). */
function writeReadme(workspace, setup) {
  const file = join(workspace, 'README.md');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# PPL Nix demo workspace\n';
  const block = `${README_BEGIN}\n${caseText(setup)}${README_END}`;
  const begin = text.indexOf(README_BEGIN);
  const end = text.indexOf(README_END);
  let next;
  if (begin >= 0 && end > begin) next = text.slice(0, begin) + block + text.slice(end + README_END.length);
  else {
    const title = /^# .*\n/m.exec(text);
    const at = title ? title.index + title[0].length : 0;
    next = `${text.slice(0, at)}\n${block}\n${text.slice(at)}`;
  }
  writeFileSync(file, next);
}

/**
 * Everything the demo needs for this machine, applied to `workspace`: installs Nix (and for the
 * stand-in Debian's numpy, scipy, emcee) when missing and root, decides the case, writes the
 * workspace's custom pin and README section, and returns what code-server must be started with.
 *
 * @param {object} o
 * @param {string} o.workspace          the demo workspace (a copy of test/fixtures/demo-workspace)
 * @param {string} o.stateDir           where the stand-in's tarball is kept (its URL goes into the setting)
 * @param {'auto'|'offline'} [o.mode]   'offline' forces the stand-in even when nixpkgs is reachable
 * @param {(message: string) => void} [o.log]
 * @returns {Promise<{ mode: 'online'|'offline'|'no-nix', reason: string, nixVersion?: string, pin?: object,
 *   realModules: string[], env: Record<string, string>, serverOptions: object }>}
 */
export async function setUpDemo({ workspace, stateDir, mode = 'auto', log = (m) => hostLog(`[demo] ${m}`) }) {
  const started = Date.now();
  const nixVersion = ensureNix(log);
  let setup;
  if (nixVersion === undefined) {
    const reason = process.getuid?.() === 0 ? 'apt-get install nix-bin failed' : 'not root, so it cannot be installed from here';
    setup = { mode: 'no-nix', reason, realModules: [], env: {} };
  } else if (mode !== 'offline' && (await nixosReachable())) {
    setup = { mode: 'online', reason: 'cache.nixos.org answered', nixVersion, realModules: [], env: {} };
  } else {
    const forced = mode === 'offline';
    const reason = forced ? 'asked for with --offline' : 'cache.nixos.org did not answer within 3 s';
    const problem = ensureRealModules(log);
    if (problem) log(`the stand-in's emcee example will not run: ${problem}`);
    setup = { mode: 'offline', reason, forced, nixVersion, ...(await offlineStandIn(stateDir, log)) };
  }
  writeCustomPin(workspace, setup.pin);
  writeReadme(workspace, setup);
  log(`case: ${setup.mode} (${setup.reason}); set up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return {
    ...setup,
    // What startCodeServer() gets: the Nix settings reach the extension host and its terminals;
    // Workspace Trust ON as a newcomer has it (Restricted Mode until the folder is trusted).
    serverOptions: { folder: workspace, env: setup.env, trust: true, settings: { 'workbench.startupEditor': 'readme' } },
  };
}
