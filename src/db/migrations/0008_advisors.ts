import type { Kysely } from "kysely";

// Confidential advisors (issue 4). Portable like 0001: text ids, ISO text timestamps, yyyy-mm-dd text
// dates, 0/1 flags. A contact is counted, never named: its columns hold only what the yearly report counts
// (date, organisation, unit, relation, form, follow-up, numbers) and the natures sit in a table of their
// own, so the five-year table is one GROUP BY in the database. What the advisor writes for their own
// memory is sealed in advisor_notes under a per-contact key (advisor_contact_keys), readable through the
// application only by the advisor of the contact and a successor the visitor agreed to.
export async function up(db: Kysely<any>): Promise<void> {
  const s = db.schema;
  await s.createTable("advisor_natures")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("label_nl", "text", (c) => c.notNull())
    .addColumn("label_en", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull()).execute();
  await s.createIndex("advisor_natures_org_code").on("advisor_natures").columns(["organisation_id", "code"]).unique().execute();

  await s.createTable("advisor_contacts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    /** Optional, and never shown in an output where it could identify (the yearly report has no units). */
    .addColumn("unit_id", "text", (c) => c.references("units.id"))
    .addColumn("advisor_account_id", "text", (c) => c.notNull().references("accounts.id"))
    /** A successor advisor the visitor agreed to (recorded): may read the notes too. */
    .addColumn("successor_account_id", "text", (c) => c.references("accounts.id"))
    .addColumn("contact_on", "text", (c) => c.notNull())
    .addColumn("relation", "text", (c) => c.notNull())
    .addColumn("form", "text", (c) => c.notNull())
    .addColumn("people", "integer", (c) => c.notNull())
    .addColumn("conversations", "integer", (c) => c.notNull())
    .addColumn("minutes", "integer", (c) => c.notNull())
    .addColumn("follow_up", "text", (c) => c.notNull())
    /** A case it led to, only with the visitor's consent (consent_on is then set). */
    .addColumn("report_id", "text", (c) => c.references("reports.id"))
    .addColumn("consent_on", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("closed_on", "text")
    /** When the notes go: a configurable time after closing; the counts stay. */
    .addColumn("notes_destroy_on", "text")
    .addColumn("notes_destroyed_at", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull()).execute();
  await s.createIndex("advisor_contacts_org_date").on("advisor_contacts").columns(["organisation_id", "contact_on"]).execute();
  await s.createIndex("advisor_contacts_advisor").on("advisor_contacts").columns(["advisor_account_id", "status"]).execute();

  await s.createTable("advisor_contact_natures")
    .addColumn("contact_id", "text", (c) => c.notNull().references("advisor_contacts.id"))
    .addColumn("code", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("advisor_contact_natures_pk", ["contact_id", "code"]).execute();

  await s.createTable("advisor_contact_keys")
    .addColumn("contact_id", "text", (c) => c.notNull().references("advisor_contacts.id"))
    .addColumn("holder_type", "text", (c) => c.notNull())
    .addColumn("holder_id", "text", (c) => c.notNull())
    .addColumn("wrapped_key", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("advisor_contact_keys_pk", ["contact_id", "holder_type", "holder_id"]).execute();

  await s.createTable("advisor_notes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("contact_id", "text", (c) => c.notNull().references("advisor_contacts.id"))
    .addColumn("author_account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("sealed", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull()).execute();
  await s.createIndex("advisor_notes_contact").on("advisor_notes").column("contact_id").execute();

  await s.createTable("advisor_activities")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("unit_id", "text", (c) => c.references("units.id"))
    .addColumn("advisor_account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("activity_on", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("people_reached", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull()).execute();
  await s.createIndex("advisor_activities_org_date").on("advisor_activities").columns(["organisation_id", "activity_on"]).execute();

  /** Per organisation: how long notes live after closing, and the threshold below which counts are shown as "< n". */
  await s.createTable("advisor_settings")
    .addColumn("organisation_id", "text", (c) => c.primaryKey().references("organisations.id"))
    .addColumn("notes_retention_months", "integer", (c) => c.notNull().defaultTo(12))
    .addColumn("suppression_threshold", "integer", (c) => c.notNull().defaultTo(5))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull()).execute();

  /** The (central) advisor's interpretation and recommendations in the yearly report, per scope and year. Not secret: it is published. */
  await s.createTable("advisor_report_texts")
    .addColumn("scope_type", "text", (c) => c.notNull())
    .addColumn("scope_id", "text", (c) => c.notNull())
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("interpretation", "text", (c) => c.notNull())
    .addColumn("recommendations", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("advisor_report_texts_pk", ["scope_type", "scope_id", "year"]).execute();
}
