# ppl-nix:begin header (managed by PPL Nix: change it with "Create PPL Nix shell")
# PPL Nix environment "kitchen-sink": Python 3.13 with PyMC, NumPyro, Bambi, PyTensor, JAX, jaxlib, BlackJAX, seaborn, Jupyter, ipykernel, CmdStan, Graphviz.
# Enter it with `nix-shell` in this folder, or let VS Code enter it (PPL Nix).
# PPL Nix rewrites only the lines between "ppl-nix:begin" and "ppl-nix:end";
# everything else in this file is yours and is kept.
# ppl-nix-spec: {"version":1,"name":"kitchen-sink","pin":{"label":"nixos-25.05 (2025-07-15)","url":"https://github.com/NixOS/nixpkgs/archive/32a4e87942101f1c9f9865e04dc3ddb175f5f32e.tar.gz","sha256":"1jvflnbrxa8gjxkwjq6kdpdzgwp0hs59h9l3xjasksv0v7xlwykz"},"python":"3.13","packages":["bambi","blackjax","cmdstan","graphviz","ipykernel","jax","jaxlib","jupyter","numpyro","pymc","pytensor","seaborn"],"extraPackages":[],"systemPackages":[]}
let
  # nixpkgs nixos-25.05 (2025-07-15): an exact revision and the hash of its tarball,
  # so every machine builds the same environment.
  nixpkgs = fetchTarball {
    url = "https://github.com/NixOS/nixpkgs/archive/32a4e87942101f1c9f9865e04dc3ddb175f5f32e.tar.gz";
    sha256 = "1jvflnbrxa8gjxkwjq6kdpdzgwp0hs59h9l3xjasksv0v7xlwykz";
  };
in
{ pkgs ? import nixpkgs { } }:
let
  python = pkgs.python313.withPackages (ps: with ps; [
    # Probabilistic programming
    bambi
    numpyro
    pymc
    # Inference backends
    blackjax
    jax
    jaxlib
    pytensor
    # Analysis & plotting
    seaborn
    # Notebooks & tools
    ipykernel
    jupyter
  ]);
in
# ppl-nix:end header
pkgs.mkShell {
  # ppl-nix:begin attributes
  name = "kitchen-sink";
  CMDSTAN = "${pkgs.cmdstan}/opt/cmdstan";
  # ppl-nix:end attributes
  packages = [
    # ppl-nix:begin packages
    python
    pkgs.cmdstan
    pkgs.graphviz
    # ppl-nix:end packages
    # Add your own packages here, e.g. pkgs.git
  ];
  shellHook = ''
    # ppl-nix:begin shellHook
    # PyTensor/Aesara compile C: mkShell already puts a C compiler (cc) on PATH.
    # ppl-nix:end shellHook
  '';
}
