// The example models PPL Nix can add to a folder: one small Bayesian linear regression per
// probabilistic programming library (the scripts live in media/examples/), what each needs in
// the environment, and which of them fit an environment's packages. Pure: the VS Code side
// reads the files and writes them into the workspace (src/examples/).
import { findEntry } from './catalog/catalog';
import { pythonPackageNames, readNixFile } from './shellNix/reader';
import { readShellNix } from './spec/readback';

export interface ExampleModel {
  /** The catalog package id the example is about: "pymc", "pyro-ppl", … */
  readonly id: string;
  /** The library's name as people write it: "PyMC". */
  readonly title: string;
  /** Files under media/examples/, copied to examples/ in the folder; the first is the script to open and run. */
  readonly files: readonly string[];
  /**
   * Python packages (nixpkgs attribute names: catalog ids, or extra packages such as numba) the
   * environment must list for the script to run. What they bring along (pymc brings arviz) is
   * not listed: nixpkgs propagates it.
   */
  readonly needs: readonly string[];
  /** One line: what the script shows. */
  readonly summary: string;
}

/** The folder, relative to the workspace folder, the examples are written to. */
export const EXAMPLES_FOLDER = 'examples';

export const EXAMPLES: readonly ExampleModel[] = [
  {
    id: 'pymc',
    title: 'PyMC',
    files: ['pymc_linear_regression.py'],
    needs: ['pymc'],
    summary: 'PyMC 5: pm.sample (NUTS), an ArviZ summary.',
  },
  {
    id: 'numpyro',
    title: 'NumPyro',
    files: ['numpyro_linear_regression.py'],
    needs: ['numpyro'],
    summary: 'NUTS via JAX (numpyro.infer.MCMC).',
  },
  {
    id: 'pyro-ppl',
    title: 'Pyro',
    files: ['pyro_linear_regression.py'],
    needs: ['pyro-ppl'],
    summary: 'NUTS in PyTorch (pyro.infer.MCMC), one chain.',
  },
  {
    id: 'cmdstanpy',
    title: 'CmdStanPy (Stan)',
    files: ['cmdstanpy_linear_regression.py', 'linear_regression.stan'],
    needs: ['cmdstanpy'],
    summary: 'A Stan program and its Python driver; the first run compiles the model (CMDSTAN is set by the shell).',
  },
  {
    id: 'tensorflow-probability',
    title: 'TensorFlow Probability',
    files: ['tensorflow_probability_linear_regression.py'],
    needs: ['tensorflow-probability'],
    summary: 'windowed_adaptive_nuts on a JointDistributionNamed.',
  },
  {
    id: 'emcee',
    title: 'emcee',
    files: ['emcee_linear_regression.py'],
    needs: ['emcee'],
    summary: 'Affine-invariant ensemble MCMC on a NumPy log-posterior; runs in seconds.',
  },
  {
    id: 'blackjax',
    title: 'BlackJAX',
    files: ['blackjax_linear_regression.py'],
    needs: ['blackjax'],
    summary: 'A hand-written JAX log-density, window adaptation and NUTS.',
  },
  {
    id: 'bambi',
    title: 'Bambi',
    files: ['bambi_linear_regression.py'],
    needs: ['bambi'],
    summary: 'The formula y ~ x with explicit priors, sampled by PyMC; an ArviZ summary.',
  },
  {
    id: 'nutpie',
    title: 'nutpie',
    files: ['nutpie_linear_regression.py'],
    // nixpkgs' nutpie pulls in neither PyMC nor numba (its default backend compiles the PyMC model with numba).
    needs: ['nutpie', 'pymc', 'numba'],
    summary: 'A PyMC model sampled by nutpie (Rust NUTS).',
  },
];

/**
 * What a package brings along in nixpkgs (its propagated Python dependencies), as far as the
 * examples care: Bambi is built on PyMC, PyMC brings ArviZ, NumPyro brings JAX, Pyro brings torch.
 */
export const BRINGS: Readonly<Record<string, readonly string[]>> = {
  pymc: ['arviz', 'pytensor', 'numpy', 'scipy', 'pandas'],
  bambi: ['pymc', 'arviz', 'pandas', 'formulae'],
  nutpie: ['arviz', 'pandas', 'xarray'],
  numpyro: ['jax', 'jaxlib', 'numpy'],
  blackjax: ['jax', 'numpy'],
  jax: ['jaxlib', 'numpy', 'scipy'],
  'pyro-ppl': ['torch', 'numpy'],
  'tensorflow-probability': ['tensorflow', 'numpy'],
  cmdstanpy: ['numpy', 'pandas'],
  emcee: ['numpy'],
  arviz: ['numpy', 'scipy', 'pandas', 'xarray', 'matplotlib'],
  pytensor: ['numpy', 'scipy'],
  scipy: ['numpy'],
  pandas: ['numpy'],
};

export function findExample(id: string): ExampleModel | undefined {
  return EXAMPLES.find((example) => example.id === id);
}

/** The packages an environment has: those it lists and what they bring along. */
export function withBroughtAlong(packages: readonly string[]): Set<string> {
  const have = new Set(packages);
  const queue = [...packages];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const brought of BRINGS[next] ?? []) {
      if (!have.has(brought)) {
        have.add(brought);
        queue.push(brought);
      }
    }
  }
  return have;
}

/** What the environment must add for the example to run (empty: it fits). */
export function missingFor(example: ExampleModel, packages: readonly string[]): string[] {
  const have = withBroughtAlong(packages);
  return example.needs.filter((name) => !have.has(name));
}

export interface ExampleChoice {
  readonly example: ExampleModel;
  /** Packages to add to the environment first; empty when it fits. */
  readonly missing: readonly string[];
}

/**
 * The examples to offer for an environment's packages: those that fit, in catalog order; when
 * none fits, every example with what to add (so a newcomer still gets one).
 */
export function examplesFor(packages: readonly string[]): { readonly fitting: boolean; readonly choices: readonly ExampleChoice[] } {
  const all = EXAMPLES.map((example) => ({ example, missing: missingFor(example, packages) }));
  const fits = all.filter((choice) => choice.missing.length === 0);
  return fits.length > 0 ? { fitting: true, choices: fits } : { fitting: false, choices: all };
}

/**
 * The Python packages an environment file lists (nixpkgs attribute names): the recorded spec of a
 * file PPL Nix wrote (catalog packages and extra ones), else the names in its
 * `withPackages (ps: …)` lists (a file written by hand, a flake).
 */
export function environmentPackages(text: string): string[] {
  const read = readShellNix(text);
  if (read.kind === 'managed') return [...read.spec.packages.map((id) => findEntry(id)?.attr ?? id), ...read.spec.extraPackages];
  return pythonPackageNames(readNixFile(text));
}

/** Where an example's file goes, relative to the workspace folder: examples/<file>. */
export function examplePath(file: string): string {
  return `${EXAMPLES_FOLDER}/${file}`;
}

/** Whether a workspace-relative path (forward slashes) is a Python file under examples/. */
export function isExampleScript(relativePath: string): boolean {
  return /^examples\/(?:[^/]+\/)*[^/]+\.py$/.test(relativePath);
}

/** A word for the POSIX shell: single-quoted, each single quote written as '\'' (nothing inside is expanded). */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The line typed into the environment's terminal to run a script. */
export function runCommandLine(scriptPath: string): string {
  return `python ${shellQuote(scriptPath)}`;
}
