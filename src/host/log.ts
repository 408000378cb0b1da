// The one logging interface. The extension backs it with its "PPL Nix" output channel,
// the CLI with stderr (when --verbose), tests with an array.
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLog: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function stderrLog(verbose: boolean): Log {
  const write = (level: string) => (message: string) => {
    if (verbose || level !== 'info') process.stderr.write(`[ppl-nix ${level}] ${message}\n`);
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
