import type { Kysely } from "kysely";
import { searchKey } from "../../people/search-key.ts";

// Portable, like 0001. The search key is computed in JS (not in SQL), so existing rows are read and
// written back here, on SQLite and PostgreSQL alike.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable("import_commits")
    .addColumn("nonce", "text", (c) => c.primaryKey())
    .addColumn("organisation_id", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("committed_at", "text", (c) => c.notNull()).execute();
  await db.schema.alterTable("people").addColumn("search_key", "text").execute();
  const rows = await db.selectFrom("people").select(["id", "given_name", "family_name", "employee_number"]).execute();
  for (const r of rows as { id: string; given_name: string; family_name: string; employee_number: string }[]) {
    await db.updateTable("people").set({ search_key: searchKey(r) }).where("id", "=", r.id).execute();
  }
}
