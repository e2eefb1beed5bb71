import type { Kysely } from "kysely";

// The advisors' yearly report as published (ADR 0012): once a year is over, an advisor publishes ("vaststellen")
// the report of an organisation or a group, and coordinators, the secretary and auditors read that snapshot
// instead of a report computed from the live register. `data` is the report as JSON: only what the report shows
// (display values, shown numbers, the texts), never a hidden count. Publishing again replaces the row.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable("advisor_report_snapshots")
    .addColumn("scope_type", "text", (c) => c.notNull())
    .addColumn("scope_id", "text", (c) => c.notNull())
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull())
    .addColumn("published_by", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("published_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("advisor_report_snapshots_pk", ["scope_type", "scope_id", "year"]).execute();
}
