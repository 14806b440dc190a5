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
