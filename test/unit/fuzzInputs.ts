// Random environment specs for the fuzz suites (test/unit/fuzzSpecs.test.ts, test/nix/fuzzSpecs.test.ts):
// every field is either a value PPL Nix must accept (odd but legal: quotes and `${` in a pin
// label, `a''b` as a package, unicode, `../` in a file:// URL) or a hostile one it must refuse
// (a line break, an interpolation, a keyword, 10 000 characters, …). Each spec carries the list
// of fields that were made hostile, so a test can say which field must be refused.
import * as fc from 'fast-check';
import { CATALOG, findRenamed } from '../../src/core/catalog/catalog';
import { HISTORICAL_PINS, SHIPPED_PINS } from '../../src/core/pins/pins';
import { fileForFormat, type PickerForm } from '../../src/core/picker/form';
import type { WebviewMessage } from '../../src/core/picker/protocol';
import type { EnvSpec } from '../../src/core/spec/spec';
import type { SpecInput } from '../../src/core/spec/specInput';
import { NIX_KEYWORDS, RESERVED_NAMES } from '../../src/core/spec/validate';

/** The seed of every fuzz run: fixed so CI is reproducible; PPL_NIX_FUZZ_SEED=<n> explores others. */
export const FUZZ_SEED = Number(process.env['PPL_NIX_FUZZ_SEED'] ?? 20_251_303);

/** The field of a spec as validateSpec names it in its problems. */
export type SpecField =
  'name' | 'pin' | 'pin.url' | 'pin.sha256' | 'python' | 'packages' | 'extraPackages' | 'systemPackages' | 'shellHook';

export interface FuzzSpec {
  readonly spec: EnvSpec;
  /** Fields holding a value that must be refused (empty: the spec must be accepted). */
  readonly hostile: readonly SpecField[];
}

/** What breaks out of a Nix string, a comment, a line, a path or a terminal. */
export const INJECTIONS: readonly string[] = [
  '"',
  '${',
  "''",
  '\n',
  '\r',
  ';',
  '\u0000',
  '\u001b[31m',
  '\u2028',
  '\u202e',
  '\t',
  ' ',
  '\\',
  '`',
  '$',
  '{',
  '}',
  '../',
  '/',
  'é',
  '🙂',
  '\ud800',
];

const TEN_THOUSAND = 10_000;

/** One of the injections, somewhere in a value that is otherwise fine. */
function injected(base: fc.Arbitrary<string>, injections: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(base, fc.constantFrom(...injections), fc.nat(), fc.constantFrom('', 'x', 'rm -rf ~', 'pkgs', '1'))
    .map(([value, bad, at, tail]) => {
      const i = at % (value.length + 1);
      return `${value.slice(0, i)}${bad}${tail}${value.slice(i)}`;
    });
}

/** Text made of the given pieces (fc.stringOf no longer exists in fast-check 4). */
const textOf = (pieces: fc.Arbitrary<string>, maxLength: number): fc.Arbitrary<string> =>
  fc.array(pieces, { maxLength }).map((parts) => parts.join(''));

// ---- environment names -------------------------------------------------------------------------

const validEnvName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/);
const hostileEnvName = fc.oneof(
  injected(
    validEnvName,
    INJECTIONS.filter((s) => !/^[A-Za-z0-9._+-]*$/.test(s)),
  ),
  fc.constantFrom('', '../etc', '..', '.hidden', '-rf', 'a'.repeat(TEN_THOUSAND), `x${'y'.repeat(64)}`, 'bayes"; rm -rf ~; "'),
);

// ---- Nix identifiers: extra Python packages and system package paths ------------------------------

/** A name `with ps; [ … ]` takes as a package: not a keyword, builtin, binding of the file or renamed package. */
const isPlainPackage = (name: string): boolean =>
  !NIX_KEYWORDS.has(name) && !RESERVED_NAMES.has(name) && !name.startsWith('__') && findRenamed(name) === undefined;

const validIdentifier = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_'-]{0,20}$/) },
  // Odd but legal Nix identifiers: quotes inside, dashes, a 100-character name.
  { weight: 1, arbitrary: fc.constantFrom("a''b", "x'", "don't", 'a-b-c', '_', 'x'.repeat(100), 'tqdm', 'polars', 'rich') },
);
const validExtra = validIdentifier.filter(isPlainPackage);
const hostileExtra = fc.oneof(
  injected(
    validExtra,
    INJECTIONS.filter((s) => !/^[A-Za-z0-9_'-]*$/.test(s)),
  ),
  fc.constantFrom(
    '',
    "''",
    "''x",
    '1abc',
    '-x',
    'x'.repeat(TEN_THOUSAND),
    '../../etc/passwd',
    'a.b',
    ...NIX_KEYWORDS,
    ...[...RESERVED_NAMES].slice(0, 12),
    '__curPos',
    'pymc3',
    'theano',
  ),
);

const validPathPart = validIdentifier.filter((name) => !NIX_KEYWORDS.has(name) && !name.startsWith('__'));
const validSystem = fc.array(validPathPart, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('.'));
const hostileSystem = fc.oneof(
  injected(
    validSystem,
    INJECTIONS.filter((s) => !/^[A-Za-z0-9_'.-]*$/.test(s)),
  ),
  fc.constantFrom('', '.git', 'git.', 'a..b', '../x', 'pkgs.${x}', 'with', 'llvmPackages.if', 'x'.repeat(TEN_THOUSAND)),
);

// ---- pins --------------------------------------------------------------------------------------

const BASE32 = '0123456789abcdfghijklmnpqrsvwxyz';
const validSha = fc.array(fc.constantFrom(...BASE32), { minLength: 52, maxLength: 52 }).map((chars) => chars.join(''));
const hostileSha = fc.oneof(
  validSha.map((sha) => sha.slice(1)),
  validSha.map((sha) => `${sha}a`),
  validSha.map((sha) => `${sha.slice(0, 51)}e`),
  validSha.map((sha) => sha.toUpperCase().replace(/^./, 'Z')),
  injected(validSha, ['"', '${', '\n', ' ', ';', "''"]),
  fc.constantFrom('', 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=', 'x'.repeat(TEN_THOUSAND)),
);

const urlPath = textOf(
  fc.oneof(
    { weight: 8, arbitrary: fc.stringMatching(/^[A-Za-z0-9._~-]{1,8}$/) },
    { weight: 2, arbitrary: fc.constantFrom('/', '../', "'", ';', '%20', '=', '&', '?', 'é', '+', '@', ':', '!') },
  ),
  8,
);
const validUrl = fc.oneof(
  fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}\.(org|com|net)$/), urlPath).map(([host, path]) => `https://${host}/${path}.tar.gz`),
  urlPath.map((path) => `file:///tmp/${path}.tar.gz`),
  fc
    .array(fc.constantFrom(...'0123456789abcdef'), { minLength: 40, maxLength: 40 })
    .map((hex) => `https://github.com/NixOS/nixpkgs/archive/${hex.join('')}.tar.gz`),
  fc.tuple(fc.integer({ min: 1, max: 65_535 }), urlPath).map(([port, path]) => `http://127.0.0.1:${port}/${path}`),
  fc.constant(`https://example.org/${'a'.repeat(2000)}.tar.gz`),
);
const hostileUrl = fc.oneof(
  injected(validUrl, ['"', '${', '\n', ' ', '\\', '`', '{', '}', '$', '\u0000', '\r', '\t']),
  fc.constantFrom(
    '',
    'http://example.org/x.tar.gz',
    'ftp://example.org/x.tar.gz',
    'javascript:alert(1)',
    '../nixpkgs.tar.gz',
    '/etc/passwd',
    'https://',
    `ftp://${'x'.repeat(TEN_THOUSAND)}\n`,
    'https://example.org/x.tar.gz"; }; evil = import /etc/passwd; x = { y = "',
  ),
);

const validLabel = fc
  .tuple(
    fc.stringMatching(/^[A-Za-z0-9]$/),
    textOf(
      fc.oneof(
        { weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 4 }) },
        { weight: 3, arbitrary: fc.constantFrom('"', '${', "''", ';', 'é', '🙂', '∑', '../', '#', '\\', '`', '$', '{', '}', ' ') },
      ),
      12,
    ),
    fc.stringMatching(/^[A-Za-z0-9)]$/),
  )
  .map(([first, middle, last]) => `${first}${middle}${last}`)
  .filter((label) => label === label.trim() && label.length <= 80);
const hostileLabel = fc.oneof(
  injected(validLabel, ['\n', '\r', '\u0000', '\u001b[31m', '\u2028', '\u2029', '\u202e', '\t', '\u0085', '\ud800', '\udfff']),
  validLabel.map((label) => ` ${label}`),
  fc.constantFrom('', ' ', 'x'.repeat(81), 'y'.repeat(TEN_THOUSAND), 'mine\n  fetchTarball = _: ./evil;\n  #x'),
);

/** A custom pin; the labels of shipped and historical pins are left to the shipped pins. */
const shippedLabels = new Set([...SHIPPED_PINS, ...HISTORICAL_PINS].map((pin) => pin.label.toLowerCase()));

// ---- Python, catalog, shell hook -----------------------------------------------------------------

const validPython = fc.integer({ min: 0, max: 99 }).map((minor) => `3.${minor}`);
const hostilePython = fc.constantFrom('', '3', '3.', '3.123', '2.7', '3.12.1', '3.12"', '3.1${x}', '3.12\n', ' 3.12', 'python312', '３.12');

const catalogIds = CATALOG.map((entry) => entry.id);
const validPackages = fc.subarray(catalogIds);
const hostilePackage = fc.oneof(
  injected(fc.constantFrom(...catalogIds), ['"', '${', '\n', ' ', ';', '../', "''"]),
  fc.constantFrom('not-in-catalog', 'PyMC', 'pymc3', '', 'x'.repeat(TEN_THOUSAND)),
);

/** Text that matters to a Nix indented string and to the file's markers. */
export const hookText = textOf(
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.constantFrom("'", "''", '$', '${', '{', '}', '\\', '\n', '\t', ' ', '"', '$$', "''$", "''\\n", '#', ';', '\r'),
    },
    { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 4, unit: 'binary' }).filter((s) => !s.includes('\u0000')) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'é',
        '🙂',
        '\u2028',
        'echo ',
        'export A=',
        '\n# ppl-nix-spec: {}\n',
        '# ppl-nix:end',
        'x # ppl-nix:end shellHook',
        '\r\n',
      ),
    },
  ),
  40,
);
const hostileHook = fc.oneof(
  injected(hookText, ['\u0000', '\ud800', '\udc00']),
  // A line the reader would take for a block marker.
  injected(hookText, ['\n# ppl-nix:end shellHook\n', '\n  # ppl-nix:begin packages\n', '\n\r# ppl-nix:end shellHook\n']),
  fc.constant('x'.repeat(64 * 1024 + 1)),
  fc.constant(`echo ${'y'.repeat(70_000)}`),
);

// ---- the spec ----------------------------------------------------------------------------------

/** A field's value: legal most of the time, hostile with probability 1/16. */
function field<T>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<T>): fc.Arbitrary<{ value: T; hostile: boolean }> {
  return fc.oneof(
    { weight: 15, arbitrary: valid.map((value) => ({ value, hostile: false })) },
    { weight: 1, arbitrary: hostile.map((value) => ({ value, hostile: true })) },
  );
}

/** A list where each element may be hostile; the list is hostile when one is. */
function listField(valid: fc.Arbitrary<string>, hostile: fc.Arbitrary<string>, maxLength: number) {
  return fc
    .array(field(valid, hostile), { maxLength })
    .map((items) => ({ value: items.map((item) => item.value), hostile: items.some((item) => item.hostile) }));
}

const pinField = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...SHIPPED_PINS, ...HISTORICAL_PINS).map((pin) => ({ pin, hostile: [] as SpecField[] })) },
  {
    weight: 3,
    arbitrary: fc
      .record({
        label: field(
          validLabel.filter((label) => !shippedLabels.has(label.toLowerCase())),
          hostileLabel,
        ),
        url: field(validUrl, hostileUrl),
        sha256: field(validSha, hostileSha),
      })
      .map(({ label, url, sha256 }) => ({
        pin: { label: label.value, url: url.value, sha256: sha256.value },
        hostile: [
          ...(label.hostile ? (['pin'] as const) : []),
          ...(url.hostile ? (['pin.url'] as const) : []),
          ...(sha256.hostile ? (['pin.sha256'] as const) : []),
        ] as SpecField[],
      })),
  },
);

export const fuzzSpec: fc.Arbitrary<FuzzSpec> = fc
  .record({
    name: field(validEnvName, hostileEnvName),
    pin: pinField,
    python: field(validPython, hostilePython),
    packages: fc
      .tuple(validPackages, fc.oneof({ weight: 15, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: hostilePackage }))
      .map(([ids, bad]) => ({ value: bad === null ? ids : [...ids, bad], hostile: bad !== null })),
    extraPackages: listField(validExtra, hostileExtra, 5),
    systemPackages: listField(validSystem, hostileSystem, 4),
    shellHook: fc.option(field(hookText, hostileHook), { freq: 3 }),
  })
  .map(({ name, pin, python, packages, extraPackages, systemPackages, shellHook }) => {
    const spec: EnvSpec = {
      name: name.value,
      pin: { label: pin.pin.label, url: pin.pin.url, sha256: pin.pin.sha256 },
      python: python.value,
      packages: packages.value,
      extraPackages: extraPackages.value,
      systemPackages: systemPackages.value,
      ...(shellHook === null ? {} : { shellHook: shellHook.value }),
    };
    const hostile: SpecField[] = [
      ...(name.hostile ? (['name'] as const) : []),
      ...pin.hostile,
      ...(python.hostile ? (['python'] as const) : []),
      ...(packages.hostile ? (['packages'] as const) : []),
      ...(extraPackages.hostile ? (['extraPackages'] as const) : []),
      ...(systemPackages.hostile ? (['systemPackages'] as const) : []),
      ...(shellHook?.hostile === true ? (['shellHook'] as const) : []),
    ];
    return { spec, hostile };
  });

/** The spec as the file records it (lists sorted, an empty hook left out): what reading it back must give. */
export function recorded(spec: EnvSpec): EnvSpec {
  return {
    name: spec.name,
    pin: { label: spec.pin.label, url: spec.pin.url, sha256: spec.pin.sha256 },
    python: spec.python,
    packages: [...spec.packages].sort(),
    extraPackages: [...spec.extraPackages].sort(),
    systemPackages: [...spec.systemPackages].sort(),
    ...(spec.shellHook === undefined || spec.shellHook === '' ? {} : { shellHook: spec.shellHook }),
  };
}

/** No lone UTF-16 surrogate (half a character, which a file or a terminal shows as �). */
const isWellFormed = (text: string): boolean => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);

/** A message a user can read: one line, no control characters, bounded. */
export function readableMessage(message: string): boolean {
  return (
    message.trim().length > 0 &&
    message.length <= 2000 &&
    !/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(message) &&
    isWellFormed(message)
  );
}

/** The shipped pin a spec names, when it names one exactly (the CLI then names it by its label). */
const shippedPinOf = (spec: EnvSpec) => SHIPPED_PINS.find((pin) => pin.label === spec.pin.label && pin.url === spec.pin.url);

/** `ppl-nix new` arguments for a spec (the CLI has no shell hook flag); `--key=value`, so a value may start with "-". */
export function cliArgs(spec: EnvSpec, out: string): string[] {
  const shipped = shippedPinOf(spec);
  return [
    'new',
    `--name=${spec.name}`,
    `--python=${spec.python}`,
    ...(shipped === undefined
      ? [`--pin=${spec.pin.label}`, `--pin-url=${spec.pin.url}`, `--pin-sha256=${spec.pin.sha256}`]
      : [`--pin=${shipped.label}`]),
    `--packages=${spec.packages.join(',')}`,
    `--extra=${spec.extraPackages.join(',')}`,
    `--system=${spec.systemPackages.join(',')}`,
    `--out=${out}`,
  ];
}

/** What the CLI hands buildSpec for cliArgs(spec). */
export function cliInput(spec: EnvSpec): SpecInput {
  const shipped = shippedPinOf(spec);
  return {
    name: spec.name,
    python: spec.python,
    pin: spec.pin.label,
    packages: [spec.packages.join(',')],
    extraPackages: [spec.extraPackages.join(',')],
    systemPackages: [spec.systemPackages.join(',')],
    ...(shipped === undefined ? { pinUrl: spec.pin.url, pinSha256: spec.pin.sha256 } : {}),
  };
}

// ---- picker messages ------------------------------------------------------------------------------

const hostileMessageString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 2, arbitrary: fc.constantFrom(...INJECTIONS, '../../etc/passwd', '/etc/passwd', 'file:///etc', '__proto__', 'constructor') },
  { weight: 1, arbitrary: fc.string({ maxLength: 20, unit: 'binary' }) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(1023), 'x'.repeat(1024), 'x'.repeat(4097), 'y'.repeat(100_000)) },
  { weight: 1, arbitrary: fc.constantFrom('3.12', 'shell.nix', 'envs/a.nix', 'file:///w', 'nixos-25.05 (2025-07-15)') },
);
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileMessageString },
  { weight: 2, arbitrary: fc.anything({ maxDepth: 2, withNullPrototype: true, withBigInt: true, withMap: true, withSet: true }) },
  { weight: 1, arbitrary: fc.array(hostileMessageString, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.constantFrom(true, false, 0, -1, NaN, Infinity, null, undefined, [], {}) },
);

export const validForm: fc.Arbitrary<PickerForm> = fc
  .record(
    {
      folder: fc.constantFrom('file:///w', 'file:///other'),
      file: fc.constantFrom('shell.nix', 'envs/numpyro.nix'),
      format: fc.constantFrom('shell' as const, 'flake' as const),
      name: fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/),
      pin: fc.constantFrom('nixos-25.05 (2025-07-15)', 'fixture'),
      python: fc.constantFrom('3.12', '3.13'),
      packages: fc.subarray(['pymc', 'arviz', 'numpyro', 'jax']),
      extraPackages: fc.constantFrom('', 'tqdm polars'),
      systemPackages: fc.constantFrom('', 'git'),
      openTerminal: fc.boolean(),
      useInterpreter: fc.boolean(),
    },
    { noNullPrototype: true },
  )
  .map((form) => (form.format === 'flake' ? { ...form, file: fileForFormat(form.file, 'flake') } : form));
export const validMessage: fc.Arbitrary<WebviewMessage> = fc.oneof(
  fc.constant({ type: 'ready' } as const),
  fc.record(
    { type: fc.constant('checkFile' as const), folder: fc.constantFrom('file:///w'), file: fc.constantFrom('shell.nix', 'a/b.nix') },
    { noNullPrototype: true },
  ),
  fc.record(
    { type: fc.constant('checkAvailability' as const), pin: fc.constantFrom('fixture'), python: fc.constantFrom('3.12', '3.9') },
    { noNullPrototype: true },
  ),
  fc.record({ type: fc.constant('create' as const), form: validForm }, { noNullPrototype: true }),
);

/** A valid message with one field changed, dropped or added, or its form's. */
const mutated: fc.Arbitrary<unknown> = fc
  .tuple(validMessage, fc.constantFrom('set', 'drop', 'add', 'form-set', 'form-drop', 'form-add'), fc.nat(), anyValue, hostileMessageString)
  .map(([message, how, at, value, key]) => {
    const copy = JSON.parse(JSON.stringify(message)) as Record<string, unknown>;
    const onForm = how.startsWith('form-') && typeof copy['form'] === 'object';
    const target = onForm ? (copy['form'] as Record<string, unknown>) : copy;
    const keys = Object.keys(target);
    const chosen = keys[at % keys.length]!;
    const changed = how.endsWith('set')
      ? { ...target, [chosen]: value }
      : how.endsWith('drop')
        ? Object.fromEntries(Object.entries(target).filter(([name]) => name !== chosen))
        : { ...target, [key]: value };
    return onForm ? { ...copy, form: changed } : changed;
  });

/** Random objects with a known type and random fields. */
const typed: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.constantFrom('ready', 'checkFile', 'checkAvailability', 'create', 'Ready', 'create ', 'result', 'init'),
    fc.dictionary(hostileMessageString, anyValue, { maxKeys: 6 }),
  )
  .map(([type, rest]) => ({ ...rest, type }));

export const webviewMessages: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: mutated },
  { weight: 2, arbitrary: typed },
  { weight: 1, arbitrary: anyValue },
  { weight: 1, arbitrary: validMessage },
);
