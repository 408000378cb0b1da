// The Nix system double (x86_64-linux, aarch64-darwin) a machine builds for, from what Node calls
// its platform and architecture: the system a flake's devShells.<system> are read for.

const ARCHITECTURES: Readonly<Record<string, string>> = {
  x64: 'x86_64',
  arm64: 'aarch64',
  ia32: 'i686',
  arm: 'armv7l',
  riscv64: 'riscv64',
  ppc64: 'powerpc64le',
};

/** `process.platform` and `process.arch` → the Nix system, or undefined where Nix does not run (Windows). */
export function nixSystemOf(platform: string, arch: string): string | undefined {
  const cpu = ARCHITECTURES[arch];
  if (cpu === undefined || (platform !== 'linux' && platform !== 'darwin')) return undefined;
  return `${cpu}-${platform}`;
}
