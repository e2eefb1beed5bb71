import type { Context } from "../context.ts";
import { inTransaction } from "../context.ts";
import type { Actor } from "../access/actor.ts";
import { auditActorOf, canForWholeOrganisation, canInOrganisation, canOnUnit, organisationsWith } from "../access/actor.ts";
import * as audit from "../audit/service.ts";
import { newId, now } from "../crypto/tokens.ts";
import type { Db, Trx } from "../db/database.ts";
import type { PeopleTable } from "../db/schema.ts";
import { Forbidden, Invalid, NotFound, type FieldErrors } from "../http/errors.ts";
import { fieldErrors } from "../http/validation.ts";
import * as orgRepo from "../organisations/repository.ts";
import * as repo from "./repository.ts";
import { normaliseForSearch, searchKey } from "./search-key.ts";
import { personSchema, type EmploymentType, type PersonInput } from "./schema.ts";

export { importPeople, commitPreview, type ImportResult, type PreviewRow } from "./import.ts";

export const PAGE_SIZE = 50;

export type PersonSummary = {
  id: string; employeeNumber: string; givenName: string; familyName: string; name: string;
  unit: { id: string; name: string } | null; position: string | null; employmentType: EmploymentType;
};
export type PersonDetail = PersonSummary & {
  email: string | null; unitId: string | null; positionId: string | null;
  manager: { id: string; employeeNumber: string; name: string } | null;
  startDate: string | null; endDate: string | null; createdAt: string; updatedAt: string;
};

const fullName = (p: { given_name: string; family_name: string }) => `${p.given_name} ${p.family_name}`;
const asEmployment = (v: string): EmploymentType => (v === "hired" || v === "intern" ? v : "employee");

/** Who the actor may see in this organisation: null = everybody, else the unit subtrees. Nothing → 404. */
export function viewScope(actor: Actor, organisationId: string): repo.UnitScope {
  const { whole, units } = organisationsWith(actor, "person.view");
  if (whole.has(organisationId)) return null;
  const paths = units.get(organisationId);
  if (!paths) throw new NotFound();
  return paths;
}

/** Staff changes need person.manage for the whole organisation; outside the organisation it does not exist. */
export function requireManage(actor: Actor, organisationId: string) {
  if (!canInOrganisation(actor, "person.view", organisationId) && !canInOrganisation(actor, "person.manage", organisationId)) throw new NotFound();
  if (!canForWholeOrganisation(actor, "person.manage", organisationId)) throw new Forbidden();
}

export const canManage = (actor: Actor, organisationId: string) => canForWholeOrganisation(actor, "person.manage", organisationId);

/** One page of the staff the actor may see, with search on name or number and a unit (with its subtree) filter. */
export async function listPeople(ctx: Context, actor: Actor, organisationId: string, query: { q?: string; unitId?: string; page?: number } = {}) {
  const scope = viewScope(actor, organisationId);
  const unit = query.unitId ? await orgRepo.findUnit(ctx.db, organisationId, query.unitId) : undefined;
  const filter = { q: query.q ? normaliseForSearch(query.q) : undefined, unitPath: unit?.path };
  const first = await repo.listPeople(ctx.db, organisationId, scope, filter, { limit: PAGE_SIZE, offset: 0 });
  const pages = Math.max(1, Math.ceil(first.total / PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(query.page ?? 1)), pages);
  const { rows, total } = page === 1 ? first : await repo.listPeople(ctx.db, organisationId, scope, filter, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const items: PersonSummary[] = rows.map((r) => ({
    id: r.id, employeeNumber: r.employee_number, givenName: r.given_name, familyName: r.family_name, name: fullName(r),
    unit: r.unit_id && r.unit_name ? { id: r.unit_id, name: r.unit_name } : null, position: r.position_title, employmentType: asEmployment(r.employment_type),
  }));
  return { items, total, page, pages, pageSize: PAGE_SIZE, filter: { q: query.q ?? "", unitId: unit?.id ?? "" }, can: { manage: canManage(actor, organisationId) } };
}

/** The units the actor may filter on and, for a manager of staff, choose from. */
export async function visibleUnits(ctx: Context, actor: Actor, organisationId: string) {
  const scope = viewScope(actor, organisationId);
  const units = await orgRepo.listUnits(ctx.db, organisationId);
  return units.filter((u) => !scope || scope.some((p) => u.path.startsWith(p))).map((u) => ({ id: u.id, parent_id: u.parent_id, name: u.name, path: u.path }));
}

export async function positionOptions(ctx: Context, organisationId: string) {
  return (await orgRepo.listPositions(ctx.db, organisationId)).map((p) => ({ id: p.id, title: p.title }));
}

/** One person; outside the actor's scope or organisation it does not exist (404). */
export async function getPerson(ctx: Context, actor: Actor, organisationId: string, id: string): Promise<{ person: PersonDetail; can: { manage: boolean } }> {
  viewScope(actor, organisationId);
  const row = await repo.findPerson(ctx.db, organisationId, id);
  if (!row || !canOnUnit(actor, "person.view", organisationId, row.unit_path)) throw new NotFound();
  const [manager] = row.manager_id ? await repo.findPeopleByIds(ctx.db, organisationId, [row.manager_id]) : [];
  const person: PersonDetail = {
    id: row.id, employeeNumber: row.employee_number, givenName: row.given_name, familyName: row.family_name, name: fullName(row),
    unit: row.unit_id && row.unit_name ? { id: row.unit_id, name: row.unit_name } : null, position: row.position_title,
    employmentType: asEmployment(row.employment_type), email: row.email, unitId: row.unit_id, positionId: row.position_id,
    manager: manager ? { id: manager.id, employeeNumber: manager.employee_number, name: fullName(manager) } : null,
    startDate: row.start_date, endDate: row.end_date, createdAt: row.created_at, updatedAt: row.updated_at,
  };
  return { person, can: { manage: canManage(actor, organisationId) } };
}

type Columns = Omit<PeopleTable, "id" | "organisation_id" | "created_at" | "updated_at">;

/** Checks the references of a person form against this organisation and returns the row's columns. */
async function resolve(db: Db | Trx, organisationId: string, input: PersonInput, selfId: string | null): Promise<Columns> {
  const errors: FieldErrors = {};
  if (input.unitId && !(await orgRepo.findUnit(db, organisationId, input.unitId))) errors.unitId = "people.unitUnknown";
  if (input.positionId && !(await orgRepo.findPosition(db, organisationId, input.positionId))) errors.positionId = "people.positionUnknown";
  let managerId: string | null = null;
  if (input.managerNumber) {
    const manager = await repo.findPersonByNumber(db, organisationId, input.managerNumber);
    if (input.managerNumber === input.employeeNumber || (manager && manager.id === selfId)) errors.managerNumber = "people.managerSelf";
    else if (!manager) errors.managerNumber = "people.managerUnknown";
    else managerId = manager.id;
  }
  const taken = await repo.findPersonByNumber(db, organisationId, input.employeeNumber);
  if (taken && taken.id !== selfId) errors.employeeNumber = "people.numberTaken";
  if (input.startDate && input.endDate && input.endDate < input.startDate) errors.endDate = "people.endBeforeStart";
  if (Object.keys(errors).length) throw new Invalid(errors);
  return {
    employee_number: input.employeeNumber, given_name: input.givenName, family_name: input.familyName, email: input.email,
    unit_id: input.unitId, position_id: input.positionId, manager_id: managerId, employment_type: input.employmentType,
    start_date: input.startDate, end_date: input.endDate,
  };
}

function parseInput(raw: unknown): PersonInput {
  const parsed = personSchema.safeParse(raw);
  if (!parsed.success) throw new Invalid(fieldErrors(parsed.error));
  return parsed.data;
}

/** Adds a person. The audit event names the fields that were filled in, never their values. */
export async function createPerson(ctx: Context, actor: Actor, organisationId: string, raw: unknown): Promise<{ id: string }> {
  requireManage(actor, organisationId);
  const input = parseInput(raw);
  return inTransaction(ctx, async (trx) => {
    const cols = await resolve(trx, organisationId, input, null);
    const id = newId(), at = now();
    await repo.insertPerson(trx, { id, organisation_id: organisationId, ...cols, search_key: searchKey(cols), created_at: at, updated_at: at });
    const fields = Object.entries(cols).filter(([, v]) => v !== null).map(([k]) => k);
    await audit.record(ctx, trx, { actor: auditActorOf(actor), action: "person.create", objectType: "person", objectId: id, organisationId, details: { fields } });
    return { id };
  });
}

/** Saves a person's form; only what changed is written, and the audit event names those fields. */
export async function updatePerson(ctx: Context, actor: Actor, organisationId: string, id: string, raw: unknown): Promise<{ id: string; changed: string[] }> {
  requireManage(actor, organisationId);
  const input = parseInput(raw);
  return inTransaction(ctx, async (trx) => {
    const current = await repo.findPerson(trx, organisationId, id);
    if (!current) throw new NotFound();
    const cols = await resolve(trx, organisationId, input, id);
    const changed = (Object.keys(cols) as (keyof Columns)[]).filter((k) => cols[k] !== current[k]);
    if (!changed.length) return { id, changed };
    await repo.updatePerson(trx, organisationId, id, { ...Object.fromEntries(changed.map((k) => [k, cols[k]])), search_key: searchKey(cols), updated_at: now() });
    await audit.record(ctx, trx, { actor: auditActorOf(actor), action: "person.update", objectType: "person", objectId: id, organisationId, details: { changed } });
    return { id, changed };
  });
}
