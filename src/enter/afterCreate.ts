// What happens after the picker wrote a file, per the user's options: enter the environment
// (terminals and, if chosen, the Python interpreter) and open a terminal in a real nix-shell.
// The picker (create/) knows nothing of entering: extension.ts hands it this function.
import * as vscode from 'vscode';
import type { Ctx } from '../shared/context';
import { nixProcessEnv } from '../shared/settings';
import type { EnvironmentController } from './controller';
import { openNixShellTerminal } from './shellTerminal';

export interface Created {
  readonly folder: vscode.WorkspaceFolder;
  /** Absolute path of the file written. */
  readonly path: string;
  readonly name: string;
  readonly openTerminal: boolean;
  readonly useInterpreter: boolean;
}

/** Enters what the picker created; returns a sentence for the picker's status line. */
export function afterCreate(ctx: Ctx, environments: EnvironmentController) {
  return async (created: Created): Promise<string | undefined> => {
    if (!ctx.trusted) return 'Restricted Mode: the environment was not entered; trust this folder to enter it.';
    const file = vscode.Uri.file(created.path);
    if (created.openTerminal) openNixShellTerminal(created.path, created.name, nixProcessEnv(file));
    // Entering builds the environment: do not hold the picker's answer until it is done.
    void environments.enter(created.folder, file, { setInterpreter: created.useInterpreter });
    const interpreter = created.useInterpreter ? ' and setting the Python interpreter' : '';
    const terminal = created.openTerminal ? '; a terminal opened in the shell' : '';
    return `Entering the environment${interpreter}${terminal} (the first build may take a while).`;
  };
}
