// The picker's messages, one set of types for both sides: the extension host
// (src/create/panel.ts) and the webview (src/webview-ui/). Messages from the webview are
// untrusted input: the host accepts them only through parseWebviewMessage.
import { parseForm, type PickerForm } from './form';
import type { PinProbe } from '../pins/probe';
import type { Pin } from '../pins/pins';

export const PICKER_VIEW_TYPE = 'pplNix.createShell';

export interface FolderView {
  readonly uri: string;
  readonly name: string;
}

/** What the file at the chosen path is: nothing yet, PPL Nix's, or someone else's. */
export type FileStatus = 'none' | 'managed' | 'foreign';

export type HostMessage =
  | {
      readonly type: 'init';
      readonly form: PickerForm;
      readonly folders: readonly FolderView[];
      readonly pins: readonly Pin[];
      /** Messages about malformed pplNix.customPins entries. */
      readonly pinProblems: readonly string[];
      readonly trusted: boolean;
    }
  /** existing: the text of a PPL Nix file, so the preview shows the exact update. */
  | { readonly type: 'fileStatus'; readonly folder: string; readonly file: string; readonly status: FileStatus; readonly existing?: string }
  | { readonly type: 'busy'; readonly busy: boolean }
  | { readonly type: 'result'; readonly ok: boolean; readonly message: string }
  /** Availability of the whole catalog at (pin, python), evaluated by Nix; or why not. */
  | {
      readonly type: 'availability';
      readonly pin: string;
      readonly python: string;
      readonly state: 'checking' | 'done' | 'failed';
      readonly result?: PinProbe;
      readonly message?: string;
    };

export type WebviewMessage =
  | { readonly type: 'ready' }
  /** The form changed: the host saves nothing, but answers with the file's status. */
  | { readonly type: 'checkFile'; readonly folder: string; readonly file: string }
  | { readonly type: 'create'; readonly form: PickerForm }
  /** Evaluate the catalog at a pin (trusted workspaces only; the host checks). */
  | { readonly type: 'checkAvailability'; readonly pin: string; readonly python: string };

/** The only way a webview message enters the host: anything malformed is undefined. */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const raw = value as Record<string, unknown>;
  switch (raw['type']) {
    case 'ready':
      return { type: 'ready' };
    case 'checkFile': {
      const { folder, file } = raw;
      // Bounded like the form's strings: the folder is echoed back in the answer.
      return typeof folder === 'string' && folder.length <= 4096 && typeof file === 'string' && file.length < 1024
        ? { type: 'checkFile', folder, file }
        : undefined;
    }
    case 'checkAvailability': {
      const { pin, python } = raw;
      return typeof pin === 'string' && pin.length < 300 && typeof python === 'string' && /^3\.\d{1,2}$/.test(python)
        ? { type: 'checkAvailability', pin, python }
        : undefined;
    }
    case 'create': {
      const form = parseForm(raw['form']);
      return form === undefined ? undefined : { type: 'create', form };
    }
    default:
      return undefined;
  }
}
