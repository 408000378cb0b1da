// The bench's numbers: samples summarised as n, median, min, max, p95; figures with a target;
// the JSON shape that bench/results.json is made of. Pure (no I/O), shared by every part.
import { performance } from 'node:perf_hooks';

export type Unit = 'ms' | 'KB' | 'count' | '×' | '%';

export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly p95: number;
}

/** A target: the median (or, with on: 'max', every sample) at most / at least a value. */
export interface Target {
  readonly op: '<=' | '>=';
  readonly value: number;
  readonly on?: 'median' | 'max';
}

export interface Figure extends Summary {
  /** Stable id, e.g. "enter.warm". */
  readonly id: string;
  /** The table section, e.g. "Warm open vs cold capture". */
  readonly group: string;
  readonly label: string;
  readonly unit: Unit;
  readonly target?: Target;
  /** Whether the target is met (absent without a target). */
  readonly met?: boolean;
  /** What the figure includes. */
  readonly note?: string;
  /** Why the target is missed, from what the same run measured (shown only when it is missed). */
  readonly shortfall?: string;
  /** The raw samples, rounded (absent for long series). */
  readonly samples?: readonly number[];
}

/** One line of the scale chart: a measure at N = 10, 50, 200. */
export interface ScaleSeries {
  readonly id: string;
  readonly label: string;
  readonly points: readonly (Summary & { readonly size: number })[];
}

/** What one part of the bench (Node + Nix, bundles, the real host) writes. */
export interface Part {
  readonly part: string;
  readonly startedAt: string;
  /** 1-minute load average when the part started: a busy machine explains outliers. */
  readonly loadAverage: number;
  readonly seconds: number;
  readonly figures: readonly Figure[];
  readonly scale?: readonly ScaleSeries[];
  readonly machine?: Record<string, string>;
  /** Figures that could not be taken, with the reason. */
  readonly skipped?: readonly string[];
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) return { n: 0, median: NaN, min: NaN, max: NaN, p95: NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  // Nearest-rank p95: with fewer than 20 samples it is the maximum.
  const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
  return { n: sorted.length, median, min: sorted[0]!, max: sorted.at(-1)!, p95 };
}

const round = (x: number): number => (Math.abs(x) >= 100 ? Math.round(x * 10) / 10 : Math.round(x * 1000) / 1000);

export function met(summary: Summary, target: Target | undefined): boolean | undefined {
  if (target === undefined) return undefined;
  const value = target.on === 'max' ? summary.max : summary.median;
  return target.op === '<=' ? value <= target.value : value >= target.value;
}

export function figure(
  base: { id: string; group: string; label: string; unit: Unit; target?: Target; note?: string; shortfall?: string },
  samples: readonly number[],
): Figure {
  const exact = summarize(samples);
  const ok = met(exact, base.target);
  const summary = { n: exact.n, median: round(exact.median), min: round(exact.min), max: round(exact.max), p95: round(exact.p95) };
  const { shortfall, ...rest } = base;
  return {
    ...rest,
    ...(shortfall !== undefined && ok === false ? { shortfall } : {}),
    ...summary,
    ...(ok === undefined ? {} : { met: ok }),
    ...(samples.length <= 200 ? { samples: samples.map(round) } : {}),
  };
}

/** One point of a scale series: the summary of the samples at size N, rounded. */
export function point(size: number, samples: readonly number[]): ScaleSeries['points'][number] {
  const { n, median, min, max, p95 } = summarize(samples);
  return { size, n, median: round(median), min: round(min), max: round(max), p95: round(p95) };
}

/** Runs fn n times (after `warmup` unmeasured runs); milliseconds per run. */
export function timeSync(fn: () => unknown, n: number, warmup = 0): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    fn();
    samples.push(performance.now() - started);
  }
  return samples;
}

/** Milliseconds one async call takes, with its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

export const median = (xs: readonly number[]): number => summarize(xs).median;
