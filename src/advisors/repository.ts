import type { Db, Trx } from "../db/database.ts";
import type {
  AdvisorContactsTable, AdvisorNaturesTable, AdvisorNoteFileChunksTable, AdvisorNoteFilesTable, AdvisorNotesTable, AdvisorSettingsTable,
} from "../db/schema.ts";

// Queries of the advisors' register. Every reading query of contacts names the advisor: there is no query
// here that lists another advisor's contacts (aggregates live in report.ts and count, never list).

type Q = Db | Trx;

export const findSettings = (db: Q, organisationId: string) =>
  db.selectFrom("advisor_settings").selectAll().where("organisation_id", "=", organisationId).executeTakeFirst();
export async function insertSettingsIfAbsent(db: Q, row: AdvisorSettingsTable): Promise<boolean> {
  const r = await db.insertInto("advisor_settings").values(row).onConflict((oc) => oc.column("organisation_id").doNothing())
    .returning("organisation_id").executeTakeFirst();
  return !!r;
}

export const insertNatures = (db: Q, rows: AdvisorNaturesTable[]) =>
  rows.length ? db.insertInto("advisor_natures").values(rows).execute() : Promise.resolve([]);
export const listNatures = (db: Q, organisationIds: string[], activeOnly = false) => {
  if (!organisationIds.length) return Promise.resolve([] as AdvisorNaturesTable[]);
  let q = db.selectFrom("advisor_natures").selectAll().where("organisation_id", "in", organisationIds);
  if (activeOnly) q = q.where("active", "=", 1);
  return q.orderBy("organisation_id").orderBy("position").execute();
};

export const insertContact = (db: Q, row: AdvisorContactsTable) => db.insertInto("advisor_contacts").values(row).execute();
export const insertContactNatures = (db: Q, contactId: string, codes: string[]) =>
  db.insertInto("advisor_contact_natures").values(codes.map((code) => ({ contact_id: contactId, code }))).execute();
export const contactNatures = async (db: Q, contactIds: string[]) => {
  if (!contactIds.length) return new Map<string, string[]>();
  const rows = await db.selectFrom("advisor_contact_natures").select(["contact_id", "code"]).where("contact_id", "in", contactIds).execute();
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.contact_id, [...(out.get(r.contact_id) ?? []), r.code]);
  return out;
};

/** One contact, only when the reader is its advisor or the recorded successor. */
export const findOwnContact = (db: Q, id: string, accountId: string) =>
  db.selectFrom("advisor_contacts").selectAll().where("id", "=", id)
    .where((eb) => eb.or([eb("advisor_account_id", "=", accountId), eb("successor_account_id", "=", accountId)]))
    .executeTakeFirst();

/** The reader's own contacts (as advisor or successor), newest first. */
export function listOwnContacts(db: Q, accountId: string, opts: { status?: string; limit?: number } = {}) {
  let q = db.selectFrom("advisor_contacts").selectAll()
    .where((eb) => eb.or([eb("advisor_account_id", "=", accountId), eb("successor_account_id", "=", accountId)]));
  if (opts.status) q = q.where("status", "=", opts.status);
  return q.orderBy("contact_on", "desc").orderBy("created_at", "desc").limit(opts.limit ?? 200).execute();
}

export async function updateContactIf(db: Q, id: string, version: number | undefined, patch: Partial<AdvisorContactsTable>,
  expect: { status?: string; notesKept?: boolean } = {}): Promise<boolean> {
  let q = db.updateTable("advisor_contacts").set({ ...patch, version: (eb) => eb("version", "+", 1) }).where("id", "=", id);
  if (version !== undefined) q = q.where("version", "=", version);
  if (expect.status !== undefined) q = q.where("status", "=", expect.status);
  if (expect.notesKept) q = q.where("notes_destroyed_at", "is", null);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export const insertKey = (db: Q, row: { contact_id: string; holder_type: string; holder_id: string; wrapped_key: string; created_at: string }) =>
  db.insertInto("advisor_contact_keys").values(row).execute();
export const findKey = (db: Q, contactId: string, holderType: string, holderId: string) =>
  db.selectFrom("advisor_contact_keys").select("wrapped_key").where("contact_id", "=", contactId)
    .where("holder_type", "=", holderType).where("holder_id", "=", holderId).executeTakeFirst();

export const insertNote = (db: Q, row: AdvisorNotesTable) => db.insertInto("advisor_notes").values(row).execute();
export const listNotes = (db: Q, contactId: string) =>
  db.selectFrom("advisor_notes").selectAll().where("contact_id", "=", contactId).orderBy("created_at").orderBy("id").execute();

// ---- files with notes (every query names the contact the file must belong to) ----

export const insertNoteFile = (db: Q, row: AdvisorNoteFilesTable) => db.insertInto("advisor_note_files").values(row).execute();
export const insertNoteFileChunk = (db: Q, row: AdvisorNoteFileChunksTable) => db.insertInto("advisor_note_file_chunks").values(row).execute();
export const listNoteFiles = (db: Q, contactId: string) =>
  db.selectFrom("advisor_note_files").selectAll().where("contact_id", "=", contactId).orderBy("note_id").orderBy("position").execute();
export const findNoteFile = (db: Q, contactId: string, id: string) =>
  db.selectFrom("advisor_note_files").selectAll().where("contact_id", "=", contactId).where("id", "=", id).executeTakeFirst();
export const readNoteFileChunk = (db: Q, fileId: string, idx: number) =>
  db.selectFrom("advisor_note_file_chunks").select("data").where("file_id", "=", fileId).where("idx", "=", idx).executeTakeFirst();

// ---- retention of notes ----

export const notesDueForDestruction = (db: Q, day: string, limit: number) =>
  db.selectFrom("advisor_contacts").select(["id", "organisation_id"]).where("status", "=", "closed")
    .where("notes_destroy_on", "<=", day).where("notes_destroyed_at", "is", null).orderBy("notes_destroy_on").limit(limit).execute();

export async function markNotesDestroyed(db: Q, id: string, day: string, at: string): Promise<boolean> {
  const r = await db.updateTable("advisor_contacts").set({ notes_destroyed_at: at, updated_at: at })
    .where("id", "=", id).where("status", "=", "closed").where("notes_destroy_on", "<=", day).where("notes_destroyed_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The notes, their files and the key that could open them; a copy of a note or a file elsewhere (a backup) stays
 *  unreadable without the key. */
export async function destroyNotes(db: Q, contactId: string): Promise<void> {
  const files = db.selectFrom("advisor_note_files").select("id").where("contact_id", "=", contactId);
  await db.deleteFrom("advisor_note_file_chunks").where("file_id", "in", files).execute();
  await db.deleteFrom("advisor_note_files").where("contact_id", "=", contactId).execute();
  await db.deleteFrom("advisor_notes").where("contact_id", "=", contactId).execute();
  await db.deleteFrom("advisor_contact_keys").where("contact_id", "=", contactId).execute();
}

// ---- a case a contact became (with consent) ----

export const findReportByReference = (db: Q, organisationId: string, reference: string) =>
  db.selectFrom("reports").select(["id"]).where("organisation_id", "=", organisationId).where("reference", "=", reference).executeTakeFirst();
export const reportReference = async (db: Q, id: string) =>
  (await db.selectFrom("reports").select("reference").where("id", "=", id).executeTakeFirst())?.reference;

/** Open contacts of an organisation whose advisor and successor (if any) are not among the given advisors: nobody can close them. */
export function orphanedOpenContacts(db: Q, organisationId: string, advisorIds: string[], limit: number) {
  let q = db.selectFrom("advisor_contacts").select(["id", "organisation_id"]).where("organisation_id", "=", organisationId).where("status", "=", "open");
  if (advisorIds.length) {
    q = q.where("advisor_account_id", "not in", advisorIds)
      .where((eb) => eb.or([eb("successor_account_id", "is", null), eb("successor_account_id", "not in", advisorIds)]));
  }
  return q.limit(limit).execute();
}
export const organisationsWithOpenContacts = async (db: Q) =>
  (await db.selectFrom("advisor_contacts").select("organisation_id").distinct().where("status", "=", "open").execute()).map((r) => r.organisation_id);
