import { sql, type Kysely } from "kysely";

// Two columns on a case, portable like 0003:
// - alternative_account_id: who receives a report about a handler, fixed when the report comes in. Read live from the
//   settings, an administrator could re-route an existing report — even to the person it is about.
// - intake_nonce: the public intake's one-time token, so a double click on "Versturen" cannot make two cases.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("reports").addColumn("alternative_account_id", "text", (c) => c.references("accounts.id")).execute();
  await db.schema.alterTable("reports").addColumn("intake_nonce", "text").execute();
  await db.schema.createIndex("reports_intake_nonce").on("reports").column("intake_nonce").unique().execute();
  await sql`update reports set alternative_account_id = (select s.alternative_account_id from report_settings s where s.organisation_id = reports.organisation_id) where routing = 'alternative'`.execute(db);
}
