// The picker's form, built once; main.ts fills it from state and re-renders the parts that change.
import { CATALOG, CATEGORY_TITLES, type CatalogEntry, type Category } from '../core/catalog/catalog';
import { h } from './dom';

export interface Field<T extends HTMLElement> {
  readonly input: T;
  readonly error: HTMLElement;
  readonly row: HTMLElement;
}

export interface PackageControl {
  readonly entry: CatalogEntry;
  readonly checkbox: HTMLInputElement;
  readonly item: HTMLElement;
  /** Out of the Tab order: reached from the checkbox with the Right arrow key (Left or Escape go back). */
  readonly homepage: HTMLAnchorElement;
  /** "added by CmdStanPy": shown while a ticked package brings this one along. */
  readonly addedBy: HTMLElement;
  readonly warning: HTMLElement;
  /** The version Nix found at the pin (after "Check at this pin"). */
  readonly badge: HTMLElement;
  /** "Add it anyway?" for a package that will not evaluate at the chosen pin and Python. */
  readonly confirm: {
    readonly row: HTMLElement;
    readonly text: HTMLElement;
    readonly yes: HTMLButtonElement;
    readonly no: HTMLButtonElement;
  };
}

export interface View {
  readonly folder: Field<HTMLSelectElement>;
  readonly name: Field<HTMLInputElement>;
  readonly file: Field<HTMLInputElement>;
  readonly fileNote: HTMLElement;
  /** shell.nix or flake.nix (+ flake.lock): two radio buttons in a fieldset. */
  readonly format: { readonly shell: HTMLInputElement; readonly flake: HTMLInputElement };
  readonly pin: Field<HTMLSelectElement>;
  readonly pinDetail: HTMLElement;
  readonly checkPin: HTMLButtonElement;
  readonly availabilityNote: HTMLElement;
  readonly python: Field<HTMLSelectElement>;
  readonly filter: HTMLInputElement;
  readonly suggestions: HTMLElement;
  readonly packages: readonly PackageControl[];
  readonly groups: readonly { readonly fieldset: HTMLFieldSetElement; readonly category: Category }[];
  readonly packagesError: HTMLElement;
  readonly extra: Field<HTMLInputElement>;
  readonly system: Field<HTMLInputElement>;
  readonly openTerminal: HTMLInputElement;
  readonly useInterpreter: HTMLInputElement;
  readonly create: HTMLButtonElement;
  /** The submit button's text: "Create shell.nix", "Update envs/numpyro.nix", "Replace default.nix…". */
  readonly createLabel: HTMLElement;
  readonly createIcon: HTMLElement;
  /** The last create's result, next to the button (role=status). */
  readonly status: HTMLElement;
  readonly statusIcon: HTMLElement;
  readonly statusText: HTMLElement;
  readonly preview: HTMLElement;
  readonly previewNote: HTMLElement;
  /** Ticked packages that will not evaluate at the chosen pin and Python, said above the preview. */
  readonly previewWarning: HTMLElement;
  readonly notices: HTMLElement;
}

let ids = 0;

function field<T extends HTMLElement>(label: string, input: T, hint?: string): Field<T> {
  const id = `field-${++ids}`;
  input.id = id;
  const error = h('div', { class: 'error', id: `${id}-error`, role: 'alert', hidden: true });
  const hintElement = hint === undefined ? undefined : h('div', { class: 'hint', id: `${id}-hint` }, hint);
  input.setAttribute('aria-describedby', [hintElement?.id, error.id].filter(Boolean).join(' '));
  const row = h('div', { class: 'row' }, h('label', { for: id }, label), input, hintElement, error);
  return { input, error, row };
}

function packageControl(entry: CatalogEntry): PackageControl {
  const id = `pkg-${entry.id}`;
  const checkbox = h('input', {
    type: 'checkbox',
    id,
    value: entry.id,
    'aria-describedby': `${id}-added ${id}-desc ${id}-warn`,
    'aria-keyshortcuts': 'ArrowRight',
  });
  const addedBy = h('span', { class: 'added-by', id: `${id}-added`, hidden: true });
  const warning = h('div', { class: 'warning', id: `${id}-warn`, hidden: true });
  const confirmText = h('span', { id: `${id}-confirm-text` });
  const yes = h(
    'button',
    { type: 'button', class: 'secondary', 'aria-describedby': `${id}-confirm-text` },
    `Add ${entry.displayName} anyway`,
  );
  const no = h('button', { type: 'button', class: 'secondary', 'aria-describedby': `${id}-confirm-text` }, 'Cancel');
  const confirmRow = h(
    'div',
    { class: 'confirm', role: 'alertdialog', 'aria-label': `Add ${entry.displayName}?`, hidden: true },
    confirmText,
    yes,
    no,
  );
  const badge = h('span', { class: 'badge version', hidden: true, title: 'Version at this pin (checked with Nix)' });
  // One Tab stop per package: the link is reached from the checkbox with the Right arrow key.
  const homepage = h(
    'a',
    {
      href: entry.homepage,
      class: 'homepage',
      tabindex: '-1',
      'aria-label': `${entry.displayName} homepage`,
      'aria-keyshortcuts': 'ArrowLeft Escape',
      title: `${entry.homepage} (from the checkbox: Right arrow)`,
    },
    h('span', { class: 'codicon codicon-link-external', 'aria-hidden': 'true' }),
  );
  const notes = entry.notes.map((note) =>
    h('div', { class: 'note' }, h('span', { class: 'codicon codicon-info', 'aria-hidden': 'true' }), ` ${note}`),
  );
  const item = h(
    'div',
    { class: 'package', 'data-id': entry.id },
    h(
      'div',
      { class: 'package-head' },
      checkbox,
      h('label', { for: id }, entry.displayName),
      homepage,
      addedBy,
      h('code', { class: 'attr' }, entry.kind === 'python' ? entry.attr : `pkgs.${entry.attr}`),
      badge,
    ),
    h('div', { class: 'description', id: `${id}-desc` }, entry.description),
    ...notes,
    warning,
    confirmRow,
  );
  return { entry, checkbox, item, homepage, addedBy, warning, badge, confirm: { row: confirmRow, text: confirmText, yes, no } };
}

/** The file format: a group of two radio buttons with a legend (one Tab stop, arrow keys between them). */
function formatControl(): { readonly fieldset: HTMLFieldSetElement; readonly shell: HTMLInputElement; readonly flake: HTMLInputElement } {
  const shell = h('input', { type: 'radio', name: 'format', id: 'format-shell', value: 'shell' });
  const flake = h('input', { type: 'radio', name: 'format', id: 'format-flake', value: 'flake', 'aria-describedby': 'format-hint' });
  const fieldset = h(
    'fieldset',
    { class: 'format' },
    h('legend', {}, 'Write'),
    h('div', { class: 'option' }, shell, h('label', { for: 'format-shell' }, 'shell.nix')),
    h('div', { class: 'option' }, flake, h('label', { for: 'format-flake' }, 'flake.nix (+ flake.lock)')),
    h(
      'div',
      { class: 'hint', id: 'format-hint' },
      'A flake is entered with nix develop (Nix 2.4 or later); flake.lock pins nixpkgs to the same hash.',
    ),
  );
  return { fieldset, shell, flake };
}

export function buildView(root: HTMLElement): View {
  const folder = field('Workspace folder', h('select', {}));
  const name = field('Environment name', h('input', { type: 'text', spellcheck: 'false', autocomplete: 'off' }));
  const file = field(
    'File',
    h('input', { type: 'text', spellcheck: 'false', autocomplete: 'off' }),
    'Relative to the folder, e.g. shell.nix or envs/numpyro.nix',
  );
  const fileNote = h('div', { class: 'hint', 'aria-live': 'polite' });
  file.row.append(fileNote);
  const format = formatControl();
  const pin = field('nixpkgs', h('select', {}));
  const pinDetail = h('div', { class: 'hint pin-detail' });
  const checkPin = h(
    'button',
    { type: 'button', class: 'secondary', id: 'check-pin' },
    h('span', { class: 'codicon codicon-checklist', 'aria-hidden': 'true' }),
    ' Check packages at this pin',
  );
  const availabilityNote = h('div', { class: 'hint', role: 'status', 'aria-live': 'polite' });
  pin.row.append(pinDetail, h('div', { class: 'check-pin' }, checkPin, availabilityNote));
  const python = field('Python', h('select', {}));
  const filter = h('input', {
    type: 'search',
    id: 'filter',
    placeholder: 'Filter packages',
    'aria-label': 'Filter packages',
    'aria-describedby': 'packages-keys',
  });
  const keys = h(
    'div',
    { class: 'hint keys', id: 'packages-keys' },
    'Space ticks a package; \u2191 \u2193 move between packages; \u2192 goes to its homepage link, \u2190 back. Ctrl+Enter writes the file.',
  );
  const suggestions = h('div', { class: 'suggestions', 'aria-live': 'polite' });
  const packages = CATALOG.map(packageControl);
  const categories = Object.keys(CATEGORY_TITLES) as Category[];
  const groups = categories.map((category) => ({
    category,
    fieldset: h(
      'fieldset',
      { class: 'group' },
      h('legend', {}, CATEGORY_TITLES[category]),
      ...packages.filter((p) => p.entry.category === category).map((p) => p.item),
    ),
  }));
  const packagesError = h('div', { class: 'error', role: 'alert', hidden: true });
  const extra = field(
    'Extra Python packages',
    h('input', { type: 'text', spellcheck: 'false', autocomplete: 'off', placeholder: 'e.g. tqdm polars' }),
    'nixpkgs attribute names of the Python package set, separated by spaces or commas',
  );
  const system = field(
    'Extra system packages',
    h('input', { type: 'text', spellcheck: 'false', autocomplete: 'off', placeholder: 'e.g. git' }),
    'Top-level nixpkgs attributes',
  );
  const openTerminal = h('input', { type: 'checkbox', id: 'opt-terminal' });
  const useInterpreter = h('input', { type: 'checkbox', id: 'opt-interpreter' });
  const createLabel = h('span', { class: 'label' }, 'Create shell.nix');
  const createIcon = h('span', { class: 'codicon codicon-add', 'aria-hidden': 'true' });
  const create = h(
    'button',
    { type: 'submit', class: 'primary', 'aria-keyshortcuts': 'Control+Enter Meta+Enter' },
    createIcon,
    createLabel,
  );
  const statusIcon = h('span', { class: 'codicon', 'aria-hidden': 'true' });
  const statusText = h('span', { class: 'status-text' });
  const status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite' }, statusIcon, statusText);
  const previewNote = h('div', { class: 'hint', id: 'preview-note' });
  const preview = h('pre', { class: 'preview', tabindex: '0', 'aria-label': 'Preview of the file', 'aria-describedby': 'preview-note' });
  const previewWarning = h('div', { class: 'warning', role: 'status', hidden: true });
  const notices = h('div', { class: 'notices' });

  const form = h(
    'form',
    { class: 'form', novalidate: true },
    h(
      'section',
      { 'aria-labelledby': 'h-env' },
      h('h2', { id: 'h-env' }, 'Environment'),
      folder.row,
      name.row,
      format.fieldset,
      file.row,
      pin.row,
      python.row,
    ),
    h(
      'section',
      { 'aria-labelledby': 'h-packages' },
      h('h2', { id: 'h-packages' }, 'Packages'),
      filter,
      keys,
      suggestions,
      ...groups.map((g) => g.fieldset),
      packagesError,
    ),
    h(
      'section',
      { 'aria-labelledby': 'h-more' },
      h('h2', { id: 'h-more' }, 'More'),
      extra.row,
      system.row,
      h('div', { class: 'option' }, openTerminal, h('label', { for: 'opt-terminal' }, 'Open a terminal in the shell after creating')),
      h('div', { class: 'option' }, useInterpreter, h('label', { for: 'opt-interpreter' }, 'Use it as the Python interpreter')),
    ),
    h('div', { class: 'actions' }, create, status),
  );
  root.replaceChildren(
    h(
      'header',
      {},
      h('h1', {}, 'Create PPL Nix shell'),
      h('p', {}, 'A shell.nix pinned to an exact nixpkgs revision: the same Python environment on every machine.'),
      notices,
    ),
    h(
      'div',
      { class: 'layout' },
      form,
      h('aside', { 'aria-labelledby': 'h-preview' }, h('h2', { id: 'h-preview' }, 'Preview'), previewNote, previewWarning, preview),
    ),
  );
  return {
    folder,
    name,
    file,
    fileNote,
    format: { shell: format.shell, flake: format.flake },
    pin,
    pinDetail,
    checkPin,
    availabilityNote,
    python,
    filter,
    suggestions,
    packages,
    groups,
    packagesError,
    extra,
    system,
    openTerminal,
    useInterpreter,
    create,
    createLabel,
    createIcon,
    status,
    statusIcon,
    statusText,
    preview,
    previewNote,
    previewWarning,
    notices,
  };
}
