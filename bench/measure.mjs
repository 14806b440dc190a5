// One mitata measure() with samples kept short. On a machine shared with other work, a sample
// that spans a preemption is inflated; mitata's default batches (4,096 calls) last milliseconds
// for a 64 KB verification and a scheduler time slice lands in many of them. Here each sample
// lasts about SAMPLE_NS: fast functions are batched to that length, slower ones (over 25 µs) are
// timed call by call, so the median sample stays clear of preemptions.
import { measure } from 'mitata';

const SAMPLE_NS = 100_000;

/** Warms `fn` up and picks mitata options for it. */
export async function calibrate(fn, minCpuMs) {
  const warmEnd = performance.now() + 20;
  while (performance.now() < warmEnd) await fn();
  const calls = 16;
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) await fn();
  const perCallNs = ((performance.now() - t0) * 1e6) / calls;
  const base = { min_cpu_time: minCpuMs * 1e6, min_samples: 20, gc: typeof globalThis.gc === 'function' ? globalThis.gc : false };
  if (perCallNs > 25_000) return { ...base, batch_threshold: 0 };
  const batch = Math.max(4, 4 * Math.round(SAMPLE_NS / perCallNs / 4));
  return { ...base, batch_threshold: Number.MAX_SAFE_INTEGER, batch_samples: batch, batch_unroll: 4 };
}

/** @returns the median sample, in ns per call. */
export async function medianNs(fn, options) {
  return (await measure(fn, { ...options })).p50;
}

/** The median of a list of numbers (the mean of the middle two for an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Ratios of two contenders measured side by side: `a[i] / b[i]` for each round i, their median
 * and quartiles (the spread: a noise gauge). A burst of noise hits both contenders of a round
 * alike, and the median drops the rounds it hit hardest.
 * @returns `{ median, q1, q3, perRound }`.
 */
export function roundRatio(a, b) {
  const perRound = a.map((x, i) => x / b[i]);
  const sorted = [...perRound].sort((x, y) => x - y);
  const quartile = (f) => sorted[Math.round(f * (sorted.length - 1))];
  return { median: median(perRound), q1: quartile(0.25), q3: quartile(0.75), perRound };
}
