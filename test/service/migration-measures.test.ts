import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { migrateTo, migrateToLatest } from "../../src/db/migrate.ts";
import { MEASURE_PRESET } from "../../src/reports/presets.ts";
import * as repo from "../../src/reports/repository.ts";
import { ensureSettings } from "../../src/reports/intake.ts";
import { DB_KINDS, freshDatabase, type TestDb } from "../helpers/db.ts";
import { makeOrganisation } from "../helpers/fixtures.ts";

// Migration 0007 gives every desk that existed before it the preset measures, with the same codes as a new
// desk gets from ensureSettings — so cases closed before and after the upgrade name measures alike.
for (const { kind, skip } of DB_KINDS) {
  describe(`migration 0007 gives existing desks the preset measures (${kind})`, { skip }, () => {
    let t: TestDb;
    before(async () => { t = await freshDatabase(kind, {}, { migrate: false }); });
    after(async () => { await t?.drop(); });

    test("a desk set up under 0006 has the eight measures after the upgrade; a new desk gets the same list", async () => {
      await migrateTo(t.ctx.db, "0006_case_recipient_and_nonce");
      const old = await makeOrganisation(t.ctx, "Gemeente Voor");
      const at = new Date().toISOString();
      const db = t.ctx.db as unknown as import("kysely").Kysely<any>; // the schema of 0006: no report_measures yet
      await db.insertInto("report_settings").values({
        organisation_id: old.id, receipt_salt: "c2FsdA==", alternative_account_id: null, retention_years: 5, created_at: at, updated_at: at,
      }).execute();
      const without = await makeOrganisation(t.ctx, "Gemeente Zonder Meldpunt");
      await migrateToLatest(t.ctx.db);

      const seeded = await repo.listMeasures(t.ctx.db, old.id);
      assert.deepEqual(seeded.map((m) => [m.code, m.label_nl, m.label_en, m.position, m.active]),
        MEASURE_PRESET.map((m, i) => [m.code, m.nl, m.en, i + 1, 1]));
      assert.deepEqual(await repo.listMeasures(t.ctx.db, without.id), [], "no desk, no list (ensureSettings makes both)");
      await ensureSettings(t.ctx, without.id);
      assert.deepEqual((await repo.listMeasures(t.ctx.db, without.id)).map((m) => m.code), seeded.map((m) => m.code));
    });
  });
}
