import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../../src/shared/commands';
import { repoRoot } from '../nix/fixture';

describe('the command table', () => {
  it('package.json contributes exactly the commands of src/shared/commands.ts', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as {
      contributes: { commands: { command: string }[] };
    };
    assert.deepEqual(manifest.contributes.commands.map((c) => c.command).sort(), Object.values(COMMANDS).sort());
  });

  it('no source file spells a command id outside the table', () => {
    const offenders: string[] = [];
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
      );
    for (const file of walk(join(repoRoot(), 'src')).filter((f) => f.endsWith('.ts') && !f.endsWith('shared/commands.ts'))) {
      const text = readFileSync(file, 'utf8');
      for (const id of Object.values(COMMANDS)) if (text.includes(`'${id}'`)) offenders.push(`${file}: ${id}`);
    }
    // The picker's view type happens to equal the createShell command id; it is a view type, not a command.
    assert.deepEqual(
      offenders.filter((o) => !o.endsWith('core/picker/protocol.ts: pplNix.createShell')),
      [],
    );
  });
});
