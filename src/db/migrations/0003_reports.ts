import type { Kysely } from "kysely";

// The reporting desk. Portable like 0001: text ids, ISO text timestamps, yyyy-mm-dd text dates, 0/1 flags.
// Metadata lives in columns (what the inbox filters and the statistics count); everything a reporter or
// handler writes lives sealed in report_entries.sealed, under the case's data key (report_keys).
export async function up(db: Kysely<any>): Promise<void> {
  const s = db.schema;
  await s.createTable("report_settings")
    .addColumn("organisation_id", "text", (c) => c.primaryKey().references("organisations.id"))
    /** Salt for the Argon2id receipt hash: one per organisation, so the hash is also the lookup key. */
    .addColumn("receipt_salt", "text", (c) => c.notNull())
    .addColumn("alternative_account_id", "text", (c) => c.references("accounts.id"))
    .addColumn("retention_years", "integer", (c) => c.notNull().defaultTo(5))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull()).execute();
  await s.createTable("report_categories")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("label_nl", "text", (c) => c.notNull())
    .addColumn("label_en", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull()).execute();
  await s.createIndex("report_categories_org_code").on("report_categories").columns(["organisation_id", "code"]).unique().execute();
  await s.createTable("report_counters")
    .addColumn("organisation_id", "text", (c) => c.notNull())
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("last", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("report_counters_pk", ["organisation_id", "year"]).execute();
  await s.createTable("reports")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("reference", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("mode", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("category_id", "text", (c) => c.references("report_categories.id"))
    .addColumn("unit_id", "text", (c) => c.references("units.id"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("routing", "text", (c) => c.notNull())
    .addColumn("locale", "text", (c) => c.notNull())
    .addColumn("received_at", "text", (c) => c.notNull())
    .addColumn("ack_due_on", "text", (c) => c.notNull())
    .addColumn("acknowledged_at", "text")
    .addColumn("feedback_due_on", "text")
    .addColumn("feedback_given_at", "text")
    .addColumn("decision", "text")
    .addColumn("investigation_by", "text")
    .addColumn("closed_at", "text")
    .addColumn("coordinator_account_id", "text", (c) => c.references("accounts.id"))
    .addColumn("investigator_account_id", "text", (c) => c.references("accounts.id"))
    /** HMAC of the reporting account's id (open or confidential reports by a signed-in employee), for "my reports". */
    .addColumn("reporter_tag", "text")
    /** Argon2id of the receipt code with the organisation's salt; null when the reporter has an account instead. */
    .addColumn("receipt_hash", "text", (c) => c.unique())
    .addColumn("retain_until", "text")
    .addColumn("destroyed_at", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull()).execute();
  await s.createIndex("reports_org_reference").on("reports").columns(["organisation_id", "reference"]).unique().execute();
  await s.createIndex("reports_org_status").on("reports").columns(["organisation_id", "status", "received_at"]).execute();
  await s.createIndex("reports_org_ack_due").on("reports").columns(["organisation_id", "ack_due_on"]).execute();
  await s.createIndex("reports_org_feedback_due").on("reports").columns(["organisation_id", "feedback_due_on"]).execute();
  await s.createIndex("reports_reporter_tag").on("reports").columns(["reporter_tag"]).execute();
  await s.createTable("report_keys")
    .addColumn("report_id", "text", (c) => c.notNull().references("reports.id"))
    /** "instance" now; later "account" (a handler's public key) and "receipt" (the reporter's derived key). */
    .addColumn("holder_type", "text", (c) => c.notNull())
    .addColumn("holder_id", "text", (c) => c.notNull())
    .addColumn("wrapped_key", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("report_keys_pk", ["report_id", "holder_type", "holder_id"]).execute();
  await s.createTable("report_entries")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("report_id", "text", (c) => c.notNull().references("reports.id"))
    /** 1, 2, 3 … per case: the timeline's order. Writers lock the case row first, so numbers never collide. */
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("author_type", "text", (c) => c.notNull())
    .addColumn("author_account_id", "text", (c) => c.references("accounts.id"))
    .addColumn("visible_to_reporter", "integer", (c) => c.notNull().defaultTo(0))
    /** Non-sensitive facts for the timeline (a status change's from/to, a decision code); never free text. */
    .addColumn("meta", "text", (c) => c.notNull())
    .addColumn("sealed", "text")
    .addColumn("created_at", "text", (c) => c.notNull()).execute();
  await s.createIndex("report_entries_report_position").on("report_entries").columns(["report_id", "position"]).unique().execute();
  await s.createTable("report_exclusions")
    .addColumn("report_id", "text", (c) => c.notNull().references("reports.id"))
    /** HMAC of an account id: who may never find this case, without naming them to a reader of the database. */
    .addColumn("account_tag", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("report_exclusions_pk", ["report_id", "account_tag"]).execute();
  await s.createTable("mailbox_sessions")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("report_id", "text", (c) => c.notNull().references("reports.id"))
    .addColumn("expires_at", "text", (c) => c.notNull())
    /** However active, a mailbox session ends at this moment (the same absolute limit as staff sessions). */
    .addColumn("ends_at", "text", (c) => c.notNull()).execute();
}
