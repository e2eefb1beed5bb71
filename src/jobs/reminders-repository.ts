import type { Db, Trx } from "../db/database.ts";
import { now } from "../crypto/tokens.ts";

// The deadline reminders' queries (jobs/deadlines.ts): the open cases with a deadline near, who may be
// reminded, and which reminders went out already.

type Q = Db | Trx;

const COLUMNS = ["id", "organisation_id", "reference", "routing", "coordinator_account_id", "alternative_account_id", "ack_due_on", "feedback_due_on"] as const;
const open = (db: Q) => db.selectFrom("reports").select([...COLUMNS]).where("status", "!=", "closed").where("destroyed_at", "is", null);

/** Open, unacknowledged cases whose acknowledgement is due on or before `soon`. */
export const acknowledgementsDue = (db: Q, soon: string) => open(db).where("acknowledged_at", "is", null).where("ack_due_on", "<=", soon).execute();

/** Acknowledged cases without feedback whose feedback is due on or before `soon`. */
export const feedbackDue = (db: Q, soon: string) => open(db).where("acknowledged_at", "is not", null).where("feedback_given_at", "is", null)
  .where("feedback_due_on", "is not", null).where("feedback_due_on", "<=", soon).execute();

export const organisationName = async (db: Q, id: string) =>
  (await db.selectFrom("organisations").select("name").where("id", "=", id).executeTakeFirst())?.name ?? null;

export const exclusionTagsOf = async (db: Q, reportId: string) =>
  (await db.selectFrom("report_exclusions").select("account_tag").where("report_id", "=", reportId).execute()).map((e) => e.account_tag);

export const alreadySent = async (db: Q, reportId: string, kind: string, dueOn: string) =>
  !!(await db.selectFrom("reminders_sent").select("report_id").where("report_id", "=", reportId).where("kind", "=", kind)
    .where("due_on", "=", dueOn).executeTakeFirst());

/** Records the reminder; false when another run did first (the primary key decides). */
export async function recordSent(trx: Trx, reportId: string, kind: string, dueOn: string): Promise<boolean> {
  const r = await trx.insertInto("reminders_sent").values({ report_id: reportId, kind, due_on: dueOn, sent_at: now() })
    .onConflict((oc) => oc.columns(["report_id", "kind", "due_on"]).doNothing()).returning("report_id").executeTakeFirst();
  return !!r;
}

/** Enabled accounts with a whole-organisation grant (organisation scope, or a group containing it), one row per role. */
export function wholeOrganisationGrants(db: Q, organisationId: string) {
  const groups = db.selectFrom("organisation_group_members").select("group_id").where("organisation_id", "=", organisationId);
  return db.selectFrom("role_assignments").innerJoin("accounts", "accounts.id", "role_assignments.account_id")
    .select(["accounts.id", "accounts.email", "accounts.locale", "role_assignments.role"])
    .where("accounts.disabled", "=", 0)
    .where((eb) => eb.or([
      eb.and([eb("role_assignments.scope_type", "=", "organisation"), eb("role_assignments.scope_id", "=", organisationId)]),
      eb.and([eb("role_assignments.scope_type", "=", "group"), eb("role_assignments.scope_id", "in", groups)]),
    ])).execute();
}
