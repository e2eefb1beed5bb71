import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { verify } from "../../src/audit/service.ts";
import { Invalid, NotFound } from "../../src/http/errors.ts";
import { reportByReceipt } from "../../src/reports/intake.ts";
import * as repo from "../../src/reports/repository.ts";
import { retainUntil, runRetention } from "../../src/reports/retention.ts";
import * as cases from "../../src/reports/service.ts";
import { DB_KINDS, freshDatabase, type TestDb } from "../helpers/db.ts";
import { makeOrganisation } from "../helpers/fixtures.ts";
import { makeReport, orgRole } from "../helpers/reports.ts";

for (const { kind, skip } of DB_KINDS) {
  describe(`retention of closed cases (${kind})`, { skip }, () => {
    let t: TestDb;
    before(async () => { t = await freshDatabase(kind); });
    after(async () => { await t?.drop(); });

    test("the retention date is the closing date in Amsterdam plus the organisation's years", () => {
      assert.equal(retainUntil("2026-03-10T10:00:00.000Z", 5), "2031-03-10");
      assert.equal(retainUntil("2028-02-29T10:00:00.000Z", 1), "2029-02-28");
      assert.equal(retainUntil("2026-12-31T23:30:00.000Z", 5), "2032-01-01");
    });

    test("after the period the content, key, receipt and mailbox are gone; the metadata and the audit trail remain", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Bewaar");
      const coordinator = await orgRole(t.ctx, "coordinator", org.id);
      const close = async (id: string) => {
        for (const action of ["acknowledge", "startAssessment", "decideNoAction"]) await cases.transition(t.ctx, coordinator, id, { action });
        await cases.sendMessage(t.ctx, coordinator, id, { body: "Wij doen er niets mee.", feedback: "1" });
        return cases.transition(t.ctx, coordinator, id, { action: "close" });
      };
      const old = await makeReport(t.ctx, org.slug, { description: "Oude melding" });
      const young = await makeReport(t.ctx, org.slug);
      const reopened = await makeReport(t.ctx, org.slug);
      const open = await makeReport(t.ctx, org.slug);
      const closedOld = await close(old.reportId);
      assert.equal(closedOld.retain_until, retainUntil(closedOld.closed_at!, 5));
      await close(young.reportId);
      await close(reopened.reportId);
      await cases.transition(t.ctx, coordinator, reopened.reportId, { action: "reopen", reason: "Nieuwe feiten" });
      assert.equal((await repo.findReport(t.ctx.db, reopened.reportId))!.retain_until, null, "reopening clears the date");
      // Move the old case's date into the past; the young one stays in the future.
      await t.ctx.db.updateTable("reports").set({ retain_until: "2020-01-01" }).where("id", "in", [old.reportId, reopened.reportId, open.reportId]).execute();

      assert.deepEqual(await runRetention(t.ctx), { destroyed: 1 }, "only the closed case past its date");
      const row = (await repo.findReport(t.ctx.db, old.reportId))!;
      assert.ok(row.destroyed_at);
      assert.equal(row.receipt_hash, null);
      assert.equal(row.status, "closed");
      assert.equal(row.decision, "no_action");
      assert.ok(row.category_id, "statistics keep the category");
      const entries = await repo.listEntries(t.ctx.db, old.reportId);
      assert.ok(entries.length >= 5, "the timeline's facts remain");
      assert.ok(entries.every((e) => e.sealed === null), "no sealed blob remains");
      assert.equal((await t.ctx.db.selectFrom("report_keys").selectAll().where("report_id", "=", old.reportId).execute()).length, 0);
      await assert.rejects(cases.getCase(t.ctx, coordinator, old.reportId), NotFound);
      await assert.rejects(reportByReceipt(t.ctx, org.slug, { receipt: old.receipt! }), Invalid);
      assert.ok(!(await cases.listCases(t.ctx, coordinator, {}, "nl")).items.some((i) => i.id === old.reportId));
      const event = await t.ctx.db.selectFrom("audit_events").selectAll().where("action", "=", "report.destroy").where("object_id", "=", old.reportId).execute();
      assert.equal(event.length, 1);
      assert.equal(event[0]!.actor_type, "system");
      assert.ok((await verify(t.ctx)).ok);

      for (const id of [young.reportId, reopened.reportId, open.reportId]) {
        const r = (await repo.findReport(t.ctx.db, id))!;
        assert.equal(r.destroyed_at, null);
        assert.ok((await cases.getCase(t.ctx, coordinator, id)).content, "content still readable");
      }
      assert.deepEqual(await runRetention(t.ctx), { destroyed: 0 }, "a second run finds nothing");
    });
  });
}
