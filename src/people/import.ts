import crypto from "node:crypto";
import zlib from "node:zlib";
import type { Context } from "../context.ts";
import { inTransaction } from "../context.ts";
import type { Actor } from "../access/actor.ts";
import { auditActorOf } from "../access/actor.ts";
import * as audit from "../audit/service.ts";
import { hmacHex, newId, now, safeEqual } from "../crypto/tokens.ts";
import type { Db, Trx } from "../db/database.ts";
import type { PeopleTable } from "../db/schema.ts";
import { Conflict } from "../http/errors.ts";
import * as orgRepo from "../organisations/repository.ts";
import type { MessageKey } from "../ui/messages.ts";
import { readPeopleCsv, type CheckedRow, type Column, type NormalisedRow, type RowError } from "./csv.ts";
import * as repo from "./repository.ts";
import { searchKey } from "./search-key.ts";
import { requireManage } from "./service.ts";

// CSV import: preview first, then commit. The preview is carried to the commit by the browser, signed
// with an HMAC over organisation + account + rows. It carries a random nonce, recorded on commit in
// import_commits in the same transaction, so a preview is committed at most once; and, per row, the
// updated_at of the person it names as seen in the preview, so a change made since refuses the commit.

export type ImportMode = "preview" | "all" | "valid";
export type ImportAction = "create" | "update" | "unchanged" | "reject";
export type PreviewRow = {
  line: number; employeeNumber: string; name: string; action: ImportAction;
  /** CSV column names whose value changes (for an update). */
  changes: Column[];
  errors: RowError[];
  /** A position title that does not exist yet and is created by the commit. */
  newPosition: string | null;
};
export type ImportSummary = { create: number; update: number; unchanged: number; reject: number };
export type ImportResult = {
  mode: ImportMode; rows: PreviewRow[]; summary: ImportSummary; newPositions: string[];
  committed?: { created: number; updated: number; unchanged: number; skipped: number; positionsCreated: number };
  /** For the web preview: the signed rows to send back with the commit. */
  signed?: { payload: string; signature: string };
};

const MAX_AGE_MS = 60 * 60 * 1000;
const MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;
type Payload = {
  v: 2; issuedAt: string; nonce: string; rejected: number; rows: NormalisedRow[];
  /** Per row: the updated_at of the person with that number at preview time, or null if there was none. */
  seen: (string | null)[];
};

type Refs = {
  units: Map<string, string>;
  positions: Map<string, string>;
  people: Map<string, PeopleTable>;
  numberById: Map<string, string>;
};
const key = (s: string) => s.trim().toLowerCase();

async function loadRefs(db: Db | Trx, organisationId: string): Promise<Refs> {
  const units = new Map<string, string>(), positions = new Map<string, string>();
  for (const u of await orgRepo.listUnits(db, organisationId)) if (!units.has(key(u.name))) units.set(key(u.name), u.id);
  for (const p of await orgRepo.listPositions(db, organisationId)) if (!positions.has(key(p.title))) positions.set(key(p.title), p.id);
  const all = await repo.allPeople(db, organisationId);
  return { units, positions, people: new Map(all.map((p) => [p.employee_number, p])), numberById: new Map(all.map((p) => [p.id, p.employee_number])) };
}

type Evaluated = PreviewRow & { row: NormalisedRow };

/** Adds what needs the database (unit, manager) and decides per row: create, update (which fields), unchanged or reject. */
function evaluate(checked: CheckedRow[], refs: Refs): Evaluated[] {
  const rows = checked.map(({ row, errors }) => ({ row, errors: [...errors] }));
  for (const r of rows) {
    if (r.row.unitName && !refs.units.has(key(r.row.unitName))) r.errors.push({ field: "eenheid", key: "people.unitUnknown" });
  }
  // A manager must exist in the database or on a row that is imported too. Rejecting a row can strand
  // the rows that name it as manager, so repeat until nothing changes.
  const inFile = new Set(rows.map((r) => r.row.employeeNumber));
  const available = new Set([...refs.people.keys(), ...rows.filter((r) => !r.errors.length).map((r) => r.row.employeeNumber)]);
  for (let changed = true; changed;) {
    changed = false;
    for (const r of rows) {
      const m = r.row.managerNumber;
      if (!m || available.has(m) || r.errors.some((e) => e.field === "leidinggevende")) continue;
      const rejectedBefore = r.errors.length > 0;
      const reason: MessageKey = inFile.has(m) ? "import.managerRejected" : "people.managerUnknown";
      if (rejectedBefore && reason === "import.managerRejected") continue; // its own reasons already say enough
      r.errors.push({ field: "leidinggevende", key: reason });
      if (!rejectedBefore && !refs.people.has(r.row.employeeNumber)) { available.delete(r.row.employeeNumber); changed = true; }
    }
  }
  return rows.map(({ row, errors }) => {
    const newPosition = row.positionTitle && !refs.positions.has(key(row.positionTitle)) ? row.positionTitle : null;
    const base = { line: row.line, employeeNumber: row.employeeNumber, name: `${row.givenName} ${row.familyName}`.trim(), row, errors, newPosition };
    if (errors.length) return { ...base, action: "reject" as const, changes: [], newPosition: null };
    const existing = refs.people.get(row.employeeNumber);
    if (!existing) return { ...base, action: "create" as const, changes: [] };
    const changes = changedColumns(row, existing, refs);
    return { ...base, action: changes.length ? ("update" as const) : ("unchanged" as const), changes };
  });
}

function changedColumns(row: NormalisedRow, p: PeopleTable, refs: Refs): Column[] {
  const out: Column[] = [];
  if (row.givenName !== p.given_name) out.push("voornaam");
  if (row.familyName !== p.family_name) out.push("achternaam");
  if (row.email !== undefined && row.email !== p.email) out.push("email");
  if (row.unitName !== undefined && (row.unitName ? refs.units.get(key(row.unitName)) ?? null : null) !== p.unit_id) out.push("eenheid");
  if (row.positionTitle !== undefined && (row.positionTitle ? refs.positions.get(key(row.positionTitle)) ?? "new" : null) !== p.position_id) out.push("functie");
  if (row.managerNumber !== undefined && (row.managerNumber ?? null) !== (p.manager_id ? refs.numberById.get(p.manager_id) ?? null : null)) out.push("leidinggevende");
  if (row.employmentType !== undefined && row.employmentType !== p.employment_type) out.push("dienstverband");
  if (row.startDate !== undefined && row.startDate !== p.start_date) out.push("datum_in_dienst");
  if (row.endDate !== undefined && row.endDate !== p.end_date) out.push("datum_uit_dienst");
  return out;
}

function summarise(rows: PreviewRow[]): ImportSummary {
  const s: ImportSummary = { create: 0, update: 0, unchanged: 0, reject: 0 };
  for (const r of rows) s[r.action]++;
  return s;
}
const publicRow = ({ row: _row, ...rest }: Evaluated): PreviewRow => rest;
const newPositionsOf = (rows: PreviewRow[]) => [...new Map(rows.filter((r) => r.newPosition).map((r) => [key(r.newPosition!), r.newPosition!])).values()];

/** Writes the valid rows: new positions, then people (managers first where possible), then managers. */
async function apply(ctx: Context, trx: Trx, actor: Actor, organisationId: string, rows: Evaluated[], refs: Refs, skipped: number) {
  const at = now();
  const valid = rows.filter((r) => r.action !== "reject");
  let positionsCreated = 0;
  for (const title of newPositionsOf(valid)) {
    const id = newId();
    await orgRepo.insertPosition(trx, { id, organisation_id: organisationId, title, code: null, created_at: at });
    refs.positions.set(key(title), id);
    positionsCreated++;
  }
  const idOf = new Map<string, string>([...refs.people].map(([n, p]) => [n, p.id]));
  const creates = valid.filter((r) => r.action === "create");
  for (const r of creates) idOf.set(r.row.employeeNumber, newId());
  const refCols = (row: NormalisedRow) => ({
    ...(row.email !== undefined ? { email: row.email } : {}),
    ...(row.unitName !== undefined ? { unit_id: row.unitName ? refs.units.get(key(row.unitName))! : null } : {}),
    ...(row.positionTitle !== undefined ? { position_id: row.positionTitle ? refs.positions.get(key(row.positionTitle))! : null } : {}),
    ...(row.employmentType !== undefined ? { employment_type: row.employmentType } : {}),
    ...(row.startDate !== undefined ? { start_date: row.startDate } : {}),
    ...(row.endDate !== undefined ? { end_date: row.endDate } : {}),
  });

  // New people go in waves: a row whose manager is new waits until that manager is in, so the
  // manager can be set on insert. What is left (managers naming each other) gets its manager afterwards.
  const inserted = new Set<string>(refs.people.keys());
  const later: Evaluated[] = [];
  let pending = creates;
  while (pending.length) {
    const wave = pending.filter((r) => !r.row.managerNumber || inserted.has(r.row.managerNumber));
    const stuck = !wave.length;
    const batch = stuck ? pending : wave;
    if (stuck) later.push(...pending);
    const values: repo.NewPerson[] = batch.map((r) => ({
      id: idOf.get(r.row.employeeNumber)!, organisation_id: organisationId, employee_number: r.row.employeeNumber,
      given_name: r.row.givenName, family_name: r.row.familyName, email: null, unit_id: null, position_id: null,
      manager_id: !stuck && r.row.managerNumber ? idOf.get(r.row.managerNumber)! : null, employment_type: "employee",
      start_date: null, end_date: null, ...refCols(r.row), created_at: at, updated_at: at,
      search_key: searchKey({ given_name: r.row.givenName, family_name: r.row.familyName, employee_number: r.row.employeeNumber }),
    }));
    for (let i = 0; i < values.length; i += 500) await repo.insertPeople(trx, values.slice(i, i + 500));
    for (const r of batch) inserted.add(r.row.employeeNumber);
    pending = stuck ? [] : pending.filter((r) => !wave.includes(r));
  }
  for (const r of later) {
    await repo.updatePerson(trx, organisationId, idOf.get(r.row.employeeNumber)!, { manager_id: idOf.get(r.row.managerNumber!)! });
  }
  for (const r of valid.filter((v) => v.action === "update")) {
    const row = r.row;
    await repo.updatePerson(trx, organisationId, idOf.get(row.employeeNumber)!, {
      given_name: row.givenName, family_name: row.familyName, ...refCols(row),
      search_key: searchKey({ given_name: row.givenName, family_name: row.familyName, employee_number: row.employeeNumber }),
      ...(row.managerNumber !== undefined ? { manager_id: row.managerNumber ? idOf.get(row.managerNumber)! : null } : {}),
      updated_at: at,
    });
  }
  const committed = { created: creates.length, updated: valid.filter((r) => r.action === "update").length,
    unchanged: valid.filter((r) => r.action === "unchanged").length, skipped, positionsCreated };
  await audit.record(ctx, trx, { actor: auditActorOf(actor), action: "person.import", objectType: "person", objectId: null, organisationId, details: committed });
  return committed;
}

const signatureOf = (ctx: Context, actor: Actor, organisationId: string, json: string) =>
  hmacHex(ctx.masterKey, `person.import\n${organisationId}\n${actor.accountId}\n${json}`);

function sign(ctx: Context, actor: Actor, organisationId: string, rows: Evaluated[], refs: Refs) {
  const valid = rows.filter((r) => r.action !== "reject");
  const payload: Payload = {
    v: 2, issuedAt: now(), nonce: crypto.randomBytes(16).toString("base64url"), rejected: rows.length - valid.length,
    rows: valid.map((r) => r.row), seen: valid.map((r) => refs.people.get(r.row.employeeNumber)?.updated_at ?? null),
  };
  const json = JSON.stringify(payload);
  // Compressed, so a large file fits in one form field.
  return { payload: zlib.deflateRawSync(json).toString("base64url"), signature: signatureOf(ctx, actor, organisationId, json) };
}

const expired = () => new Conflict("import_expired", "import.expired");
const alreadyDone = () => new Conflict("import_already_done", "import.alreadyDone");
/** A second transaction inserting the same nonce waits for the first and then fails on the primary key. */
const isDuplicateKey = (e: unknown) => {
  const code = (e as { code?: unknown } | null)?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE";
};

/** Reads, checks and (for "all" or "valid") writes a CSV of staff in one transaction with one audit event.
 *  "all" refuses the whole file when any row is rejected; "valid" skips rejected rows. */
export async function importPeople(ctx: Context, actor: Actor, organisationId: string, csvText: string | Uint8Array, mode: ImportMode): Promise<ImportResult> {
  requireManage(actor, organisationId);
  const { rows: checked } = readPeopleCsv(csvText);
  if (mode === "preview") {
    const refs = await loadRefs(ctx.db, organisationId);
    const rows = evaluate(checked, refs);
    const pub = rows.map(publicRow);
    return { mode, rows: pub, summary: summarise(pub), newPositions: newPositionsOf(pub), signed: sign(ctx, actor, organisationId, rows, refs) };
  }
  return inTransaction(ctx, async (trx) => {
    const refs = await loadRefs(trx, organisationId);
    const rows = evaluate(checked, refs);
    const pub = rows.map(publicRow);
    const summary = summarise(pub);
    if (mode === "all" && summary.reject) throw new Conflict("import_has_rejects", "import.hasErrors");
    const newPositions = newPositionsOf(pub);
    const committed = await apply(ctx, trx, actor, organisationId, rows, refs, summary.reject);
    return { mode, rows: pub, summary, newPositions, committed };
  });
}

/** Commits a signed preview, once. The rows are checked again against the database as it is now; if any
 *  row no longer fits, or a person it names was changed (or added) since the preview, nothing is written
 *  and the user is asked to upload again. A preview that was committed already is refused. */
export async function commitPreview(ctx: Context, actor: Actor, organisationId: string, signed: { payload: string; signature: string }, mode: "all" | "valid"): Promise<ImportResult> {
  requireManage(actor, organisationId);
  let json: string;
  try {
    json = zlib.inflateRawSync(Buffer.from(signed.payload, "base64url"), { maxOutputLength: MAX_PAYLOAD_BYTES }).toString("utf8");
  } catch { throw expired(); }
  if (!signed.signature || !safeEqual(signed.signature, signatureOf(ctx, actor, organisationId, json))) throw expired();
  const payload = JSON.parse(json) as Payload;
  if (payload.v !== 2 || typeof payload.nonce !== "string" || !Array.isArray(payload.seen) || payload.seen.length !== payload.rows.length ||
    !(Date.now() - Date.parse(payload.issuedAt) < MAX_AGE_MS)) throw expired();
  if (mode === "all" && payload.rejected > 0) throw new Conflict("import_has_rejects", "import.hasErrors");
  return inTransaction(ctx, async (trx) => {
    // The nonce goes in first: a concurrent commit of the same preview then waits here and fails.
    if (await repo.findImportCommit(trx, payload.nonce)) throw alreadyDone();
    const at = now();
    try {
      await repo.insertImportCommit(trx, { nonce: payload.nonce, organisation_id: organisationId, account_id: actor.accountId, committed_at: at });
    } catch (e) {
      if (isDuplicateKey(e)) throw alreadyDone();
      throw e;
    }
    await repo.deleteImportCommitsBefore(trx, new Date(Date.parse(at) - MAX_AGE_MS).toISOString());
    const refs = await loadRefs(trx, organisationId);
    if (payload.rows.some((row, i) => (refs.people.get(row.employeeNumber)?.updated_at ?? null) !== payload.seen[i])) throw expired();
    const rows = evaluate(payload.rows.map((row) => ({ row, errors: [] })), refs);
    if (rows.some((r) => r.action === "reject")) throw expired();
    const pub = rows.map(publicRow);
    const committed = await apply(ctx, trx, actor, organisationId, rows, refs, payload.rejected);
    return { mode, rows: pub, summary: { ...summarise(pub), reject: payload.rejected }, newPositions: newPositionsOf(pub), committed };
  });
}
