import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import type { ReportsTable } from "../../src/db/schema.ts";
import { addDays } from "../../src/reports/deadlines.ts";
import { listInbox, type InboxFilter, type Visibility } from "../../src/reports/repository.ts";
import { STATUSES } from "../../src/reports/workflow.ts";
import { DB_KINDS, freshDatabase, type TestDb } from "../helpers/db.ts";

// Migration 0011 turned the inbox's computed "next deadline" into the generated column reports.next_due_on. These
// tests hold it to the computation it replaced, for every status and deadline combination, and the inbox to it.

/** The computation the inbox used before 0011 (reports/repository.ts), in code. */
const oldNextDue = (r: Pick<ReportsTable, "status" | "acknowledged_at" | "ack_due_on" | "feedback_given_at" | "feedback_due_on">) =>
  r.status === "closed" ? null : r.acknowledged_at === null ? r.ack_due_on : r.feedback_given_at === null ? r.feedback_due_on : null;
/** And as it stood in SQL. */
const OLD_SQL = sql<string | null>`case when reports.status = 'closed' then null when reports.acknowledged_at is null then reports.ack_due_on when reports.feedback_given_at is null then reports.feedback_due_on else null end`;

const TODAY = "2026-03-10";
const SOON = addDays(TODAY, 7);

for (const { kind, skip } of DB_KINDS) {
  describe(`reports.next_due_on (${kind})`, { skip }, () => {
    let t: TestDb;
    const org = "00000000-0000-4000-8000-000000000001";
    const rows: ReportsTable[] = [];
    before(async () => {
      t = await freshDatabase(kind);
      const at = "2026-01-01T00:00:00.000Z";
      await t.ctx.db.insertInto("organisations").values({ id: org, name: "Gemeente Test", slug: "test", kind: "municipality", totp_required: 0, created_at: at, updated_at: at }).execute();
      // Every status × acknowledged or not × feedback given or not × feedback date or none, with due dates spread
      // around TODAY (past, today, within a week, later), so every deadline filter has members.
      const dates = [addDays(TODAY, -30), addDays(TODAY, -1), TODAY, addDays(TODAY, 3), SOON, addDays(TODAY, 8), addDays(TODAY, 60)];
      let n = 0;
      for (const status of STATUSES) for (const acked of [false, true]) for (const fed of [false, true]) for (const fdue of [false, true]) {
        n++;
        const id = `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
        rows.push({
          id, organisation_id: org, reference: `2026-${String(n).padStart(4, "0")}`, channel: "web", mode: "anonymous", kind: "integrity",
          category_id: null, unit_id: null, status, routing: "desk", locale: "nl",
          received_at: `2026-01-${String(1 + (n % 28)).padStart(2, "0")}T10:00:00.000Z`, ack_due_on: dates[n % dates.length]!,
          acknowledged_at: acked ? "2026-01-05T10:00:00.000Z" : null, feedback_due_on: fdue ? dates[(n * 3) % dates.length]! : null,
          feedback_given_at: fed ? "2026-02-01T10:00:00.000Z" : null, decision: null, investigation_by: null,
          closed_at: status === "closed" ? "2026-02-02T10:00:00.000Z" : null, coordinator_account_id: null, investigator_account_id: null,
          reporter_tag: null, receipt_hash: null, retain_until: null, destroyed_at: null, alternative_account_id: null, intake_nonce: null,
          version: 1, created_at: at, updated_at: at,
        });
      }
      await t.ctx.db.insertInto("reports").values(rows).execute();
    });
    after(async () => { await t?.drop(); });

    test("equals the old computation for every status and deadline combination", async () => {
      const got = await t.ctx.db.selectFrom("reports").select(["id", "next_due_on", OLD_SQL.as("old")]).execute();
      assert.equal(got.length, STATUSES.length * 8);
      for (const g of got) {
        const r = rows.find((x) => x.id === g.id)!;
        assert.equal(g.next_due_on, oldNextDue(r), `${r.status} ack=${!!r.acknowledged_at} fed=${!!r.feedback_given_at} fdue=${r.feedback_due_on}`);
        assert.equal(g.next_due_on, g.old);
      }
      // Both kinds of value occur, so the comparison is not between nulls only.
      assert.ok(got.some((g) => g.next_due_on === null) && got.some((g) => g.next_due_on !== null));
    });

    test("follows the columns it derives from when a case changes", async () => {
      const r = rows.find((x) => x.status === "received" && !x.acknowledged_at && x.feedback_due_on)!;
      const read = async () => (await t.ctx.db.selectFrom("reports").select("next_due_on").where("id", "=", r.id).executeTakeFirstOrThrow()).next_due_on;
      assert.equal(await read(), r.ack_due_on);
      await t.ctx.db.updateTable("reports").set({ acknowledged_at: "2026-03-01T10:00:00.000Z" }).where("id", "=", r.id).execute();
      assert.equal(await read(), r.feedback_due_on);
      await t.ctx.db.updateTable("reports").set({ feedback_given_at: "2026-03-02T10:00:00.000Z" }).where("id", "=", r.id).execute();
      assert.equal(await read(), null);
      await t.ctx.db.updateTable("reports").set({ acknowledged_at: null, feedback_given_at: null }).where("id", "=", r.id).execute();
      assert.equal(await read(), r.ack_due_on);
      await t.ctx.db.updateTable("reports").set({ status: "closed" }).where("id", "=", r.id).execute();
      assert.equal(await read(), null);
      await t.ctx.db.updateTable("reports").set({ status: r.status }).where("id", "=", r.id).execute();
    });

    test("the inbox sorts by it (none last) and filters by it", async () => {
      const vis: Visibility = { deskOrgs: [org], alternativeOrgs: [], investigatorOrgs: [], accountId: "nobody", accountTag: "nobody" };
      const base: InboxFilter = { today: TODAY, soon: SOON, sort: "due", limit: 1_000, offset: 0 };
      const due = (r: ReportsTable) => oldNextDue(r);
      const expected = [...rows].sort((a, b) => {
        const da = due(a), db = due(b);
        if ((da === null) !== (db === null)) return da === null ? 1 : -1;
        if (da !== db) return da! < db! ? -1 : 1;
        if (a.received_at !== b.received_at) return a.received_at < b.received_at ? 1 : -1;
        return a.id < b.id ? -1 : 1;
      }).map((r) => r.id);
      const sorted = await listInbox(t.ctx.db, vis, base);
      assert.deepEqual(sorted.rows.map((r) => r.id), expected);
      assert.deepEqual(sorted.rows.map((r) => r.next_due), expected.map((id) => due(rows.find((r) => r.id === id)!)));
      const classes = {
        overdue: (d: string | null) => d !== null && d < TODAY,
        dueSoon: (d: string | null) => d !== null && d >= TODAY && d <= SOON,
        open: (d: string | null) => d !== null && d > SOON,
        met: (d: string | null) => d === null,
      } as const;
      for (const [deadline, member] of Object.entries(classes) as [keyof typeof classes, (d: string | null) => boolean][]) {
        const got = await listInbox(t.ctx.db, vis, { ...base, deadline, sort: "reference" });
        const want = rows.filter((r) => member(due(r))).map((r) => r.id).sort();
        assert.ok(want.length > 0, `no case is ${deadline}`);
        assert.deepEqual(got.rows.map((r) => r.id).sort(), want, deadline);
        assert.equal(got.total, want.length);
      }
    });
  });
}
