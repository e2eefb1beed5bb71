import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { PENDING_MS, PendingBudget } from "../../src/reports/attachments/service.ts";
import { AnonymousThrottle } from "../../src/reports/throttle.ts";

// The per-client budget of pending bytes (ADR 0010): what one client may store on the intake's files step in 24 hours,
// in memory only, keyed by the anonymous throttles' HMAC key.

const MB = 1024 * 1024;

describe("pending budget per client", () => {
  test("each client has its own budget; a file that would pass it reserves nothing", () => {
    const keys = new AnonymousThrottle(1, 60_000);
    const budget = new PendingBudget(200 * MB);
    const one = keys.key("192.0.2.1"), other = keys.key("192.0.2.2");
    assert.notEqual(one, other);
    assert.ok(!one.includes("192.0.2.1"), "the key is an HMAC, not the address");
    for (let i = 0; i < 8; i++) assert.ok(budget.reserve(one, 25 * MB));
    assert.equal(budget.reserve(one, 1), false, "200 MB taken");
    assert.ok(budget.reserve(other, 25 * MB), "another client is not affected");
    // Refused: nothing was reserved, so what fits still fits.
    const third = keys.key("192.0.2.3");
    assert.ok(budget.reserve(third, 150 * MB));
    assert.equal(budget.reserve(third, 51 * MB), false);
    assert.ok(budget.reserve(third, 50 * MB));
  });

  test("a reservation is made before cleaning, so a parallel burst is counted at once; it settles to what was stored", () => {
    const budget = new PendingBudget(60 * MB);
    // Three uploads under way at the same time, none finished: the third does not fit.
    assert.ok(budget.reserve("k", 25 * MB));
    assert.ok(budget.reserve("k", 25 * MB));
    assert.equal(budget.reserve("k", 25 * MB), false);
    // The first was refused (nothing stored), the second came out at 5 MB after cleaning: 55 MB are free again.
    budget.settle("k", 25 * MB, 0);
    budget.settle("k", 25 * MB, 5 * MB);
    assert.ok(budget.reserve("k", 55 * MB));
    assert.equal(budget.reserve("k", 1), false);
  });

  test("the budget is for 24 hours from the client's first upload", () => {
    let now = Date.parse("2026-12-01T10:00:00Z");
    const budget = new PendingBudget(10 * MB, PENDING_MS, () => now);
    assert.ok(budget.reserve("k", 10 * MB));
    now += PENDING_MS - 1;
    assert.equal(budget.reserve("k", 1), false);
    now += 1;
    assert.ok(budget.reserve("k", 10 * MB));
  });
});
