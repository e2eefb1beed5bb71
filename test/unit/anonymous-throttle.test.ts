import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { AnonymousThrottle } from "../../src/reports/throttle.ts";

describe("in-memory throttle for anonymous routes", () => {
  test("counts per key within the window and forgets after it", () => {
    let now = Date.UTC(2026, 0, 5, 10);
    const th = new AnonymousThrottle(3, 60_000, () => now);
    const k = th.key("192.0.2.1");
    assert.ok(th.hit(k) && th.hit(k) && th.hit(k));
    assert.equal(th.hit(k), false);
    assert.ok(th.blocked(k));
    assert.ok(!th.blocked(th.key("192.0.2.2")), "another client is not affected");
    now += 60_001;
    assert.ok(!th.blocked(k));
    assert.ok(th.hit(k));
  });

  test("the key is an HMAC that does not contain the address and changes with the day", () => {
    let now = Date.UTC(2026, 0, 5, 23, 59);
    const th = new AnonymousThrottle(3, 60_000, () => now);
    const k1 = th.key("192.0.2.1");
    assert.ok(!k1.includes("192.0.2.1"));
    assert.equal(th.key("192.0.2.1"), k1, "stable within a day");
    now += 2 * 60_000;
    assert.notEqual(th.key("192.0.2.1"), k1, "a new secret on a new day");
    const other = new AnonymousThrottle(3, 60_000, () => now);
    assert.notEqual(other.key("192.0.2.1"), th.key("192.0.2.1"), "each process has its own secret");
  });
});
