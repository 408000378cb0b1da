// Installing Debian packages a test tier needs, when missing and when we may (root).
import { execFileSync, spawnSync } from 'node:child_process';

let updated = false;

/** True when every command is on PATH. */
export function haveCommands(commands) {
  return commands.every((command) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' }).status === 0);
}

/** apt-get installs packages (once `apt-get update`), if root; returns a reason when it cannot. */
export function aptInstall(packages, log = console.log) {
  if (process.getuid?.() !== 0) return `not root: install ${packages.join(' ')} yourself (sudo apt-get install -y ${packages.join(' ')})`;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const started = Date.now();
  try {
    if (!updated) {
      log(`[apt] apt-get update`);
      execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
      updated = true;
    }
    log(`[apt] apt-get install -y ${packages.join(' ')}`);
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env,
    });
    log(`[apt] done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return undefined;
  } catch (error) {
    return `apt-get install ${packages.join(' ')} failed: ${error.message}`;
  }
}
