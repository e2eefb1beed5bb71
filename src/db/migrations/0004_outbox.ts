import type { Kysely } from "kysely";

// E-mail through a transactional outbox, leases for periodic jobs, and the reminders already sent.
// Portable like 0001: text ids, ISO text timestamps, integer counters; runs on SQLite and PostgreSQL.
export async function up(db: Kysely<any>): Promise<void> {
  const s = db.schema;
  await s.createTable("outbox")
    .addColumn("id", "text", (c) => c.primaryKey())
    /** What the mail is for ("mailbox" notice to a reporter, "reminder" to a handler): counts, never content. */
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("organisation_id", "text", (c) => c.references("organisations.id"))
    /** The address, sealed with the instance key (aad "outbox:<id>"); null once the mail is sent. */
    .addColumn("recipient_sealed", "text")
    .addColumn("locale", "text", (c) => c.notNull())
    .addColumn("template", "text", (c) => c.notNull())
    /** JSON of non-content values only (a reference, a date, a link); never report text, never a name. */
    .addColumn("params", "text", (c) => c.notNull())
    /** pending → sending (claimed by one sender) → sent, or back to pending for a retry, or failed. */
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text", (c) => c.notNull())
    /** A short error code of the last attempt ("ECONNECTION", "SMTP 550"); never an address. */
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("sent_at", "text").execute();
  await s.createIndex("outbox_status_next").on("outbox").columns(["status", "next_attempt_at"]).execute();
  await s.createTable("job_leases")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("holder", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull()).execute();
  await s.createTable("reminders_sent")
    .addColumn("report_id", "text", (c) => c.notNull().references("reports.id"))
    /** "acknowledgement" or "feedback" (due soon), or the same with ".overdue". */
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("due_on", "text", (c) => c.notNull())
    .addColumn("sent_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("reminders_sent_pk", ["report_id", "kind", "due_on"]).execute();
}
