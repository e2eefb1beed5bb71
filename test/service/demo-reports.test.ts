import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { verify } from "../../src/audit/service.ts";
import { loadDemo } from "../../src/demo/load.ts";
import { loadDemoReports } from "../../src/demo/reports.ts";
import { loadDemoAdvisorRegister } from "../../src/demo/advisors.ts";
import * as advisors from "../../src/advisors/service.ts";
import { DEMO_ACCOUNT_EMAILS } from "../../src/demo/generate.ts";
import * as authRepo from "../../src/auth/repository.ts";
import * as cases from "../../src/reports/service.ts";
import { DB_KINDS, freshDatabase, type TestDb } from "../helpers/db.ts";
import { actorOf } from "../helpers/reports.ts";

for (const { kind, skip } of DB_KINDS) {
  describe(`demo reports (${kind})`, { skip }, () => {
    let t: TestDb;
    before(async () => { t = await freshDatabase(kind); await loadDemo(t.ctx); });
    after(async () => { await t?.drop(); });

    test("six reports per organisation in every state, with deadlines that fall due, through the real services", async () => {
      assert.equal(await loadDemoReports(t.ctx), 24);
      const rows = await t.ctx.db.selectFrom("reports").select(["status", "organisation_id"]).execute();
      assert.equal(rows.length, 24);
      const statuses = [...new Set(rows.map((r) => r.status))].sort();
      assert.deepEqual(statuses, ["assessment", "awaiting_approval", "closed", "investigation", "received"]);
      const duinrand = (await t.ctx.db.selectFrom("organisations").select("id").where("slug", "=", "duinrand").executeTakeFirstOrThrow()).id;
      const as = async (email: string) => actorOf(t.ctx, (await authRepo.findAccountByEmail(t.ctx.db, email))!.id, duinrand);
      const coordinator = await as(DEMO_ACCOUNT_EMAILS.coordinator);
      const inbox = await cases.listCases(t.ctx, coordinator, { organisationId: duinrand }, "nl");
      assert.equal(inbox.total, 6);
      assert.equal(inbox.items[0]!.ackState, "overdue", "the unacknowledged report of 10 days ago comes first, late");
      assert.equal((await cases.listApprovals(t.ctx, await as(DEMO_ACCOUNT_EMAILS.secretary), "nl")).length, 1);
      assert.equal((await cases.listCases(t.ctx, await as(DEMO_ACCOUNT_EMAILS.investigator), {}, "nl")).total, 1);
      assert.ok((await verify(t.ctx)).ok);
    });

    test("the demo advisor's register: contacts over last year and this year, open and closed, notes, activities", async () => {
      assert.equal(await loadDemoAdvisorRegister(t.ctx), 36);
      const duinrand = (await t.ctx.db.selectFrom("organisations").select("id").where("slug", "=", "duinrand").executeTakeFirstOrThrow()).id;
      const advisor = await actorOf(t.ctx, (await authRepo.findAccountByEmail(t.ctx.db, DEMO_ACCOUNT_EMAILS.advisor))!.id, duinrand);
      const mine = await advisors.listMyContacts(t.ctx, advisor);
      assert.equal(mine.length, 36);
      assert.equal(mine.filter((c) => c.contact.status === "open").length, 12);
      assert.ok(mine.every((c) => c.contact.contact_on >= advisors.earliestContactDate() && c.natures.length >= 1));
      assert.ok(mine.some((c) => c.natures.length === 2), "some contacts carry two natures");
      const notes = await t.ctx.db.selectFrom("advisor_notes").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
      assert.equal(Number(notes.n), 9);
      const activities = await t.ctx.db.selectFrom("advisor_activities").select("kind").execute();
      assert.equal(activities.length, 6);
      assert.ok((await verify(t.ctx)).ok);
    });
  });
}
