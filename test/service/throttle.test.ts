import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { login } from "../../src/auth/service.ts";
import { runHousekeeping } from "../../src/jobs/housekeeping.ts";
import { startSession } from "../../src/auth/service.ts";
import { DB_KINDS, freshDatabase, type TestDb } from "../helpers/db.ts";
import { makeAccount, TEST_PASSWORD } from "../helpers/fixtures.ts";

for (const { kind, skip } of DB_KINDS) {
  describe(`sign-in throttling under concurrency, and housekeeping (${kind})`, { skip }, () => {
    let t: TestDb;
    before(async () => { t = await freshDatabase(kind, { LOGIN_MAX_FAILURES: "3" }); });
    after(async () => { await t?.drop(); });

    test("a burst of guesses gets no more than the allowed number checked, and never a server error", async () => {
      const acc = await makeAccount(t.ctx, "burst@example.test");
      const attempts = [...Array.from({ length: 20 }, () => "wrong password!!"), TEST_PASSWORD];
      const results = await Promise.all(attempts.map((pw) => login(t.ctx, acc.email, pw)));
      const checked = results.filter((r) => r.ok || r.reason === "invalid").length;
      assert.ok(checked <= 3, `${checked} attempts were checked`);
      assert.ok(results.filter((r) => !r.ok && r.reason === "locked").length >= 18);
      assert.deepEqual(await login(t.ctx, acc.email, TEST_PASSWORD), { ok: false, reason: "locked" }, "locked afterwards, even with the right password");
      const unknown = await Promise.all(Array.from({ length: 10 }, () => login(t.ctx, "niemand@example.test", "x")));
      assert.equal(unknown.filter((r) => !r.ok && r.reason === "invalid").length, 3, "an unknown address is throttled exactly alike");
    });

    test("a success clears the count; housekeeping removes expired sessions and stale counters", async () => {
      const acc = await makeAccount(t.ctx, "schoon@example.test");
      await login(t.ctx, acc.email, "wrong password!!");
      const ok = await login(t.ctx, acc.email, TEST_PASSWORD);
      assert.ok(ok.ok);
      for (let i = 0; i < 3; i++) assert.deepEqual(await login(t.ctx, acc.email, "wrong password!!"), { ok: false, reason: "invalid" });

      await startSession(t.ctx, acc.id, "full", { type: "account", id: acc.id });
      const before = await t.ctx.db.selectFrom("sessions").select("id").execute();
      const later = Date.now() + 2 * 24 * 3_600_000;
      const r = await runHousekeeping(t.ctx, later);
      assert.ok(r.sessions >= before.length && r.sessions > 0);
      assert.ok(r.throttles > 0);
      assert.equal((await t.ctx.db.selectFrom("sessions").select("id").execute()).length, 0);
      assert.equal((await t.ctx.db.selectFrom("login_throttle").select("key_hash").execute()).length, 0);
    });
  });
}
