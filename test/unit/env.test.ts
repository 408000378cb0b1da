import { strict as assert } from 'node:assert';
import { ENV_MARKER } from '../../src/core/nix/argv';
import { environmentDelta, executableCandidates, parseDevEnvJson, parseEnvNul, pathPrefix, storePathsIn } from '../../src/core/enter/env';

const STORE_A = '/nix/store/0c7dvkbmhkmd1a2ai8k6m4b1rrpsm6k3-python3-3.12.4-env';
const STORE_B = '/nix/store/1b7dvkbmhkmd1a2ai8k6m4b1rrpsm6k3-cmdstan-2.36.0';

describe('parsing a captured environment', () => {
  it('ignores what the shellHook printed before the marker, and keeps values with = and newlines', () => {
    const stdout = `Welcome to the shell\n\u0000${ENV_MARKER}\u0000PATH=${STORE_A}/bin:/usr/bin\u0000MULTI=a\nb=c\u0000CMDSTAN=${STORE_B}/opt/cmdstan\u0000`;
    assert.deepEqual(parseEnvNul(stdout), { PATH: `${STORE_A}/bin:/usr/bin`, MULTI: 'a\nb=c', CMDSTAN: `${STORE_B}/opt/cmdstan` });
    assert.throws(() => parseEnvNul('PATH=/x\u0000'), /marker/);
  });

  it('takes only exported variables from print-dev-env JSON', () => {
    const json = JSON.stringify({
      bashFunctions: { genericBuild: '...' },
      variables: {
        PATH: { type: 'exported', value: `${STORE_A}/bin` },
        CMDSTAN: { type: 'exported', value: `${STORE_B}/opt/cmdstan` },
        shellHook: { type: 'var', value: 'echo hi' },
        outputs: { type: 'array', value: ['out'] },
      },
    });
    assert.deepEqual(parseDevEnvJson(json), { PATH: `${STORE_A}/bin`, CMDSTAN: `${STORE_B}/opt/cmdstan` });
    assert.throws(() => parseDevEnvJson('{}'), /variables/);
  });

  it('keeps what the shell changes, drops session variables and unchanged ones', () => {
    const delta = environmentDelta(
      {
        PATH: `${STORE_A}/bin:/usr/bin`,
        HOME: '/homeless-shelter',
        TMPDIR: '/tmp/nix-shell.x',
        LANG: 'C.UTF-8',
        CMDSTAN: 'x',
        BASH_FUNC_foo: '()',
      },
      { PATH: '/usr/bin', HOME: '/root', LANG: 'C.UTF-8' },
    );
    assert.deepEqual(delta, { PATH: `${STORE_A}/bin:/usr/bin`, CMDSTAN: 'x' });
  });

  it('finds the PATH entries the shell adds in front of the user PATH', () => {
    assert.deepEqual(pathPrefix(`${STORE_A}/bin:${STORE_B}/bin:${STORE_A}/bin:/usr/bin:/bin`, '/usr/bin:/bin'), [
      `${STORE_A}/bin`,
      `${STORE_B}/bin`,
    ]);
    assert.deepEqual(pathPrefix('/path-not-set', '/usr/bin'), []);
  });

  it('lists where to look for python3 and which store paths an environment uses', () => {
    assert.deepEqual(executableCandidates(`${STORE_A}/bin/:relative:/usr/bin`, 'python3'), [`${STORE_A}/bin/python3`, '/usr/bin/python3']);
    assert.deepEqual(storePathsIn({ PATH: `${STORE_B}/bin:${STORE_A}/bin`, X: `${STORE_A}/lib` }), [STORE_A, STORE_B]);
  });
});
