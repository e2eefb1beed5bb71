import type { Kysely } from "kysely";

// Portable types only: text ids, text ISO timestamps, integer flags. Runs unchanged on SQLite and PostgreSQL.
export async function up(db: Kysely<any>): Promise<void> {
  const s = db.schema;
  await s.createTable("organisation_groups")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull()).execute();
  await s.createTable("organisations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("totp_required", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull()).execute();
  await s.createTable("organisation_group_members")
    .addColumn("group_id", "text", (c) => c.notNull().references("organisation_groups.id"))
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    .addPrimaryKeyConstraint("organisation_group_members_pk", ["group_id", "organisation_id"]).execute();
  await s.createTable("units")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("parent_id", "text", (c) => c.references("units.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("path", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull()).execute();
  await s.createIndex("units_org_path").on("units").columns(["organisation_id", "path"]).execute();
  await s.createTable("positions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("code", "text")
    .addColumn("created_at", "text", (c) => c.notNull()).execute();
  await s.createIndex("positions_org_title").on("positions").columns(["organisation_id", "title"]).unique().execute();
  await s.createTable("people")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("employee_number", "text", (c) => c.notNull())
    .addColumn("given_name", "text", (c) => c.notNull())
    .addColumn("family_name", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("unit_id", "text", (c) => c.references("units.id"))
    .addColumn("position_id", "text", (c) => c.references("positions.id"))
    .addColumn("manager_id", "text", (c) => c.references("people.id"))
    .addColumn("employment_type", "text", (c) => c.notNull())
    .addColumn("start_date", "text")
    .addColumn("end_date", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull()).execute();
  await s.createIndex("people_org_number").on("people").columns(["organisation_id", "employee_number"]).unique().execute();
  await s.createIndex("people_org_unit").on("people").columns(["organisation_id", "unit_id"]).execute();
  await s.createTable("accounts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("password_hash", "text")
    .addColumn("totp_secret_sealed", "text")
    .addColumn("totp_enabled", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("totp_last_step", "integer")
    .addColumn("password_change_required", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("locale", "text", (c) => c.notNull())
    .addColumn("person_id", "text", (c) => c.references("people.id"))
    .addColumn("disabled", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_login_at", "text").execute();
  await s.createTable("role_assignments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("scope_type", "text", (c) => c.notNull())
    .addColumn("scope_id", "text", (c) => c.notNull())
    .addColumn("organisation_id", "text", (c) => c.references("organisations.id"))
    .addColumn("created_at", "text", (c) => c.notNull()).execute();
  await s.createIndex("role_assignments_unique").on("role_assignments")
    .columns(["account_id", "role", "scope_type", "scope_id"]).unique().execute();
  await s.createIndex("role_assignments_org").on("role_assignments").columns(["organisation_id"]).execute();
  await s.createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("stage", "text", (c) => c.notNull())
    .addColumn("active_organisation_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_seen_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull()).execute();
  await s.createIndex("sessions_account").on("sessions").columns(["account_id"]).execute();
  await s.createTable("api_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("last_used_at", "text")
    .addColumn("revoked_at", "text").execute();
  await s.createTable("login_throttle")
    .addColumn("key_hash", "text", (c) => c.primaryKey())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("locked_until", "text")
    .addColumn("updated_at", "text", (c) => c.notNull()).execute();
  await s.createTable("instance_settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull()).execute();
  await s.createTable("audit_events")
    .addColumn("seq", "integer", (c) => c.primaryKey())
    .addColumn("id", "text", (c) => c.notNull().unique())
    .addColumn("occurred_at", "text", (c) => c.notNull())
    .addColumn("actor_type", "text", (c) => c.notNull())
    .addColumn("actor_id", "text")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("object_type", "text", (c) => c.notNull())
    .addColumn("object_id", "text")
    .addColumn("organisation_id", "text")
    .addColumn("details", "text", (c) => c.notNull())
    .addColumn("prev_hash", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull()).execute();
  await s.createIndex("audit_events_org_time").on("audit_events").columns(["organisation_id", "occurred_at"]).execute();
}
