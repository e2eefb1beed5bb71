import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { sql } from "kysely";
import * as audit from "../../src/audit/service.ts";
import { inTransaction } from "../../src/context.ts";
import { DB_KINDS, freshDatabase, type TestDb } from "../helpers/db.ts";

for (const { kind, skip } of DB_KINDS) {
  describe(`audit hash chain (${kind})`, { skip }, () => {
    let t: TestDb;
    before(async () => {
      t = await freshDatabase(kind);
      for (let i = 0; i < 5; i++) {
        await inTransaction(t.ctx, (trx) => audit.record(t.ctx, trx, {
          actor: { type: "system", id: "test" }, action: `test.event${i}`, objectType: "thing", objectId: `t${i}`, details: { i },
        }));
      }
    });
    after(async () => { await t?.drop(); });

    test("an untouched chain verifies", async () => {
      const r = await audit.verify(t.ctx);
      assert.equal(r.ok, true);
      assert.equal(r.count, 5);
    });

    test("an event is rolled back with the transaction it belongs to", async () => {
      await assert.rejects(inTransaction(t.ctx, async (trx) => {
        await audit.record(t.ctx, trx, { actor: { type: "system", id: "test" }, action: "test.rolledBack", objectType: "thing" });
        throw new Error("use case failed");
      }));
      const rows = await t.ctx.db.selectFrom("audit_events").select("action").where("action", "=", "test.rolledBack").execute();
      assert.equal(rows.length, 0);
      assert.equal((await audit.verify(t.ctx)).ok, true);
    });

    test("an event needs an actor", async () => {
      await assert.rejects(inTransaction(t.ctx, (trx) => audit.record(t.ctx, trx, { actor: undefined as never, action: "x", objectType: "y" })), /needs an actor/);
    });

    test("changing one row directly in the database breaks verification at that row, also through the CLI", async () => {
      await sql`update audit_events set details = ${'{"i":99}'} where seq = 3`.execute(t.ctx.db);
      const r = await audit.verify(t.ctx);
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.brokenSeq, 3);
      const env = { ...process.env, DATA_DIR: t.dataDir, INTACT_MASTER_KEY: t.config.masterKey!, LOG_LEVEL: "silent", DATABASE_URL: t.url ?? "" };
      const cli = spawnSync(process.execPath, ["bin/intact.js", "audit", "verify"], { env, encoding: "utf8" });
      assert.equal(cli.status, 1, cli.stderr);
      assert.match(cli.stdout, /BROKEN at event 3/);
    });

    test("deleting a row is found too", async () => {
      await sql`update audit_events set details = ${'{"i":2}'} where seq = 3`.execute(t.ctx.db);
      assert.equal((await audit.verify(t.ctx)).ok, true);
      await sql`delete from audit_events where seq = 4`.execute(t.ctx.db);
      const r = await audit.verify(t.ctx);
      assert.equal(!r.ok && r.brokenSeq, 5);
    });
  });
}
