// What happens after the picker wrote a file, per the user's options: enter the environment
// (terminals and, if chosen, the Python interpreter) and open a terminal in a real nix-shell.
import * as vscode from 'vscode';
import type { Ctx } from '../shared/context';
import type { PickerForm } from '../core/picker/form';
import type { EnvironmentController } from './controller';
import { folderOf } from '../create/write';
import { openNixShellTerminal } from './nixShellTerminal';
import { nixProcessEnv } from '../shared/settings';

export function afterCreate(ctx: Ctx, environments: EnvironmentController) {
  return async (form: PickerForm, path: string): Promise<string | undefined> => {
    if (!ctx.trusted) return 'Restricted Mode: the environment was not entered; trust this folder to enter it.';
    const folder = folderOf(form.folder);
    if (folder === undefined) return undefined;
    const file = vscode.Uri.file(path);
    if (form.openTerminal) openNixShellTerminal(path, form.name, nixProcessEnv(file));
    // Entering builds the environment: do not hold the picker's answer until it is done.
    void environments.enter(folder, file, { setInterpreter: form.useInterpreter });
    return `Entering the environment${form.useInterpreter ? ' and setting the Python interpreter' : ''}${form.openTerminal ? '; a terminal opened in the shell' : ''} (the first build may take a while).`;
  };
}
