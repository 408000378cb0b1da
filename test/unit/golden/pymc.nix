# ppl-nix:begin header (managed by PPL Nix: change it with "Create PPL Nix shell")
# PPL Nix environment "bayes": Python 3.12 with PyMC, ArviZ.
# Enter it with `nix-shell` in this folder, or let VS Code enter it (PPL Nix).
# PPL Nix rewrites only the lines between "ppl-nix:begin" and "ppl-nix:end";
# everything else in this file is yours and is kept.
# ppl-nix-spec: {"version":1,"name":"bayes","pin":{"label":"nixos-25.05 (2025-07-15)","url":"https://github.com/NixOS/nixpkgs/archive/32a4e87942101f1c9f9865e04dc3ddb175f5f32e.tar.gz","sha256":"1jvflnbrxa8gjxkwjq6kdpdzgwp0hs59h9l3xjasksv0v7xlwykz"},"python":"3.12","packages":["arviz","pymc"],"extraPackages":[],"systemPackages":[]}
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
  python = pkgs.python312.withPackages (ps: with ps; [
    # Probabilistic programming
    pymc
    # Analysis & plotting
    arviz
  ]);
in
# ppl-nix:end header
pkgs.mkShell {
  # ppl-nix:begin attributes
  name = "bayes";
  # ppl-nix:end attributes
  packages = [
    # ppl-nix:begin packages
    python
    # ppl-nix:end packages
    # Add your own packages here, e.g. pkgs.git
  ];
  shellHook = ''
    # ppl-nix:begin shellHook
    # ppl-nix:end shellHook
  '';
}
