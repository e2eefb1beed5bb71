import type { Db, Trx } from "../db/database.ts";
import type { OrganisationsTable, PositionsTable, UnitsTable } from "../db/schema.ts";

type Q = Db | Trx;
// Every read takes the organisation (or the list of organisations the caller may see) first.

export const insertOrganisation = (db: Q, row: OrganisationsTable) => db.insertInto("organisations").values(row).execute();
export const updateOrganisation = (db: Q, id: string, patch: Partial<OrganisationsTable>) =>
  db.updateTable("organisations").set(patch).where("id", "=", id).execute();
export const findOrganisation = (db: Q, orgIds: string[], id: string) =>
  orgIds.includes(id) ? db.selectFrom("organisations").selectAll().where("id", "=", id).executeTakeFirst() : Promise.resolve(undefined);
export const listOrganisations = (db: Q, orgIds: string[]) =>
  orgIds.length ? db.selectFrom("organisations").selectAll().where("id", "in", orgIds).orderBy("name").execute() : Promise.resolve([]);
export const slugTaken = async (db: Q, slug: string, exceptId?: string) => {
  let q = db.selectFrom("organisations").select("id").where("slug", "=", slug);
  if (exceptId) q = q.where("id", "!=", exceptId);
  return !!(await q.executeTakeFirst());
};
export async function uniqueSlug(db: Q, base: string): Promise<string> {
  for (let i = 1; ; i++) {
    const slug = i === 1 ? base : `${base}-${i}`;
    if (!(await slugTaken(db, slug))) return slug;
  }
}

// ---- groups ----
export const insertGroup = (db: Q, row: { id: string; name: string; kind: string; created_at: string }) =>
  db.insertInto("organisation_groups").values(row).execute();
export const addGroupMember = (db: Q, groupId: string, organisationId: string) =>
  db.insertInto("organisation_group_members").values({ group_id: groupId, organisation_id: organisationId }).execute();
export const isGroupMember = async (db: Q, groupId: string, organisationId: string) =>
  !!(await db.selectFrom("organisation_group_members").select("group_id").where("group_id", "=", groupId).where("organisation_id", "=", organisationId).executeTakeFirst());
export const findGroup = (db: Q, groupIds: string[], id: string) =>
  groupIds.includes(id) ? db.selectFrom("organisation_groups").selectAll().where("id", "=", id).executeTakeFirst() : Promise.resolve(undefined);
export const listGroups = (db: Q, groupIds: string[]) =>
  groupIds.length ? db.selectFrom("organisation_groups").selectAll().where("id", "in", groupIds).orderBy("name").execute() : Promise.resolve([]);
export const groupMembersOf = (db: Q, groupId: string) =>
  db.selectFrom("organisation_group_members").innerJoin("organisations", "organisations.id", "organisation_group_members.organisation_id")
    .select(["organisations.id", "organisations.name", "organisations.kind"]).where("organisation_group_members.group_id", "=", groupId)
    .orderBy("organisations.name").execute();

/** Names of units with their organisation's name, for labels such as "Team Vergunningen (Gemeente Duinrand)". */
export const unitNames = (db: Q, unitIds: string[]) =>
  unitIds.length
    ? db.selectFrom("units").innerJoin("organisations", "organisations.id", "units.organisation_id")
      .select(["units.id", "units.name", "organisations.name as org"]).where("units.id", "in", unitIds).execute()
    : Promise.resolve([]);

// ---- units ----
export const insertUnit = (db: Q, row: UnitsTable) => db.insertInto("units").values(row).execute();
export const findUnit = (db: Q, organisationId: string, id: string) =>
  db.selectFrom("units").selectAll().where("organisation_id", "=", organisationId).where("id", "=", id).executeTakeFirst();
export const findUnitByName = (db: Q, organisationId: string, name: string) =>
  db.selectFrom("units").selectAll().where("organisation_id", "=", organisationId).where("name", "=", name).executeTakeFirst();
export const listUnits = (db: Q, organisationId: string) =>
  db.selectFrom("units").selectAll().where("organisation_id", "=", organisationId).orderBy("path").execute();
export const updateUnit = (db: Q, organisationId: string, id: string, patch: Partial<UnitsTable>) =>
  db.updateTable("units").set(patch).where("organisation_id", "=", organisationId).where("id", "=", id).execute();
export const unitHasDependants = async (db: Q, organisationId: string, id: string) => {
  const child = await db.selectFrom("units").select("id").where("organisation_id", "=", organisationId).where("parent_id", "=", id).executeTakeFirst();
  const person = await db.selectFrom("people").select("id").where("organisation_id", "=", organisationId).where("unit_id", "=", id).executeTakeFirst();
  const grant = await db.selectFrom("role_assignments").select("id").where("scope_type", "=", "unit").where("scope_id", "=", id).executeTakeFirst();
  return !!(child || person || grant);
};
export const deleteUnit = (db: Q, organisationId: string, id: string) =>
  db.deleteFrom("units").where("organisation_id", "=", organisationId).where("id", "=", id).execute();
/** Moving a unit rewrites the paths of its whole subtree (prefix replacement, done per row for portability). */
export async function rewriteSubtreePaths(db: Q, organisationId: string, oldPrefix: string, newPrefix: string) {
  const rows = await db.selectFrom("units").select(["id", "path"]).where("organisation_id", "=", organisationId).where("path", "like", `${oldPrefix}%`).execute();
  for (const r of rows) await db.updateTable("units").set({ path: newPrefix + r.path.slice(oldPrefix.length) }).where("id", "=", r.id).execute();
}

// ---- positions ----
export const insertPosition = (db: Q, row: PositionsTable) => db.insertInto("positions").values(row).execute();
export const listPositions = (db: Q, organisationId: string) =>
  db.selectFrom("positions").selectAll().where("organisation_id", "=", organisationId).orderBy("title").execute();
export const findPosition = (db: Q, organisationId: string, id: string) =>
  db.selectFrom("positions").selectAll().where("organisation_id", "=", organisationId).where("id", "=", id).executeTakeFirst();
export const findPositionByTitle = (db: Q, organisationId: string, title: string) =>
  db.selectFrom("positions").selectAll().where("organisation_id", "=", organisationId).where("title", "=", title).executeTakeFirst();

export async function counts(db: Q, organisationId: string) {
  const n = async (table: "units" | "people" | "positions") =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).where("organisation_id", "=", organisationId).executeTakeFirstOrThrow()).n);
  const accounts = Number((await db.selectFrom("role_assignments").select((eb) => eb.fn.count<number>("account_id").distinct().as("n"))
    .where("organisation_id", "=", organisationId).executeTakeFirstOrThrow()).n);
  return { units: await n("units"), people: await n("people"), positions: await n("positions"), accounts };
}

// ---- role grants on a group (the creator of a group administers it) ----
export const insertGroupGrant = (db: Q, row: { id: string; accountId: string; role: string; groupId: string; createdAt: string }) =>
  db.insertInto("role_assignments").values({
    id: row.id, account_id: row.accountId, role: row.role, scope_type: "group", scope_id: row.groupId, organisation_id: null, created_at: row.createdAt,
  }).execute();
