import type { Db, Trx } from "../db/database.ts";
import type { AdvisorNaturesTable, AdvisorSettingsTable } from "../db/schema.ts";

// Queries of the advisors' settings page (settings.ts). Every query names the organisation, and none
// touches a contact: the administrator configures the register and never reads it.

type Q = Db | Trx;

export const findNature = (db: Q, organisationId: string, id: string) =>
  db.selectFrom("advisor_natures").selectAll().where("organisation_id", "=", organisationId).where("id", "=", id).executeTakeFirst();

export const listNaturesOf = (db: Q, organisationId: string) =>
  db.selectFrom("advisor_natures").selectAll().where("organisation_id", "=", organisationId).orderBy("position").orderBy("label_nl").execute();

export const insertNature = (db: Q, row: AdvisorNaturesTable) => db.insertInto("advisor_natures").values(row).execute();

export const updateNature = (db: Q, organisationId: string, id: string,
  patch: Partial<Pick<AdvisorNaturesTable, "label_nl" | "label_en" | "position" | "active">>) =>
  db.updateTable("advisor_natures").set(patch).where("organisation_id", "=", organisationId).where("id", "=", id).execute();

export const updateSettings = (db: Q, organisationId: string,
  patch: Partial<Pick<AdvisorSettingsTable, "notes_retention_months" | "suppression_threshold" | "updated_at">>) =>
  db.updateTable("advisor_settings").set(patch).where("organisation_id", "=", organisationId).execute();
