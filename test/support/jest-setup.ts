// End-to-end suites talk to real servers and real processes: allow for broker rebalances and
// server restarts.
jest.setTimeout(120_000);
