// Preloaded into the sample by test/load/run.mjs (`node --expose-gc --import <this file>`). The
// sample itself is not changed; this only serves the IPC channel that run.mjs opens:
// - the sample exits when the load test's process goes away, however it went (even SIGKILL), so
//   that no server is left behind;
// - on request, it runs a full garbage collection and answers with process.memoryUsage(): the
//   memory still held after a GC is a far steadier leak signal than RSS.
if (process.channel) {
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message) => {
    if (message?.type !== 'test-load:memory') return;
    const collected = typeof globalThis.gc === 'function';
    if (collected) globalThis.gc();
    // Buffers' memory is released after the collection that finds them dead: collect again a
    // moment later, so that `external` no longer counts the last batch's request bodies.
    setTimeout(() => {
      if (collected) globalThis.gc();
      const { heapUsed, external, arrayBuffers } = process.memoryUsage();
      process.send({ type: 'test-load:memory', collected, heapUsed, external, arrayBuffers });
    }, 200);
  });
  // Neither the listener nor the channel keeps the sample alive.
  process.channel.unref();
}
