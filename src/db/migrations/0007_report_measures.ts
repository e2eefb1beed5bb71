import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";

// The measures a desk can record after an investigation, configurable per organisation like the report
// categories (issue 3: "configurable list"). A measure is never deleted — closed cases refer to it by
// code — only switched off. Organisations whose desk already exists get the preset here; new ones get it
// from ensureSettings. The preset is copied into this file on purpose: a migration must not change when
// the application's preset does.
const PRESET: [code: string, nl: string, en: string][] = [
  ["conversation", "Gesprek", "Conversation"],
  ["warning", "Waarschuwing", "Warning"],
  ["final_warning", "Laatste waarschuwing", "Final warning"],
  ["transfer", "Overplaatsing", "Transfer"],
  ["suspension", "Schorsing", "Suspension"],
  ["dismissal", "Ontslag", "Dismissal"],
  ["criminal_report", "Aangifte", "Criminal report"],
  ["other", "Andere maatregel", "Other measure"],
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable("report_measures")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("label_nl", "text", (c) => c.notNull())
    .addColumn("label_en", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull()).execute();
  await db.schema.createIndex("report_measures_org_code").on("report_measures").columns(["organisation_id", "code"]).unique().execute();
  const desks = await db.selectFrom("report_settings").select("organisation_id").execute();
  const at = new Date().toISOString();
  for (const { organisation_id } of desks) {
    await db.insertInto("report_measures").values(PRESET.map(([code, nl, en], i) => ({
      id: randomUUID(), organisation_id, code, label_nl: nl, label_en: en, position: i + 1, active: 1, created_at: at,
    }))).execute();
  }
}
