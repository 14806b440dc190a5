// Memory of the sample process during the load, and the rules that say whether it grew without
// bound. After each batch (and after the warm-up and after the load):
// - RSS from /proc/<pid>/status (VmRSS) as the batch left it: printed, not judged. It swings by
//   tens of MB with the garbage of the last few 2 MB bodies still in the heap or in malloc's arenas;
// - the sample then runs a full GC (asked over IPC, see child-preload.mjs; it runs with
//   --expose-gc), and RSS is read again: judged, by MEMORY_RULES.rss;
// - live memory: heapUsed + external of process.memoryUsage() after that GC: judged, by
//   MEMORY_RULES.live. Garbage is not in it, so it moves least of all and shows a small
//   per-request leak soonest. `external` includes Buffers, where request bodies (rawBody) live.
import { readFileSync } from 'node:fs';

const MB = 1024 * 1024;

/**
 * The rules. Readings are taken after a warm-up, after each batch and after the load; the batch
 * readings are judged (at the warm-up V8 has not yet sized its heaps for the load), and the
 * reading after the load must stay within the same bound as the last batch.
 *
 * 1. Bounded: the last batch's reading may exceed the reference, the larger of batches 1 and 2,
 *    by at most an allowance. The first batches are the reference because growth is measured
 *    from the state the load settles in; the larger of the two, because either can be caught
 *    in a trough (RSS after GC was seen at 156 MB after batch 1 and 140 MB after batch 2).
 *    - RSS: max(25 %, 64 MB). On this workload RSS moves by 20-40 MB from batch to batch with
 *      nothing leaking (V8's heap sizing, malloc keeping freed 2 MB bodies), so this catches
 *      gross growth only: an 8 KB Buffer kept per request (40-60 MB per batch) fails both RSS
 *      rules; a 1 KB one passes them.
 *    - live: min(25 %, 16 MB). It moves by a few hundred KB when nothing leaks; a 200-byte
 *      Buffer kept per request (about 2 MB per batch) fails both live rules.
 * 2. Not monotonic: the reading must not rise by more than the noise margin at every step from
 *    one batch to the next (8 MB for RSS, 0.5 MB for live). A process that keeps something per
 *    request grows at every batch; a healthy one goes up and down with its collections.
 *
 * No timing is involved: the rules hold on a quiet or a busy machine alike.
 */
export const MEMORY_RULES = Object.freeze({
  rss: Object.freeze({ growthFraction: 0.25, growthMB: 64, allowance: 'larger', noiseMB: 8 }),
  live: Object.freeze({ growthFraction: 0.25, growthMB: 16, allowance: 'smaller', noiseMB: 0.5 }),
});

/** VmRSS of `pid` in bytes, from /proc/<pid>/status; undefined where /proc is not available. */
export function readRss(pid) {
  let status;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : undefined;
}

/**
 * Asks the sample (over its IPC channel, see child-preload.mjs) for a full GC and its memory
 * usage after it.
 * @returns heapUsed + external in bytes, or undefined when the sample does not answer in 10 s.
 */
export function readLive(child) {
  if (!child.connected) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const done = (value) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(value);
    };
    const onMessage = (message) => {
      if (message?.type === 'test-load:memory') done(message.collected ? message.heapUsed + message.external : undefined);
    };
    const timer = setTimeout(() => done(undefined), 10_000);
    child.on('message', onMessage);
    child.send({ type: 'test-load:memory' }, (error) => error && done(undefined));
  });
}

/** Bytes as "123.4 MB". */
export function formatMB(bytes) {
  return bytes === undefined ? 'n/a' : `${(bytes / MB).toFixed(1)} MB`;
}

/**
 * Judges one series against a rule of {@link MEMORY_RULES}.
 * @param name what is measured, for the explanation.
 * @param rule `{ growthFraction, growthMB, allowance, noiseMB }`.
 * @param readings `[{ label, value, batch }]` in time order; those with `batch: true` are judged.
 * @param after the reading after the load, or undefined.
 * @returns `{ ok, skipped?, lines }`: lines explain the verdict, whether it passed or not.
 */
export function judgeSeries(name, rule, readings, after) {
  const batches = readings.filter((r) => r.batch).map((r) => r.value);
  if (batches.length < 3 || batches.some((value) => value === undefined)) {
    return { ok: true, skipped: true, lines: [`${name} not judged: readings unavailable or fewer than 3 batches`] };
  }
  const lines = [];
  const reference = Math.max(batches[0], batches[1]);
  const fraction = reference * rule.growthFraction;
  const allowed = rule.allowance === 'larger' ? Math.max(fraction, rule.growthMB * MB) : Math.min(fraction, rule.growthMB * MB);
  const limit = reference + allowed;
  const last = batches[batches.length - 1];
  const bounded = last <= limit && (after === undefined || after <= limit);
  lines.push(
    `${bounded ? 'ok  ' : 'FAIL'} ${name} bounded: last batch ${formatMB(last)}` +
      (after === undefined ? '' : `, after the load ${formatMB(after)}`) +
      ` <= max(batch 1, batch 2) ${formatMB(reference)} + ${formatMB(allowed)}` +
      ` (${rule.allowance === 'larger' ? 'max' : 'min'}(${rule.growthFraction * 100} %, ${rule.growthMB} MB)) = ${formatMB(limit)}`,
  );
  const steps = batches.slice(1).map((value, i) => value - batches[i]);
  const monotonic = steps.every((step) => step > rule.noiseMB * MB);
  lines.push(
    `${monotonic ? 'FAIL' : 'ok  '} ${name} not monotonic: steps between batches ` +
      `[${steps.map((s) => `${s >= 0 ? '+' : ''}${(s / MB).toFixed(1)}`).join(', ')}] MB, ` +
      `${monotonic ? 'every one' : 'not every one'} above +${rule.noiseMB} MB`,
  );
  return { ok: bounded && !monotonic, lines };
}
