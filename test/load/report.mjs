// Per-kind tallies of the responses, and the printed table and totals.

const isSuccess = (status) => status >= 200 && status < 300;

/** Counts the responses of every request kind by status, and what was wrong with them. */
export class Tally {
  constructor() {
    /** kind name -> { name, expected, planned, sent, statuses: Map<status, count>, mismatches, problems: Map<text, count> } */
    this.kinds = new Map();
  }

  /** Declares a kind (idempotent) and adds `planned` requests of it. */
  plan(kind, planned) {
    let row = this.kinds.get(kind.name);
    if (!row) {
      row = {
        name: kind.name,
        group: kind.group,
        expected: kind.expected,
        planned: 0,
        sent: 0,
        statuses: new Map(),
        mismatches: 0,
        falseAccepts: 0,
        falseRejects: 0,
        problems: new Map(),
      };
      this.kinds.set(kind.name, row);
    }
    row.planned += planned;
  }

  /** Records one response of `kind`; `problem` is what its check found wrong, if anything. */
  record(kind, status, problem) {
    const row = this.kinds.get(kind.name);
    row.sent++;
    row.statuses.set(status, (row.statuses.get(status) ?? 0) + 1);
    if (status !== row.expected) {
      row.mismatches++;
      if (isSuccess(status) && !isSuccess(row.expected)) row.falseAccepts++;
      if (isSuccess(row.expected) && !isSuccess(status)) row.falseRejects++;
    }
    if (problem) row.problems.set(problem, (row.problems.get(problem) ?? 0) + 1);
  }

  totals() {
    const t = { requests: 0, planned: 0, mismatches: 0, falseAccepts: 0, falseRejects: 0, serverErrors: 0, badResponses: 0 };
    for (const row of this.kinds.values()) {
      t.requests += row.sent;
      t.planned += row.planned;
      t.mismatches += row.mismatches;
      t.falseAccepts += row.falseAccepts;
      t.falseRejects += row.falseRejects;
      for (const [status, count] of row.statuses) if (status >= 500) t.serverErrors += count;
      for (const count of row.problems.values()) t.badResponses += count;
    }
    t.unanswered = t.planned - t.requests;
    return t;
  }
}

function pad(text, width, right = false) {
  const s = String(text);
  return right ? s.padStart(width) : s.padEnd(width);
}

/** The table: one row per kind, then the problems found in response bodies or headers. */
export function formatTable(tally) {
  const rows = [...tally.kinds.values()];
  const nameWidth = Math.max(4, ...rows.map((r) => r.name.length));
  const got = (row) =>
    [...row.statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, count]) => `${status}x${count}`)
      .join(' ');
  const gotWidth = Math.max(3, ...rows.map((r) => got(r).length));
  const header = `${pad('kind', nameWidth)}  ${pad('sent', 6, true)}  exp  ${pad('got', gotWidth)}  ${pad('mismatch', 8, true)}  ${pad('bad', 5, true)}`;
  const lines = [header, '-'.repeat(header.length)];
  let group;
  for (const row of rows) {
    if (group !== undefined && row.group !== group) lines.push('');
    group = row.group;
    const bad = [...row.problems.values()].reduce((a, b) => a + b, 0);
    const flag = row.mismatches > 0 || bad > 0 || row.sent !== row.planned ? '  <--' : '';
    lines.push(
      `${pad(row.name, nameWidth)}  ${pad(row.sent, 6, true)}  ${row.expected}  ${pad(got(row), gotWidth)}  ${pad(row.mismatches, 8, true)}  ${pad(bad, 5, true)}${flag}`,
    );
  }
  for (const row of rows) {
    for (const [problem, count] of row.problems) lines.push(`  bad response: ${row.name}: ${problem} (x${count})`);
    if (row.sent !== row.planned) lines.push(`  ${row.name}: ${row.planned} planned, ${row.sent} answered`);
  }
  return lines.join('\n');
}

/**
 * The totals and the verdict on them.
 * @param extra `{ errors, timeouts, closes, leaks }` counted outside the per-kind tally.
 * @returns `{ ok, lines }`.
 */
export function judgeTotals(tally, extra) {
  const t = tally.totals();
  const checks = [
    ['requests answered', t.requests, true],
    ['requests planned', t.planned, true],
    ['false accepts (expected 401/413, got 2xx)', t.falseAccepts, t.falseAccepts === 0],
    ['false rejects (expected 2xx, got other)', t.falseRejects, t.falseRejects === 0],
    ['other status mismatches', t.mismatches - t.falseAccepts - t.falseRejects, t.mismatches === t.falseAccepts + t.falseRejects],
    ['5xx responses', t.serverErrors, t.serverErrors === 0],
    ['bad bodies/headers (right status)', t.badResponses, t.badResponses === 0],
    ['responses naming the secret or password', extra.leaks, extra.leaks === 0],
    ['connection errors (autocannon)', extra.errors, extra.errors === 0],
    ['timeouts (autocannon)', extra.timeouts, extra.timeouts === 0],
    ['unanswered requests', t.unanswered, t.unanswered === 0],
    ['responses with Connection: close', extra.closes, extra.closes === 0],
  ];
  const width = Math.max(...checks.map(([label]) => label.length));
  const lines = checks.map(([label, value, ok]) => `${ok ? '  ' : '!!'} ${pad(label, width)}  ${value}`);
  return { ok: checks.every(([, , ok]) => ok), totals: t, lines };
}
