import type { Db, Trx } from "../db/database.ts";
import type { RoleAssignmentsTable } from "../db/schema.ts";

type Q = Db | Trx;
// Every read takes the organisations the caller may manage first. A grant "falls inside" those
// organisations when it is on one of them (or a unit of one), or on a group that holds one of them.

const NONE = ["-"];
const orgs = (ids: string[]) => (ids.length ? ids : NONE);

/** The role assignments inside the organisations: on the organisation or its units, or on a group containing it. */
function grantsInside(db: Q, organisationIds: string[]) {
  return db.selectFrom("role_assignments").where((eb) => eb.or([
    eb("role_assignments.organisation_id", "in", orgs(organisationIds)),
    eb.and([
      eb("role_assignments.scope_type", "=", "group"),
      eb("role_assignments.scope_id", "in",
        eb.selectFrom("organisation_group_members").select("organisation_group_members.group_id")
          .where("organisation_group_members.organisation_id", "in", orgs(organisationIds))),
    ]),
  ]));
}

export const ACCOUNT_COLUMNS = ["accounts.id", "accounts.email", "accounts.display_name", "accounts.totp_enabled", "accounts.person_id",
  "accounts.disabled", "accounts.created_at", "accounts.last_login_at"] as const;

/** Accounts holding any role inside the organisations, by name. */
export async function listAccounts(db: Q, organisationIds: string[]) {
  return db.selectFrom("accounts").select([...ACCOUNT_COLUMNS])
    .where("accounts.id", "in", grantsInside(db, organisationIds).select("role_assignments.account_id"))
    .orderBy("accounts.display_name").orderBy("accounts.email").execute();
}

export async function findAccount(db: Q, organisationIds: string[], accountId: string) {
  return db.selectFrom("accounts").select([...ACCOUNT_COLUMNS]).where("accounts.id", "=", accountId)
    .where("accounts.id", "in", grantsInside(db, organisationIds).select("role_assignments.account_id"))
    .executeTakeFirst();
}

/** The grants inside the organisations, for some accounts (or all), with the unit path of a unit grant. */
export async function listGrants(db: Q, organisationIds: string[], accountIds?: string[]) {
  let q = grantsInside(db, organisationIds)
    .leftJoin("units", (j) => j.onRef("units.id", "=", "role_assignments.scope_id").on("role_assignments.scope_type", "=", "unit"))
    .select(["role_assignments.id", "role_assignments.account_id", "role_assignments.role", "role_assignments.scope_type",
      "role_assignments.scope_id", "role_assignments.organisation_id", "role_assignments.created_at", "units.path as unit_path"]);
  if (accountIds) q = q.where("role_assignments.account_id", "in", accountIds.length ? accountIds : NONE);
  return q.orderBy("role_assignments.created_at").orderBy("role_assignments.id").execute();
}

/** One grant on one of the organisations (or their units); group grants are not found here. */
export const findGrant = (db: Q, organisationIds: string[], grantId: string) =>
  db.selectFrom("role_assignments").selectAll().where("organisation_id", "in", orgs(organisationIds)).where("id", "=", grantId).executeTakeFirst();

export const grantExists = async (db: Q, accountId: string, role: string, scopeType: string, scopeId: string) =>
  !!(await db.selectFrom("role_assignments").select("id").where("account_id", "=", accountId).where("role", "=", role)
    .where("scope_type", "=", scopeType).where("scope_id", "=", scopeId).executeTakeFirst());

/** Every grant of one account, wherever it is: used to decide whether an instance-wide change is the caller's to make. */
export const grantsOfAccount = (db: Q, accountId: string) =>
  db.selectFrom("role_assignments").select(["id", "scope_type", "organisation_id"]).where("account_id", "=", accountId).execute();

export const insertGrant = (db: Q, row: RoleAssignmentsTable) => db.insertInto("role_assignments").values(row).execute();

export const deleteGrant = (db: Q, organisationId: string, grantId: string) =>
  db.deleteFrom("role_assignments").where("organisation_id", "=", organisationId).where("id", "=", grantId).executeTakeFirst();

export const findUnit = (db: Q, organisationIds: string[], unitId: string) =>
  db.selectFrom("units").select(["id", "organisation_id", "name", "path"]).where("organisation_id", "in", orgs(organisationIds))
    .where("id", "=", unitId).executeTakeFirst();

export const personLinked = async (db: Q, personId: string) =>
  !!(await db.selectFrom("accounts").select("id").where("person_id", "=", personId).executeTakeFirst());

export const setDisabled = (db: Q, accountId: string, disabled: 0 | 1) =>
  db.updateTable("accounts").set({ disabled }).where("id", "=", accountId).execute();


