import { sql, type Expression, type SqlBool } from "kysely";
import type { Db, Trx } from "../db/database.ts";
import type { ImportCommitsTable, PeopleTable } from "../db/schema.ts";

type Q = Db | Trx;
// Every function takes the organisation first; a unit scope is a list of materialised unit paths
// ("/<uuid>/…/": no LIKE wildcards in them, so a prefix match needs no escaping).

/** null: the whole organisation; otherwise only people whose unit lies in one of these subtrees. */
export type UnitScope = string[] | null;

export type PersonListRow = {
  id: string; employee_number: string; given_name: string; family_name: string; employment_type: string;
  unit_id: string | null; unit_name: string | null; position_title: string | null;
};

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listPeople(db: Q, organisationId: string, scope: UnitScope,
  filter: { /** Already normalised with normaliseForSearch. */ q?: string; unitPath?: string }, page: { limit: number; offset: number }): Promise<{ rows: PersonListRow[]; total: number }> {
  const base = db.selectFrom("people").leftJoin("units as u", "u.id", "people.unit_id").where((eb) => {
    const conds: Expression<SqlBool>[] = [eb("people.organisation_id", "=", organisationId)];
    if (scope) conds.push(scope.length ? eb.or(scope.map((p) => eb("u.path", "like", `${p}%`))) : sql<boolean>`1 = 0`);
    if (filter.unitPath) conds.push(eb("u.path", "like", `${filter.unitPath}%`));
    // The query comes normalised like the key (people/search-key.ts), so no lower() is needed here.
    if (filter.q) conds.push(sql<boolean>`${sql.ref("people.search_key")} like ${`%${escapeLike(filter.q)}%`} escape '\\'`);
    return eb.and(conds);
  });
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  const rows = await base.leftJoin("positions", "positions.id", "people.position_id")
    .select(["people.id", "people.employee_number", "people.given_name", "people.family_name", "people.employment_type",
      "people.unit_id", "u.name as unit_name", "positions.title as position_title"])
    .orderBy("people.family_name").orderBy("people.given_name").orderBy("people.employee_number")
    .limit(page.limit).offset(page.offset).execute();
  return { rows, total };
}

export const findPerson = (db: Q, organisationId: string, id: string) =>
  db.selectFrom("people").leftJoin("units", "units.id", "people.unit_id").leftJoin("positions", "positions.id", "people.position_id")
    .selectAll("people").select(["units.name as unit_name", "units.path as unit_path", "positions.title as position_title"])
    .where("people.organisation_id", "=", organisationId).where("people.id", "=", id).executeTakeFirst();

export const findPersonByNumber = (db: Q, organisationId: string, employeeNumber: string) =>
  db.selectFrom("people").selectAll().where("organisation_id", "=", organisationId).where("employee_number", "=", employeeNumber).executeTakeFirst();

export const findPeopleByIds = (db: Q, organisationId: string, ids: string[]) =>
  ids.length
    ? db.selectFrom("people").select(["id", "employee_number", "given_name", "family_name"]).where("organisation_id", "=", organisationId).where("id", "in", ids).execute()
    : Promise.resolve([]);

/** Every person of the organisation, for an import to compare against (a few columns, no joins). */
export const allPeople = (db: Q, organisationId: string) =>
  db.selectFrom("people").selectAll().where("organisation_id", "=", organisationId).execute();

/** A new row: its search key is required (people/search-key.ts). */
export type NewPerson = PeopleTable & { search_key: string };
export const insertPerson = (db: Q, row: NewPerson) => db.insertInto("people").values(row).execute();
/** Many rows at once (callers keep a batch to a few hundred rows: bound-parameter limits). */
export const insertPeople = (db: Q, rows: NewPerson[]) => (rows.length ? db.insertInto("people").values(rows).execute() : Promise.resolve([]));

/** A patch that changes a name or the number must carry the new search_key too. */
export const updatePerson = (db: Q, organisationId: string, id: string, patch: Partial<Omit<PeopleTable, "id" | "organisation_id"> & { search_key: string }>) =>
  db.updateTable("people").set(patch).where("organisation_id", "=", organisationId).where("id", "=", id).execute();

// ---- committed CSV previews: each signed preview is committed at most once ----
export const findImportCommit = (db: Q, nonce: string) =>
  db.selectFrom("import_commits").select("nonce").where("nonce", "=", nonce).executeTakeFirst();
export const insertImportCommit = (db: Q, row: ImportCommitsTable) => db.insertInto("import_commits").values(row).execute();
/** A nonce older than a preview can live is of no use any more (its preview has expired). */
export const deleteImportCommitsBefore = (db: Q, before: string) =>
  db.deleteFrom("import_commits").where("committed_at", "<", before).execute();
