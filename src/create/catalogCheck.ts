// The picker's "Check at this pin": the whole catalog evaluated at (pin, Python) in one Nix
// run, so every package gets its version badge or its warning at once. Trusted workspaces only.
import * as vscode from 'vscode';
import type { Ctx } from '../shared/context';
import { CATALOG } from '../core/catalog/catalog';
import { allPins, findPin } from '../core/pins/pins';
import { withNixProgress } from '../shared/progress';
import { nixProcessEnv, readCustomPins } from '../shared/settings';
import type { HostMessage } from '../core/picker/protocol';

export async function checkCatalog(
  ctx: Ctx,
  folder: vscode.WorkspaceFolder,
  pinLabel: string,
  python: string,
  post: (message: HostMessage) => Thenable<boolean>,
): Promise<void> {
  const answer = { type: 'availability', pin: pinLabel, python } as const;
  if (!ctx.trusted) {
    await post({ ...answer, state: 'failed', message: 'Restricted Mode: checking runs the pin’s Nix code, so it needs a trusted folder.' });
    return;
  }
  const pin = findPin(allPins(readCustomPins(folder.uri).pins), pinLabel);
  if (pin === undefined) {
    await post({ ...answer, state: 'failed', message: `Unknown pin "${pinLabel}".` });
    return;
  }
  await post({ ...answer, state: 'checking' });
  try {
    const result = await withNixProgress(
      ctx.signal,
      `Checking the PPL Nix catalog at nixpkgs ${pin.label}, Python ${python} (the first use of a pin downloads about 40 MB)`,
      (signal, report) =>
        ctx.probes.check(
          {
            pin,
            python,
            pythonPackages: CATALOG.filter((e) => e.kind === 'python').map((e) => e.attr),
            systemPackages: CATALOG.filter((e) => e.kind === 'system').map((e) => e.attr),
          },
          { env: nixProcessEnv(folder.uri), signal, onProgress: (line) => report(line.slice(0, 120)) },
        ),
    );
    await post({ ...answer, state: 'done', result });
  } catch (error) {
    ctx.log.warn(`picker: availability at ${pin.label}: ${(error as Error).message}`);
    await post({ ...answer, state: 'failed', message: (error as Error).message });
  }
}
