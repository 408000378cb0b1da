// Specs shared by the unit tests.
import type { EnvSpec } from '../../src/core/spec/spec';

export const PIN = {
  label: 'nixos-25.05 (2025-07-15)',
  url: 'https://github.com/NixOS/nixpkgs/archive/32a4e87942101f1c9f9865e04dc3ddb175f5f32e.tar.gz',
  sha256: '1jvflnbrxa8gjxkwjq6kdpdzgwp0hs59h9l3xjasksv0v7xlwykz',
};

export const PYMC: EnvSpec = {
  name: 'bayes',
  pin: PIN,
  python: '3.12',
  packages: ['pymc', 'arviz'],
  extraPackages: [],
  systemPackages: [],
};

export const STAN: EnvSpec = {
  name: 'stan-models',
  pin: PIN,
  python: '3.12',
  packages: ['cmdstanpy', 'arviz', 'pandas'],
  extraPackages: ['tqdm'],
  systemPackages: ['git'],
  shellHook: "echo \"Stan at $CMDSTAN\"\nexport MSG=''quoted'' ${HOME}",
};

export const EVERYTHING: EnvSpec = {
  name: 'kitchen-sink',
  pin: PIN,
  python: '3.13',
  packages: ['numpyro', 'jax', 'jaxlib', 'blackjax', 'pytensor', 'pymc', 'bambi', 'ipykernel', 'jupyter', 'graphviz', 'cmdstan', 'seaborn'],
  extraPackages: [],
  systemPackages: [],
};
