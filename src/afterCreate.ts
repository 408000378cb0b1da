// What happens after the picker wrote a file, per the user's options.
import * as vscode from 'vscode';
import type { Ctx } from './context';
import type { PickerForm } from './core/form';
import { readShellNix } from './core/readback';
import { readIfExists } from './host/files';
import { openNixShellTerminal } from './host/terminal';
import { nixProcessEnv } from './settings';

export function afterCreate(ctx: Ctx) {
  return async (form: PickerForm, path: string): Promise<string | undefined> => {
    const notes: string[] = [];
    if (form.openTerminal) {
      if (ctx.trusted) {
        const text = await readIfExists(path);
        const read = text === undefined ? undefined : readShellNix(text);
        openNixShellTerminal(path, read?.kind === 'managed' ? read.spec.name : form.name, nixProcessEnv(vscode.Uri.file(path)));
        notes.push('Opened a terminal in the shell (the first build may take a while).');
      } else {
        notes.push('Restricted Mode: no shell was started; trust this folder to enter it.');
      }
    }
    if (form.useInterpreter) {
      // Honest until environment entering lands: nothing sets the interpreter yet.
      notes.push('Setting the Python interpreter to this environment is not available in this version yet.');
    }
    return notes.length > 0 ? notes.join(' ') : undefined;
  };
}
