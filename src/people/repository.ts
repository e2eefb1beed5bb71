import { sql, type Expression, type SqlBool } from "kysely";
import type { Db, Trx } from "../db/database.ts";
import type { PeopleTable } from "../db/schema.ts";

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
  filter: { q?: string; unitPath?: string }, page: { limit: number; offset: number }): Promise<{ rows: PersonListRow[]; total: number }> {
  const base = db.selectFrom("people").leftJoin("units as u", "u.id", "people.unit_id").where((eb) => {
    const conds: Expression<SqlBool>[] = [eb("people.organisation_id", "=", organisationId)];
    if (scope) conds.push(scope.length ? eb.or(scope.map((p) => eb("u.path", "like", `${p}%`))) : sql<boolean>`1 = 0`);
    if (filter.unitPath) conds.push(eb("u.path", "like", `${filter.unitPath}%`));
    if (filter.q) {
      const pattern = `%${escapeLike(filter.q)}%`;
      const like = (col: string) => sql<boolean>`lower(${sql.ref(col)}) like lower(${pattern}) escape '\\'`;
      conds.push(eb.or([
        like("people.employee_number"), like("people.given_name"), like("people.family_name"),
        sql<boolean>`lower(${sql.ref("people.given_name")} || ' ' || ${sql.ref("people.family_name")}) like lower(${pattern}) escape '\\'`,
      ]));
    }
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

export const insertPerson = (db: Q, row: PeopleTable) => db.insertInto("people").values(row).execute();
/** Many rows at once (callers keep a batch to a few hundred rows: bound-parameter limits). */
export const insertPeople = (db: Q, rows: PeopleTable[]) => (rows.length ? db.insertInto("people").values(rows).execute() : Promise.resolve([]));

export const updatePerson = (db: Q, organisationId: string, id: string, patch: Partial<Omit<PeopleTable, "id" | "organisation_id">>) =>
  db.updateTable("people").set(patch).where("organisation_id", "=", organisationId).where("id", "=", id).execute();
