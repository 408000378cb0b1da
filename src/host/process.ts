// The one place processes are started. argv arrays only; every call has a timeout and
// may be cancelled; the whole process tree (nix-shell → bash → builders) is killed on
// cancel; every run is logged with argv, cwd, duration and exit code.
import { execa } from 'execa';
import type { Argv } from '../core/nix/argv';
import { PplNixError } from '../core/errors';
import type { Log } from './log';

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Called with each stderr line as it arrives (progress: "building '/nix/store/…'"). */
  readonly onStderrLine?: (line: string) => void;
}

export interface RunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

/** Grace period between SIGTERM and SIGKILL for the process group. */
const KILL_GRACE_MS = 1500;

const quote = (arg: string): string => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg));

export class ProcessRunner {
  /** Every argv started, in order: tests count Nix processes through this. */
  readonly started: Argv[] = [];

  constructor(private readonly log: Log) {}

  async run(argv: Argv, options: RunOptions): Promise<RunResult> {
    const display = [argv.command, ...argv.args].map(quote).join(' ');
    if (options.signal?.aborted) throw new PplNixError({ kind: 'cancelled', command: argv.command }, `${argv.command} was cancelled`);
    this.started.push(argv);
    const started = Date.now();
    // detached: the child leads its own process group, so one kill reaches its whole tree.
    const child = execa(argv.command, argv.args, {
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      env: options.env ?? process.env,
      extendEnv: false,
      detached: true,
      reject: false,
      stripFinalNewline: false,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      stdin: 'ignore',
    });
    let stopped: 'timeout' | 'cancelled' | undefined;
    const killTree = (why: 'timeout' | 'cancelled'): void => {
      if (stopped !== undefined || child.pid === undefined) return;
      stopped = why;
      signalGroup(child.pid, 'SIGTERM');
      setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), KILL_GRACE_MS).unref();
    };
    const timer = setTimeout(() => killTree('timeout'), options.timeoutMs);
    const onAbort = (): void => killTree('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.onStderrLine) forwardLines(child.stderr, options.onStderrLine);
    try {
      const result = await child;
      const durationMs = Date.now() - started;
      if (result.failed && (result as { code?: string }).code === 'ENOENT') {
        this.log.warn(`$ ${display} → not found (${durationMs} ms)`);
        throw new PplNixError(
          { kind: 'nixNotFound', command: argv.command },
          `${argv.command} was not found: is Nix installed and on PATH?`,
        );
      }
      const exitCode = result.exitCode ?? -1;
      this.log.info(`$ ${display} (cwd ${options.cwd ?? process.cwd()}) → ${stopped ?? `exit ${exitCode}`} in ${durationMs} ms`);
      if (stopped === 'timeout') {
        throw new PplNixError(
          { kind: 'timeout', command: argv.command, milliseconds: options.timeoutMs },
          `${argv.command} took longer than ${Math.round(options.timeoutMs / 1000)} s and was stopped`,
        );
      }
      if (stopped === 'cancelled') throw new PplNixError({ kind: 'cancelled', command: argv.command }, `${argv.command} was cancelled`);
      return { exitCode, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? ''), durationMs };
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function forwardLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  let pending = '';
  stream?.on('data', (chunk: Buffer | string) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') onLine(line);
  });
}
