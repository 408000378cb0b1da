# ppl-nix:begin header (managed by PPL Nix: change it with "Create PPL Nix shell")
# PPL Nix environment "stan-models": Python 3.12 with CmdStanPy, ArviZ, pandas, tqdm.
# Enter it with `nix develop` in this folder, or let VS Code enter it (PPL Nix).
# PPL Nix rewrites only the lines between "ppl-nix:begin" and "ppl-nix:end";
# everything else in this file is yours and is kept.
# ppl-nix-spec: {"version":1,"name":"stan-models","pin":{"label":"nixos-25.05 (2025-07-15)","url":"https://github.com/NixOS/nixpkgs/archive/32a4e87942101f1c9f9865e04dc3ddb175f5f32e.tar.gz","sha256":"1jvflnbrxa8gjxkwjq6kdpdzgwp0hs59h9l3xjasksv0v7xlwykz"},"python":"3.12","packages":["arviz","cmdstanpy","pandas"],"extraPackages":["tqdm"],"systemPackages":["git"],"shellHook":"echo \"Stan at $CMDSTAN\"\nexport MSG=''quoted'' ${HOME}","format":"flake"}
# ppl-nix:end header
{
  # ppl-nix:begin inputs
  # nixpkgs nixos-25.05 (2025-07-15): an exact revision; flake.lock holds the hash of its tarball
  # (the sha256 a shell.nix gives fetchTarball), so every machine builds the same environment.
  # flake = false: nixpkgs is imported as a source tree, as shell.nix does.
  inputs.nixpkgs = {
    url = "github:NixOS/nixpkgs/32a4e87942101f1c9f9865e04dc3ddb175f5f32e";
    flake = false;
  };
  # ppl-nix:end inputs

  outputs = { self, nixpkgs }:
    let
      shell = system:
        let
          pkgs = import nixpkgs { inherit system; };
          # ppl-nix:begin python
          python = pkgs.python312.withPackages (ps: with ps; [
            # Probabilistic programming
            cmdstanpy
            # Analysis & plotting
            arviz
            pandas
            # Extra packages
            tqdm
          ]);
          # ppl-nix:end python
        in
        pkgs.mkShell {
          # ppl-nix:begin attributes
          name = "stan-models";
          CMDSTAN = "${pkgs.cmdstan}/opt/cmdstan";
          # ppl-nix:end attributes
          packages = [
            # ppl-nix:begin packages
            python
            pkgs.cmdstan
            pkgs.git
            # ppl-nix:end packages
            # Add your own packages here, e.g. pkgs.git
          ];
          shellHook = ''
            # ppl-nix:begin shellHook
            echo "Stan at $CMDSTAN"
            export MSG='''quoted''' ''${HOME}
            # ppl-nix:end shellHook
          '';
        };
    in
    {
      devShells.x86_64-linux.default = shell "x86_64-linux";
      devShells.aarch64-linux.default = shell "aarch64-linux";
      devShells.x86_64-darwin.default = shell "x86_64-darwin";
      devShells.aarch64-darwin.default = shell "aarch64-darwin";
    };
}
