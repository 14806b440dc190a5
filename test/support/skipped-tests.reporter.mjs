// Jest reporter (jest.config.js, after the default one): ends a run in which tests were skipped
// for a missing dependency with one line per reason, e.g.
//
//   18 tests skipped: redis-server is not on the PATH; install it, e.g. apt-get install redis-server, then run them again.
//
// Such tests sit in blocks titled `[skipped: <reason>; <how to get it>] <title>` (see
// describeWithRedis in redis-server.ts). Plain JavaScript: Jest does not transform reporters.

const SKIPPED_TITLE = /^\[skipped: (.+?)\] /;

export default class SkippedTestsReporter {
  /** @param {import('@jest/reporters').AggregatedResult} results */
  onRunComplete(_contexts, results) {
    const counts = new Map();
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        const reason = test.status === 'pending' ? SKIPPED_TITLE.exec(test.ancestorTitles[0] ?? '')?.[1] : undefined;
        if (reason) counts.set(reason, (counts.get(reason) ?? 0) + 1);
      }
    }
    if (counts.size === 0) return;
    const lines = [...counts].map(
      ([reason, count]) => `${count} ${count === 1 ? 'test' : 'tests'} skipped: ${reason}, then run them again.`,
    );
    // Jest's summary reporter always comes after the custom ones: print once it has written.
    setImmediate(() => process.stderr.write(`\n${lines.join('\n')}\n`));
  }
}
