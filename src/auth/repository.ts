import { sql } from "kysely";
import type { Db, Trx } from "../db/database.ts";
import type { AccountsTable, SessionsTable } from "../db/schema.ts";

type Q = Db | Trx;

export const findAccountByEmail = (db: Q, email: string) =>
  db.selectFrom("accounts").selectAll().where("email", "=", email.trim().toLowerCase()).executeTakeFirst();

export const findAccount = (db: Q, id: string) =>
  db.selectFrom("accounts").selectAll().where("id", "=", id).executeTakeFirst();

export const countAccounts = async (db: Q) =>
  Number((await db.selectFrom("accounts").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

export const insertAccount = (db: Q, row: AccountsTable) => db.insertInto("accounts").values(row).execute();

export const updateAccount = (db: Q, id: string, patch: Partial<AccountsTable>) =>
  db.updateTable("accounts").set(patch).where("id", "=", id).execute();

export async function grantsOf(db: Q, accountId: string) {
  return db.selectFrom("role_assignments")
    .leftJoin("units", (j) => j.onRef("units.id", "=", "role_assignments.scope_id").on("role_assignments.scope_type", "=", "unit"))
    .select(["role_assignments.role", "role_assignments.scope_type", "role_assignments.scope_id",
      "role_assignments.organisation_id", "units.path as unit_path"])
    .where("role_assignments.account_id", "=", accountId).execute();
}

export async function groupMembers(db: Q, groupIds: string[]) {
  if (!groupIds.length) return [];
  return db.selectFrom("organisation_group_members").select(["group_id", "organisation_id"]).where("group_id", "in", groupIds).execute();
}

export async function organisationsTotpRequired(db: Q, organisationIds: string[]): Promise<boolean> {
  if (!organisationIds.length) return false;
  const row = await db.selectFrom("organisations").select("id").where("id", "in", organisationIds).where("totp_required", "=", 1).executeTakeFirst();
  return !!row;
}

export async function claimTotpStep(db: Q, accountId: string, step: number): Promise<boolean> {
  const r = await db.updateTable("accounts").set({ totp_last_step: step }).where("id", "=", accountId)
    .where((eb) => eb.or([eb("totp_last_step", "is", null), eb("totp_last_step", "<", step)])).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export const insertSession = (db: Q, row: SessionsTable) => db.insertInto("sessions").values(row).execute();
export const findSessionByHash = (db: Q, hash: string) =>
  db.selectFrom("sessions").selectAll().where("token_hash", "=", hash).executeTakeFirst();
export const updateSession = (db: Q, id: string, patch: Partial<SessionsTable>) =>
  db.updateTable("sessions").set(patch).where("id", "=", id).execute();
export const deleteSession = (db: Q, id: string) => db.deleteFrom("sessions").where("id", "=", id).execute();
export const deleteOtherSessions = (db: Q, accountId: string, keepId: string | null) => {
  let q = db.deleteFrom("sessions").where("account_id", "=", accountId);
  if (keepId) q = q.where("id", "!=", keepId);
  return q.execute();
};
export const deleteSessionsOf = (db: Q, accountId: string) => db.deleteFrom("sessions").where("account_id", "=", accountId).executeTakeFirst();
export const deleteExpiredSessions = (db: Q, nowIso: string, idleCutoffIso: string) =>
  db.deleteFrom("sessions").where((eb) => eb.or([eb("expires_at", "<", nowIso), eb("last_seen_at", "<", idleCutoffIso)])).execute();

/** Counts one attempt atomically (INSERT … ON CONFLICT DO UPDATE … RETURNING, on both dialects), so
 *  concurrent attempts each see their own number and a burst cannot slip past the limit. */
export async function countAttempt(db: Q, key: string, at: string) {
  return db.insertInto("login_throttle").values({ key_hash: key, failures: 1, locked_until: null, updated_at: at })
    .onConflict((oc) => oc.column("key_hash").doUpdateSet({ failures: sql<number>`login_throttle.failures + 1`, updated_at: at }))
    .returning(["failures", "locked_until"]).executeTakeFirstOrThrow();
}
export const lockThrottle = (db: Q, key: string, until: string) =>
  db.updateTable("login_throttle").set({ locked_until: until }).where("key_hash", "=", key).where("locked_until", "is", null).execute();
/** After a lock has run out, the count starts again at this attempt. */
export const restartThrottle = (db: Q, key: string, at: string) =>
  db.updateTable("login_throttle").set({ failures: 1, locked_until: null, updated_at: at }).where("key_hash", "=", key).execute();
export const clearThrottle = (db: Q, key: string) => db.deleteFrom("login_throttle").where("key_hash", "=", key).execute();
export const deleteStaleThrottles = (db: Q, before: string) =>
  db.deleteFrom("login_throttle").where("updated_at", "<", before)
    .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", before)])).execute();

export const getSetting = async (db: Q, key: string) =>
  (await db.selectFrom("instance_settings").select("value").where("key", "=", key).executeTakeFirst())?.value;
/** One upsert: several instances starting at once on a fresh database each write without a unique-key clash. */
export async function setSetting(db: Q, key: string, value: string) {
  await db.insertInto("instance_settings").values({ key, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value })).execute();
}
export const deleteSetting = (db: Q, key: string) => db.deleteFrom("instance_settings").where("key", "=", key).execute();

export const listTokens = (db: Q, accountId: string) =>
  db.selectFrom("api_tokens").select(["id", "name", "created_at", "expires_at", "last_used_at", "revoked_at"])
    .where("account_id", "=", accountId).orderBy("created_at", "desc").execute();
export const insertToken = (db: Q, row: { id: string; account_id: string; name: string; token_hash: string; created_at: string; expires_at: string }) =>
  db.insertInto("api_tokens").values({ ...row, last_used_at: null, revoked_at: null }).execute();
export const findTokenByHash = (db: Q, hash: string) =>
  db.selectFrom("api_tokens").selectAll().where("token_hash", "=", hash).executeTakeFirst();
export const revokeToken = (db: Q, id: string, accountId: string, at: string) =>
  db.updateTable("api_tokens").set({ revoked_at: at }).where("id", "=", id).where("account_id", "=", accountId).where("revoked_at", "is", null).executeTakeFirst();
export const touchToken = (db: Q, id: string, at: string) =>
  db.updateTable("api_tokens").set({ last_used_at: at }).where("id", "=", id).execute();
