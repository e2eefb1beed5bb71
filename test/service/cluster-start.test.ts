import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ensureSetupToken, setupTokenValid } from "../../src/auth/setup.ts";
import * as authRepo from "../../src/auth/repository.ts";
import type { Context } from "../../src/context.ts";
import { openDatabase } from "../../src/db/database.ts";
import { migrateToLatest } from "../../src/db/migrate.ts";
import { standardJobs } from "../../src/jobs/scheduler.ts";
import { loadConfig } from "../../src/config.ts";
import { DB_KINDS, freshDatabase } from "../helpers/db.ts";

// What several instances do at the same moment when they start on one fresh database: migrate, and write the
// instance settings (the setup link). The full suite with real server processes is test/cluster/.

const ROUNDS = 5;

for (const { kind, skip } of DB_KINDS) {
  describe(`instances starting together (${kind})`, { skip }, () => {
    // SQLite is one process by design (embedded mode); several instances need PostgreSQL, where Kysely's migrator
    // takes an advisory lock and tolerates a table another instance created a moment before.
    test("three instances migrating one empty database at once: all succeed, each migration applied once", { skip: kind === "sqlite" ? "one instance only on SQLite" : false }, async () => {
      const t = await freshDatabase(kind, {}, { migrate: false });
      const others = [0, 1].map(() => openDatabase({ databaseUrl: t.url, dataDir: t.dataDir }));
      try {
        const applied = await Promise.all([t.database, ...others].map((d) => migrateToLatest(d.db)));
        const all = applied.flat();
        assert.equal(new Set(all).size, all.length, "no migration applied twice");
        const rows = await t.ctx.db.selectFrom("kysely_migration" as never).select("name" as never).execute();
        assert.equal(rows.length, all.length, "every migration recorded once");
        assert.ok(all.length > 5);
      } finally {
        for (const o of others) await o.close();
        await t.drop();
      }
    });

    test("instances writing the setup link at once: no unique-key clash; the link of the last writer works", async () => {
      const t = await freshDatabase(kind);
      const others = [0, 1, 2].map(() => openDatabase({ databaseUrl: t.url, dataDir: t.dataDir }));
      try {
        const ctxs: Context[] = [t.ctx, ...others.map((o) => ({ ...t.ctx, db: o.db }))];
        for (let round = 0; round < ROUNDS; round++) {
          // Before setSetting was one upsert, a delete-then-insert here failed with a duplicate key on PostgreSQL.
          const tokens = await Promise.all(ctxs.map((c) => ensureSetupToken(c)));
          const valid = await Promise.all(tokens.map((tok) => setupTokenValid(t.ctx, tok!)));
          assert.equal(valid.filter(Boolean).length, 1, "exactly one of the links printed at once is valid");
          const rows = await t.ctx.db.selectFrom("instance_settings").selectAll().where("key", "=", "setup_token_hash").execute();
          assert.equal(rows.length, 1);
        }
        await authRepo.setSetting(t.ctx.db, "probe", "a");
        await authRepo.setSetting(t.ctx.db, "probe", "b");
        assert.equal(await authRepo.getSetting(t.ctx.db, "probe"), "b", "a second write replaces the value");
      } finally {
        for (const o of others) await o.close();
        await t.drop();
      }
    });
  });
}

describe("JOB_SPEEDUP and the standard jobs", () => {
  test("every periodic job, housekeeping included, is in the one leased list; JOB_SPEEDUP divides the periods, never below a second", () => {
    const names = standardJobs(null).map((j) => j.name).sort();
    assert.deepEqual(names, ["advisor-notes-retention", "deadline-reminders", "housekeeping", "outbox", "retention"]);
    const normal = Object.fromEntries(standardJobs(null).map((j) => [j.name, j]));
    assert.equal(normal.outbox!.everyMs, 60_000);
    assert.equal(normal.housekeeping!.everyMs, 3_600_000);
    const fast = Object.fromEntries(standardJobs(null, 60).map((j) => [j.name, j]));
    assert.equal(fast.outbox!.everyMs, 1_000);
    assert.equal(fast.outbox!.maxRunMs, 5_000);
    assert.equal(fast.housekeeping!.everyMs, 60_000);
    const fastest = Object.fromEntries(standardJobs(null, 3600).map((j) => [j.name, j]));
    for (const j of Object.values(fastest)) assert.equal(j.everyMs, 1_000, `${j.name}: never below a second`);
    // A job's times keep their proportions: the outbox's lease still outlasts five periods.
    assert.equal(fastest.outbox!.maxRunMs, 5_000);
    assert.equal(fastest.housekeeping!.maxRunMs, 1_000, "a lease holds for at least a period");
  });

  test("JOB_SPEEDUP is a whole number from 1 to 3600, with a clear error otherwise", () => {
    assert.equal(loadConfig({}).jobSpeedup, 1);
    assert.equal(loadConfig({ JOB_SPEEDUP: "60" }).jobSpeedup, 60);
    assert.equal(loadConfig({ JOB_SPEEDUP: "3600" }).jobSpeedup, 3600);
    for (const bad of ["0", "3601", "1.5", "fast", "-2"]) {
      assert.throws(() => loadConfig({ JOB_SPEEDUP: bad }), /JOB_SPEEDUP: must be a whole number from 1 to 3600/, bad);
    }
  });
});
