// The packages PPL Nix offers. Each entry says what it is, where it lives in nixpkgs
// (attribute in the Python package set, or a top-level package for system tools),
// what it needs besides itself, and what users should know before choosing it.

export type Category = 'ppl' | 'inference' | 'analysis' | 'notebooks' | 'system';

export const CATEGORY_TITLES: Readonly<Record<Category, string>> = {
  ppl: 'Probabilistic programming',
  inference: 'Inference backends',
  analysis: 'Analysis & plotting',
  notebooks: 'Notebooks & tools',
  system: 'System tools',
};

/** An environment variable pointing into a top-level package: CMDSTAN = "${pkgs.cmdstan}/opt/cmdstan". */
export interface StorePathVariable {
  readonly name: string;
  readonly package: string;
  readonly suffix: string;
}

export interface SystemNeeds {
  /** Top-level nixpkgs packages added to mkShell's packages. */
  readonly packages?: readonly string[];
  readonly variables?: readonly StorePathVariable[];
  /** Compiles C at run time; mkShell's stdenv already puts a C compiler on PATH. */
  readonly cCompiler?: boolean;
}

export interface CatalogEntry {
  readonly id: string;
  readonly displayName: string;
  /** 'python': attribute of pythonXY.pkgs; 'system': top-level nixpkgs attribute. */
  readonly kind: 'python' | 'system';
  readonly attr: string;
  readonly pypi?: string;
  readonly importName?: string;
  readonly category: Category;
  readonly description: string;
  readonly homepage: string;
  readonly notes: readonly string[];
  readonly needs: SystemNeeds;
  /** Ids worth adding alongside (the picker pre-suggests them). */
  readonly suggests: readonly string[];
}

type Entry = Omit<CatalogEntry, 'kind' | 'notes' | 'needs' | 'suggests' | 'pypi' | 'importName'> &
  Partial<Pick<CatalogEntry, 'notes' | 'needs' | 'suggests'>> & { pypi?: string; importName?: string };

function python(entry: Entry): CatalogEntry {
  return {
    kind: 'python',
    notes: [],
    needs: {},
    suggests: [],
    pypi: entry.pypi ?? entry.attr,
    importName: entry.importName ?? entry.attr.replace(/-/g, '_'),
    ...entry,
  };
}

function system(entry: Omit<Entry, 'pypi' | 'importName'>): CatalogEntry {
  return { kind: 'system', notes: [], needs: {}, suggests: [], ...entry };
}

const CMDSTAN_VARIABLE: StorePathVariable = { name: 'CMDSTAN', package: 'cmdstan', suffix: '/opt/cmdstan' };

export const CATALOG: readonly CatalogEntry[] = [
  // Probabilistic programming
  python({
    id: 'pymc',
    displayName: 'PyMC',
    attr: 'pymc',
    category: 'ppl',
    description: 'Bayesian modelling and probabilistic machine learning with MCMC and variational inference.',
    homepage: 'https://www.pymc.io',
    notes: ['PyMC3 is now PyMC (4 and later): import pymc as pm; sampling returns ArviZ InferenceData.'],
    suggests: ['arviz'],
  }),
  python({
    id: 'numpyro',
    displayName: 'NumPyro',
    attr: 'numpyro',
    category: 'ppl',
    description: 'Probabilistic programming with NumPy, powered by JAX for autograd and JIT to GPU/CPU.',
    homepage: 'https://num.pyro.ai',
    suggests: ['jax', 'arviz'],
  }),
  python({
    id: 'pyro-ppl',
    displayName: 'Pyro',
    attr: 'pyro-ppl',
    importName: 'pyro',
    category: 'ppl',
    description: 'Deep universal probabilistic programming on PyTorch.',
    homepage: 'https://pyro.ai',
  }),
  python({
    id: 'tensorflow-probability',
    displayName: 'TensorFlow Probability',
    attr: 'tensorflow-probability',
    pypi: 'tensorflow-probability',
    importName: 'tensorflow_probability',
    category: 'ppl',
    description: 'Probabilistic reasoning and statistical analysis on TensorFlow (and JAX).',
    homepage: 'https://www.tensorflow.org/probability',
    notes: ['Large: pulls in TensorFlow.'],
  }),
  python({
    id: 'cmdstanpy',
    displayName: 'CmdStanPy',
    attr: 'cmdstanpy',
    category: 'ppl',
    description: 'Python interface to CmdStan, the command-line interface to Stan.',
    homepage: 'https://mc-stan.org/cmdstanpy',
    notes: [
      'PyStan 3 is not packaged in nixpkgs: CmdStanPy is the supported way to use Stan.',
      'Adds the cmdstan system package and sets CMDSTAN to it.',
    ],
    needs: { packages: ['cmdstan'], variables: [CMDSTAN_VARIABLE] },
    suggests: ['arviz'],
  }),
  python({
    id: 'bambi',
    displayName: 'Bambi',
    attr: 'bambi',
    category: 'ppl',
    description: 'BAyesian Model-Building Interface: formula-based regression models on top of PyMC.',
    homepage: 'https://bambinos.github.io/bambi',
    suggests: ['pymc', 'arviz'],
  }),
  python({
    id: 'emcee',
    displayName: 'emcee',
    attr: 'emcee',
    category: 'ppl',
    description: 'The MCMC Hammer: affine-invariant ensemble sampler.',
    homepage: 'https://emcee.readthedocs.io',
    suggests: ['corner'],
  }),
  // Inference backends
  python({
    id: 'pytensor',
    displayName: 'PyTensor',
    attr: 'pytensor',
    category: 'inference',
    description: 'Tensor library behind PyMC: defines, optimises and compiles mathematical expressions.',
    homepage: 'https://pytensor.readthedocs.io',
    notes: ['Compiles C at run time: the shell provides a C compiler (mkShell includes one).', 'Successor of Aesara and Theano.'],
    needs: { cCompiler: true },
  }),
  python({
    id: 'aesara',
    displayName: 'Aesara',
    attr: 'aesara',
    category: 'inference',
    description: 'Tensor library formerly used by PyMC 4 (unmaintained).',
    homepage: 'https://github.com/aesara-devs/aesara',
    notes: [
      'Aesara is unmaintained; PyTensor is its successor. Choose PyTensor unless you reproduce old work.',
      'Compiles C at run time: the shell provides a C compiler (mkShell includes one).',
    ],
    needs: { cCompiler: true },
    suggests: [],
  }),
  python({
    id: 'jax',
    displayName: 'JAX',
    attr: 'jax',
    category: 'inference',
    description: 'Composable transformations of NumPy programs: grad, jit, vmap.',
    homepage: 'https://jax.readthedocs.io',
    suggests: ['jaxlib'],
  }),
  python({
    id: 'jaxlib',
    displayName: 'jaxlib',
    attr: 'jaxlib',
    category: 'inference',
    description: 'The compiled XLA backend that JAX runs on (CPU build).',
    homepage: 'https://jax.readthedocs.io',
  }),
  python({
    id: 'blackjax',
    displayName: 'BlackJAX',
    attr: 'blackjax',
    category: 'inference',
    description: 'Composable sampling algorithms (NUTS, SMC, VI) in JAX.',
    homepage: 'https://blackjax-devs.github.io/blackjax',
    suggests: ['jax'],
  }),
  python({
    id: 'nutpie',
    displayName: 'nutpie',
    attr: 'nutpie',
    category: 'inference',
    description: 'Fast NUTS sampler written in Rust, for PyMC and Stan models.',
    homepage: 'https://pymc-devs.github.io/nutpie',
  }),
  // Analysis & plotting
  python({
    id: 'arviz',
    displayName: 'ArviZ',
    attr: 'arviz',
    category: 'analysis',
    description: 'Exploratory analysis of Bayesian models: diagnostics, summaries and plots.',
    homepage: 'https://python.arviz.org',
  }),
  python({
    id: 'corner',
    displayName: 'corner',
    attr: 'corner',
    category: 'analysis',
    description: 'Corner plots of multidimensional samples.',
    homepage: 'https://corner.readthedocs.io',
  }),
  python({
    id: 'numpy',
    displayName: 'NumPy',
    attr: 'numpy',
    category: 'analysis',
    description: 'N-dimensional arrays and numerical computing.',
    homepage: 'https://numpy.org',
  }),
  python({
    id: 'scipy',
    displayName: 'SciPy',
    attr: 'scipy',
    category: 'analysis',
    description: 'Optimisation, integration, statistics and more on NumPy.',
    homepage: 'https://scipy.org',
  }),
  python({
    id: 'pandas',
    displayName: 'pandas',
    attr: 'pandas',
    category: 'analysis',
    description: 'Data frames for data analysis.',
    homepage: 'https://pandas.pydata.org',
  }),
  python({
    id: 'xarray',
    displayName: 'xarray',
    attr: 'xarray',
    category: 'analysis',
    description: 'Labelled N-dimensional arrays (the data model of ArviZ InferenceData).',
    homepage: 'https://xarray.dev',
  }),
  python({
    id: 'matplotlib',
    displayName: 'matplotlib',
    attr: 'matplotlib',
    category: 'analysis',
    description: 'The standard plotting library.',
    homepage: 'https://matplotlib.org',
  }),
  python({
    id: 'seaborn',
    displayName: 'seaborn',
    attr: 'seaborn',
    category: 'analysis',
    description: 'Statistical data visualisation on matplotlib.',
    homepage: 'https://seaborn.pydata.org',
  }),
  // Notebooks & tools
  python({
    id: 'ipython',
    displayName: 'IPython',
    attr: 'ipython',
    importName: 'IPython',
    category: 'notebooks',
    description: 'The enhanced interactive Python shell.',
    homepage: 'https://ipython.org',
  }),
  python({
    id: 'jupyter',
    displayName: 'Jupyter',
    attr: 'jupyter',
    category: 'notebooks',
    description: 'The Jupyter notebook meta-package (notebook, console, widgets).',
    homepage: 'https://jupyter.org',
    suggests: ['ipykernel'],
  }),
  python({
    id: 'ipykernel',
    displayName: 'ipykernel',
    attr: 'ipykernel',
    category: 'notebooks',
    description: 'The IPython kernel, so VS Code notebooks can run in this environment.',
    homepage: 'https://ipython.readthedocs.io',
  }),
  // System tools
  system({
    id: 'cmdstan',
    displayName: 'CmdStan',
    attr: 'cmdstan',
    category: 'system',
    description: 'Stan\u2019s command-line interface and compiler (used by CmdStanPy).',
    homepage: 'https://mc-stan.org/users/interfaces/cmdstan',
    needs: { variables: [CMDSTAN_VARIABLE] },
  }),
  system({
    id: 'graphviz',
    displayName: 'Graphviz',
    attr: 'graphviz',
    category: 'system',
    description: 'Graph drawing (the dot program), for pm.model_to_graphviz.',
    homepage: 'https://graphviz.org',
  }),
];

/** Names that used to work and no longer do: what to use instead, and why. */
export interface Renamed {
  readonly attr: string;
  readonly replacement?: string;
  readonly message: string;
}

export const RENAMED: readonly Renamed[] = [
  {
    attr: 'pymc3',
    replacement: 'pymc',
    message: 'pymc3 is now an alias of pymc (PyMC 4+); its API changed: import pymc as pm, and sampling returns InferenceData.',
  },
  {
    attr: 'theano',
    replacement: 'pytensor',
    message: 'theano was removed from nixpkgs (unmaintained); PyTensor is its maintained successor.',
  },
  { attr: 'theano-pymc', replacement: 'pytensor', message: 'theano-pymc was removed; PyTensor is its maintained successor.' },
  {
    attr: 'pystan',
    replacement: 'cmdstanpy',
    message: 'PyStan 3 is not packaged in nixpkgs; use CmdStanPy (with the cmdstan system package).',
  },
];

export function findEntry(idOrAttr: string): CatalogEntry | undefined {
  return CATALOG.find((entry) => entry.id === idOrAttr || entry.attr === idOrAttr);
}

export function findRenamed(attr: string): Renamed | undefined {
  return RENAMED.find((renamed) => renamed.attr === attr);
}

/** Suggestions for a selection: ids not yet chosen that a chosen entry suggests. */
export function suggestionsFor(selected: readonly string[]): string[] {
  const chosen = new Set(selected);
  const suggested = CATALOG.filter((entry) => chosen.has(entry.id)).flatMap((entry) => entry.suggests);
  return [...new Set(suggested)].filter((id) => !chosen.has(id));
}
