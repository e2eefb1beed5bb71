import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { yearlyReport } from "../../src/advisors/report.ts";
import { verify } from "../../src/audit/service.ts";
import * as authRepo from "../../src/auth/repository.ts";
import { authenticateBearer, loadActor, login } from "../../src/auth/service.ts";
import { BenchDataRefused, generateBenchData, type BenchFixture } from "../../src/bench-data/generate.ts";
import { batchSize, MAX_PARAMETERS } from "../../src/bench-data/bulk.ts";
import { planCountry } from "../../src/bench-data/organisations.ts";
import { SCALES } from "../../src/bench-data/scales.ts";
import { reportByReceipt } from "../../src/reports/intake.ts";
import { acknowledgementDue, feedbackDue, localDate } from "../../src/reports/deadlines.ts";
import { acknowledgementText, getCase, listCases } from "../../src/reports/service.ts";
import { DB_KINDS, freshDatabase, type TestDb } from "../helpers/db.ts";

const SEED = 4242;
const TODAY = "2026-06-15";

/** A digest of the clear columns (no secrets, no sealed blobs, no creation times of the run), sorted in code so both engines agree. */
async function digest(t: TestDb): Promise<string> {
  const db = t.ctx.db;
  const parts = [
    await db.selectFrom("organisations").select(["id", "name", "slug", "kind"]).execute(),
    await db.selectFrom("units").select(["id", "organisation_id", "parent_id", "name", "path"]).execute(),
    await db.selectFrom("people").select(["id", "organisation_id", "employee_number", "given_name", "family_name", "email", "unit_id", "manager_id", "start_date", "end_date"]).execute(),
    await db.selectFrom("reports").select(["id", "organisation_id", "reference", "channel", "mode", "kind", "category_id", "unit_id", "status",
      "received_at", "ack_due_on", "acknowledged_at", "feedback_due_on", "feedback_given_at", "decision", "investigation_by", "closed_at", "retain_until", "coordinator_account_id"]).execute(),
    await db.selectFrom("report_entries").select(["id", "report_id", "position", "kind", "author_type", "meta", "created_at"]).execute(),
    await db.selectFrom("advisor_contacts").select(["id", "organisation_id", "advisor_account_id", "contact_on", "relation", "form", "people", "follow_up", "status", "closed_on", "notes_destroy_on"]).execute(),
    await db.selectFrom("advisor_contact_natures").select(["contact_id", "code"]).execute(),
    await db.selectFrom("advisor_activities").select(["id", "organisation_id", "activity_on", "kind", "people_reached"]).execute(),
  ];
  const h = crypto.createHash("sha256");
  for (const rows of parts) {
    const lines = rows.map((r) => JSON.stringify(Object.values(r).map((v) => (v === null ? null : String(v))))).sort();
    h.update(lines.join("\n")).update("\n--\n");
  }
  return h.digest("hex");
}

const count = async (t: TestDb, table: "organisations" | "people" | "reports" | "advisor_contacts" | "advisor_activities" | "report_entries") =>
  Number((await t.ctx.db.selectFrom(table).select((e) => e.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

describe("bench data (pure parts)", () => {
  test("batches stay below both engines' parameter limits", () => {
    for (const columns of [1, 2, 7, 14, 25, 40]) assert.ok(batchSize(columns) * columns <= MAX_PARAMETERS && MAX_PARAMETERS < 32_766);
  });
  test("the plan of the country follows the scale and the seed", () => {
    const n = SCALES.national;
    const plan = planCountry(n, 1);
    assert.equal(plan.organisations.length, 400);
    assert.equal(plan.regions.length, 40);
    assert.equal(plan.pool.organisations.length, 40);
    assert.equal(plan.organisations.reduce((a, o) => a + o.reports, 0), 100_000);
    assert.equal(plan.organisations.reduce((a, o) => a + o.contacts, 0), 500_000);
    assert.equal(new Set(plan.organisations.map((o) => o.slug)).size, 400);
    assert.deepEqual(planCountry(n, 1), plan);
    assert.notDeepEqual(planCountry(n, 2).organisations.map((o) => o.name), plan.organisations.map((o) => o.name));
  });
});

const digests = new Map<string, string>();

for (const { kind, skip } of DB_KINDS) {
  describe(`bench data, small scale (${kind})`, { skip }, () => {
    let t: TestDb;
    let f: BenchFixture;
    before(async () => {
      t = await freshDatabase(kind);
      f = await generateBenchData(t.ctx, { scale: "small", seed: SEED, today: TODAY });
    });
    after(async () => { await t?.drop(); });

    test("writes what the fixture counts, and the fixture is JSON", async () => {
      assert.deepEqual(JSON.parse(JSON.stringify(f)), f);
      assert.equal(f.counts.organisations, 6);
      assert.equal(await count(t, "organisations"), 6);
      assert.equal(await count(t, "people"), f.counts.people);
      assert.equal(f.counts.people, SCALES.small.people);
      assert.equal(await count(t, "reports"), 1_000);
      assert.equal(await count(t, "report_entries"), f.counts.reportEntries);
      assert.equal(await count(t, "advisor_contacts"), 3_000);
      assert.equal(await count(t, "advisor_activities"), f.counts.advisorActivities);
      assert.equal(f.pool.organisationIds.length, 4);
      // A realistic mix: most cases closed, and every open status present.
      const statuses = await t.ctx.db.selectFrom("reports").select(["status", (e) => e.fn.countAll<number>().as("n")]).groupBy("status").execute();
      const by = new Map(statuses.map((s) => [s.status, Number(s.n)]));
      assert.ok(by.get("closed")! > 600, JSON.stringify([...by]));
      for (const s of ["received", "assessment", "investigation", "concluding"]) assert.ok(by.has(s), `no case in ${s}`);
      const audit = await t.ctx.db.selectFrom("audit_events").select(["action", "details"]).where("action", "=", "benchData.generate").execute();
      assert.equal(audit.length, 1);
      assert.equal(JSON.parse(audit[0]!.details).reports, 1_000);
      assert.equal((await verify(t.ctx)).ok, true);
      digests.set(kind, await digest(t));
    });

    test("the known receipts open their reports", async () => {
      assert.equal(f.receipts.length, SCALES.small.receipts);
      for (const r of f.receipts) {
        const report = await reportByReceipt(t.ctx, r.organisationSlug, { receipt: r.receipt });
        assert.equal(report.id, r.reportId);
      }
      await assert.rejects(reportByReceipt(t.ctx, f.receipts[0]!.organisationSlug, { receipt: "1234567812345678" }));
    });

    test("the coordinator signs in, sees the long case opened with 50 entries and 20 messages, and has an inbox", async () => {
      const signedIn = await login(t.ctx, f.coordinator.email, f.coordinator.password);
      assert.ok(signedIn.ok && signedIn.stage === "full", JSON.stringify(signedIn));
      const account = await authenticateBearer(t.ctx, f.coordinator.apiToken);
      assert.equal(account?.id, f.coordinator.accountId);
      const actor = await loadActor(t.ctx.db, account!, null, "token");
      const long = f.longCases[0]!;
      const view = await getCase(t.ctx, actor, long.reportId);
      assert.equal(view.timeline.length, 50);
      assert.equal(view.timeline.filter((e) => e.kind === "message_in" || e.kind === "message_out").length, 20);
      assert.ok(view.content?.description);
      assert.equal(view.report.status, "investigation");
      const inbox = await listCases(t.ctx, actor, {}, "nl");
      const visible = await t.ctx.db.selectFrom("reports").select((e) => e.fn.countAll().as("n")).where("organisation_id", "in", f.pool.organisationIds).executeTakeFirstOrThrow();
      assert.equal(inbox.total, Number(visible.n));
      const overdue = await listCases(t.ctx, actor, { deadline: "overdue" }, "nl");
      assert.ok(overdue.total > 0 && overdue.total < inbox.total);
    });

    test("any generated case opens with the instance key", async () => {
      const account = (await authRepo.findAccount(t.ctx.db, f.coordinator.accountId))!;
      const actor = await loadActor(t.ctx.db, account, null, "session");
      const some = await t.ctx.db.selectFrom("reports").select("id").where("organisation_id", "in", f.pool.organisationIds).orderBy("reference").limit(25).execute();
      let acknowledged = 0;
      for (const r of some) {
        const view = await getCase(t.ctx, actor, r.id);
        assert.ok(view.timeline.length >= 1 && view.content);
        // Deadlines as the intake and the desk compute them, and the acknowledgement in the service's words.
        assert.equal(view.report.ack_due_on, acknowledgementDue(view.report.received_at));
        if (!view.report.acknowledged_at) continue;
        acknowledged++;
        assert.equal(view.report.feedback_due_on, feedbackDue(view.report.acknowledged_at));
        const ack = view.timeline.find((e) => e.kind === "message_out" && e.meta.acknowledgement);
        assert.deepEqual(ack?.sealed, { body: acknowledgementText("nl", view.report.reference, localDate(view.report.received_at), view.report.feedback_due_on!, "") });
      }
      assert.ok(acknowledged > 10);
    });

    test("the advisor's five-year report over the pool computes", async () => {
      const account = (await authRepo.findAccount(t.ctx.db, f.advisor.accountId))!;
      const actor = await loadActor(t.ctx.db, account, null, "session");
      const report = await yearlyReport(t.ctx, actor, { scope: "group", id: f.advisorReport.id, year: f.advisorReport.year });
      assert.deepEqual(report.years, f.advisorReport.years);
      assert.equal(report.scope.organisations.length, f.pool.organisationIds.length);
      const shown = report.totals.contacts.map((c) => c.value ?? 0);
      assert.ok(shown.reduce((a, b) => a + b, 0) > 500, JSON.stringify(shown));
      assert.ok(report.activities.total.count > 0);
    });

    test("refuses a database that already has organisations, and writes nothing", async () => {
      const before = await count(t, "people");
      await assert.rejects(generateBenchData(t.ctx, { scale: "small", seed: SEED + 1, today: TODAY }), (e: unknown) => {
        assert.ok(e instanceof BenchDataRefused);
        assert.match(e.message, /already holds 6 organisation/);
        assert.match(e.message, /--force/);
        return true;
      });
      assert.equal(await count(t, "people"), before);
      assert.equal(await count(t, "organisations"), 6);
    });
  });
}

test("the same seed gives the same data, on either engine", { skip: DB_KINDS.some((d) => d.skip) ? "needs both engines" : false }, () => {
  assert.equal(digests.size, 2);
  assert.equal(digests.get("sqlite"), digests.get("postgres"));
});
