import type { Db, Trx } from "../db/database.ts";
import type { AdvisorActivitiesTable } from "../db/schema.ts";

// Queries of the advisors' activities (activities.ts). Every query names the advisor: an advisor reads and
// removes only their own activities (the yearly report counts them elsewhere, and never lists them).

type Q = Db | Trx;

export const insertActivity = (db: Q, row: AdvisorActivitiesTable) => db.insertInto("advisor_activities").values(row).execute();

/** The advisor's own activities dated from..to (inclusive, yyyy-mm-dd) in the given organisations, newest first. */
export function listOwnActivities(db: Q, accountId: string, organisationIds: string[], from: string, to: string) {
  if (!organisationIds.length) return Promise.resolve([] as AdvisorActivitiesTable[]);
  return db.selectFrom("advisor_activities").selectAll().where("advisor_account_id", "=", accountId)
    .where("organisation_id", "in", organisationIds).where("activity_on", ">=", from).where("activity_on", "<=", to)
    .orderBy("activity_on", "desc").orderBy("created_at", "desc").orderBy("id").execute();
}

/** The years (as numbers) in which the advisor registered activities in the given organisations. */
export async function ownActivityYears(db: Q, accountId: string, organisationIds: string[]): Promise<number[]> {
  if (!organisationIds.length) return [];
  const rows = await db.selectFrom("advisor_activities").select("activity_on").distinct().where("advisor_account_id", "=", accountId)
    .where("organisation_id", "in", organisationIds).execute();
  return [...new Set(rows.map((r) => Number(r.activity_on.slice(0, 4))))].sort((a, b) => b - a);
}

export const findOwnActivity = (db: Q, id: string, accountId: string) =>
  db.selectFrom("advisor_activities").selectAll().where("id", "=", id).where("advisor_account_id", "=", accountId).executeTakeFirst();

export async function deleteOwnActivity(db: Q, id: string, accountId: string): Promise<boolean> {
  const r = await db.deleteFrom("advisor_activities").where("id", "=", id).where("advisor_account_id", "=", accountId).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}
