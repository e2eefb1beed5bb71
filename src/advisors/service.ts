import crypto from "node:crypto";
import type { Actor } from "../access/actor.ts";
import { auditActorOf, organisationsWith, type AuditActor } from "../access/actor.ts";
import type { Permission } from "../access/permissions.ts";
import * as audit from "../audit/service.ts";
import type { Context } from "../context.ts";
import { inTransaction } from "../context.ts";
import type { Db, Trx } from "../db/database.ts";
import { open, seal } from "../crypto/seal.ts";
import { newId, now } from "../crypto/tokens.ts";
import type { AdvisorContactsTable, AdvisorNaturesTable } from "../db/schema.ts";
import { Conflict, Invalid, NotFound } from "../http/errors.ts";
import { parseInput } from "../http/validation.ts";
import * as orgRepo from "../organisations/repository.ts";
import { addMonths, today } from "../reports/deadlines.ts";
import { NATURE_PRESET } from "./presets.ts";
import * as repo from "./repository.ts";
import { reportPublishedFor } from "./report.ts";
import type { MessageKey } from "../ui/messages.ts";
import { closeSchema, contactSchema, linkReportSchema, noteSchema, sealedNoteSchema, successorSchema } from "./schema.ts";
import { insertNoteFiles, listNoteFiles, openNoteFile, prepareNoteFiles, type NoteFile } from "./note-files.ts";
import type { Download, IncomingFile } from "../reports/attachments/service.ts";
import { accountsWithRoles } from "../reports/repository.ts";

// The confidential advisor's register: contacts without names, and the advisor's own sealed notes.
// A contact exists only for its advisor (and a successor the visitor agreed to): anyone else gets 404,
// whatever their role — coordinators, the secretary and auditors see aggregates only (report.ts), and
// administrators and HR hold no advisor permission at all (access/permissions.ts checks that).

/** Where an event about one contact goes in the hash chain: like every change — but by the day only and without the
 *  organisation, so that no organisation's audit page (read by administrators and auditors) can count or time visits
 *  to an advisor. The chain still holds every event for an instance-level check (`intact audit verify`). */
export const unattributed = (contactId: string) => ({ objectId: contactId, organisationId: null, precision: "day" as const });

/** The organisations an advisor serves: their pool (an organisation grant, or a group grant for a pool). */
export function pool(actor: Actor, permission: Permission = "advisorContact.create"): string[] {
  return [...organisationsWith(actor, permission).whole];
}

/** An organisation's advisor settings and nature list, made with the Rotterdam preset on first use. */
export async function ensureAdvisorSetup(ctx: Context, organisationId: string) {
  const found = await repo.findSettings(ctx.db, organisationId);
  if (found) return found;
  await inTransaction(ctx, async (trx) => {
    const at = now();
    const created = await repo.insertSettingsIfAbsent(trx, {
      organisation_id: organisationId, notes_retention_months: 12, suppression_threshold: 5, created_at: at, updated_at: at,
    });
    if (created) {
      await repo.insertNatures(trx, NATURE_PRESET.map((n, i): AdvisorNaturesTable => ({
        id: newId(), organisation_id: organisationId, code: n.code, label_nl: n.nl, label_en: n.en, position: i + 1, active: 1, created_at: at,
      })));
    }
  });
  return (await repo.findSettings(ctx.db, organisationId))!;
}

// ---- the form ----------------------------------------------------------------------------------------

export type ContactForm = {
  organisations: { id: string; name: string; natures: AdvisorNaturesTable[]; units: { id: string; name: string; path: string }[] }[];
  today: string;
};

/** What the register form offers: the pool's organisations, each with its natures and units. */
export async function contactForm(ctx: Context, actor: Actor): Promise<ContactForm> {
  const ids = pool(actor);
  for (const id of ids) await ensureAdvisorSetup(ctx, id);
  const [organisations, natures] = await Promise.all([orgRepo.listOrganisations(ctx.db, ids), repo.listNatures(ctx.db, ids, true)]);
  const units = await Promise.all(organisations.map((o) => orgRepo.listUnits(ctx.db, o.id)));
  return {
    organisations: organisations.map((o, i) => ({
      id: o.id, name: o.name, natures: natures.filter((n) => n.organisation_id === o.id),
      units: units[i]!.map((u) => ({ id: u.id, name: u.name, path: u.path })),
    })),
    today: today(),
  };
}

/** The first day a contact may be dated: 1 January of last year (registering a December contact in January still works). */
export function earliestContactDate(day = today()): string {
  return `${Number(day.slice(0, 4)) - 1}-01-01`;
}

/** Refuses a date in a year whose yearly report is published for the organisation or a group it belongs to
 *  (report.ts, `reportPublishedFor`), with the year in the message. Shared by contacts and activities. */
export async function refusePublishedYear(db: Db, organisationId: string, day: string, field: string, key: MessageKey): Promise<void> {
  const year = await reportPublishedFor(db, organisationId, day);
  if (year === null) return;
  const e = new Invalid({ [field]: key });
  e.params = { year, next: year + 1 };
  throw e;
}

// ---- writing -------------------------------------------------------------------------------------------

const keyAad = (contactId: string) => `advisor-key:${contactId}:instance`;
const noteAad = (contactId: string, noteId: string) => `advisor-note:${contactId}:${noteId}`;

/** Registers a contact: its counts in columns, its natures in their table, a fresh key for the notes. */
export async function createContact(ctx: Context, actor: Actor, raw: unknown): Promise<AdvisorContactsTable> {
  const input = parseInput(contactSchema, raw);
  const ids = pool(actor);
  if (!ids.includes(input.organisationId)) throw new Invalid({ organisationId: "advisor.organisationRequired" });
  if (input.contactOn > today()) throw new Invalid({ contactOn: "advisor.dateInFuture" });
  // Not into years long gone: a report over those years may have been published, and a late entry changing it would
  // show, between two versions, one contact's nature, form and follow-up.
  if (input.contactOn < earliestContactDate()) throw new Invalid({ contactOn: "advisor.dateTooEarly" });
  // Nor into a year whose report is published (last year, once it is): the next report shows that year again,
  // and the difference between the two would be this contact.
  await refusePublishedYear(ctx.db, input.organisationId, input.contactOn, "contactOn", "advisor.yearPublished");
  await ensureAdvisorSetup(ctx, input.organisationId);
  const natures = await repo.listNatures(ctx.db, [input.organisationId], true);
  const codes = [...new Set(input.natures)];
  if (codes.some((c) => !natures.some((n) => n.code === c))) throw new Invalid({ natures: "advisor.natureUnknown" });
  if (input.unitId && !(await orgRepo.findUnit(ctx.db, input.organisationId, input.unitId))) throw new Invalid({ unitId: "field.choose" });
  const at = now();
  const row: AdvisorContactsTable = {
    id: newId(), organisation_id: input.organisationId, unit_id: input.unitId, advisor_account_id: actor.accountId, successor_account_id: null,
    contact_on: input.contactOn, relation: input.relation, form: input.form, people: input.people, conversations: input.conversations,
    minutes: input.minutes, follow_up: input.followUp, report_id: null, consent_on: null, status: "open", closed_on: null,
    notes_destroy_on: null, notes_destroyed_at: null, version: 1, created_at: at, updated_at: at,
  };
  await inTransaction(ctx, async (trx) => {
    // Again inside the transaction, so that a publication committed since the check above is seen.
    await refusePublishedYear(trx, input.organisationId, input.contactOn, "contactOn", "advisor.yearPublished");
    await repo.insertContact(trx, row);
    await repo.insertContactNatures(trx, row.id, natures.filter((n) => codes.includes(n.code)).map((n) => n.code));
    await repo.insertKey(trx, {
      contact_id: row.id, holder_type: "instance", holder_id: "", wrapped_key: seal(ctx.masterKey, crypto.randomBytes(32), keyAad(row.id)), created_at: at,
    });
    // The audit trail says that a contact was registered, never what it was about.
    await audit.record(ctx, trx, { actor: auditActorOf(actor), action: "advisorContact.create", objectType: "advisorContact", ...unattributed(row.id) });
  });
  return row;
}

/** The contact when the actor is its advisor or successor and holds the permission; otherwise it does not exist. */
async function ownContact(ctx: Context, actor: Actor, id: string, permission: Permission): Promise<AdvisorContactsTable> {
  const contact = await repo.findOwnContact(ctx.db, id, actor.accountId);
  if (!contact || !pool(actor, permission).includes(contact.organisation_id)) throw new NotFound();
  return contact;
}

async function contactKey(ctx: Context, contactId: string): Promise<Buffer> {
  const row = await repo.findKey(ctx.db, contactId, "instance", "");
  if (!row) throw new Error(`No key for advisor contact ${contactId}`);
  return open(ctx.masterKey, row.wrapped_key, keyAad(contactId));
}

/** A note: text, files (at most NOTE_MAX_FILES, checked and cleaned as report attachments are), or both. */
export async function addNote(ctx: Context, actor: Actor, id: string, raw: unknown, files: IncomingFile[] = []): Promise<void> {
  const contact = await ownContact(ctx, actor, id, "advisorContact.readNotes");
  if (contact.notes_destroyed_at) throw new Conflict("notes_destroyed", "advisor.notesDestroyed");
  const { body } = parseInput(noteSchema, raw);
  if (!body && !files.length) throw new Invalid({ body: "advisor.noteRequired" });
  // Cleaning happens before the transaction (it can take a while); nothing is stored when a file is refused.
  const prepared = await prepareNoteFiles(ctx, files);
  const key = await contactKey(ctx, id);
  const noteId = newId();
  await inTransaction(ctx, async (trx) => {
    // Re-checked in the update: the retention job may have destroyed the notes (and the key) since the check above.
    if (!(await repo.updateContactIf(trx, id, undefined, { updated_at: now() }, { notesKept: true }))) throw new Conflict("notes_destroyed", "advisor.notesDestroyed");
    const createdAt = now();
    await repo.insertNote(trx, {
      id: noteId, contact_id: id, author_account_id: actor.accountId, created_at: createdAt,
      sealed: seal(key, JSON.stringify(sealedNoteSchema.parse({ body })), noteAad(id, noteId)),
    });
    await insertNoteFiles(trx, key, { contactId: id, noteId, createdAt }, prepared);
    await audit.record(ctx, trx, { actor: auditActorOf(actor), action: "advisorContact.addNote", objectType: "advisorContact", ...unattributed(id) });
  });
}

/** Closing starts the notes' clock: they are destroyed the organisation's retention (default 12 months) later. */
export async function closeContact(ctx: Context, actor: Actor, id: string, raw: unknown): Promise<void> {
  const contact = await ownContact(ctx, actor, id, "advisorContact.read");
  if (contact.status === "closed") throw new Conflict("already_closed", "advisor.alreadyClosed");
  // No version, or no whole number: the form was not the page's (422, nothing closed). The message is the form's own,
  // not a field's: the version is a hidden field the advisor cannot correct.
  const parsed = closeSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new Invalid({ _form: "advisor.versionInvalid" });
  const settings = await ensureAdvisorSetup(ctx, contact.organisation_id);
  const day = today();
  const { version } = parsed.data;
  // A version past the column's range matches no contact (PostgreSQL would fail the query with it).
  if (version > 2_147_483_647) throw new Conflict("changed_meanwhile", "advisor.changedMeanwhile");
  await inTransaction(ctx, async (trx) => {
    const patch = { status: "closed", closed_on: day, notes_destroy_on: addMonths(day, settings.notes_retention_months), updated_at: now() };
    if (!(await repo.updateContactIf(trx, id, version, patch, { status: "open" }))) {
      throw new Conflict("changed_meanwhile", "advisor.changedMeanwhile");
    }
    await audit.record(ctx, trx, { actor: auditActorOf(actor), action: "advisorContact.close", objectType: "advisorContact", ...unattributed(id) });
  });
}

/** The advisors who could take over a contact of this organisation (not the actor). */
export async function possibleSuccessors(ctx: Context, actor: Actor, id: string): Promise<{ id: string; name: string }[]> {
  const contact = await ownContact(ctx, actor, id, "advisorContact.readNotes");
  const advisors = await accountsWithRoles(ctx.db, [contact.organisation_id], ["advisor"]);
  return [...new Map(advisors.filter((a) => a.id !== actor.accountId).map((a) => [a.id, { id: a.id, name: a.display_name }])).values()];
}

/** A successor the visitor agreed to may read (and add) notes from then on; the audit trail records who and when the visitor agreed. Only the contact's own advisor can name one. */
export async function recordSuccessor(ctx: Context, actor: Actor, id: string, raw: unknown): Promise<void> {
  const input = parseInput(successorSchema, raw);
  const contact = await ownContact(ctx, actor, id, "advisorContact.readNotes");
  if (contact.advisor_account_id !== actor.accountId) throw new NotFound();
  if (input.consentOn > today()) throw new Invalid({ consentOn: "advisor.dateInFuture" });
  if (!(await possibleSuccessors(ctx, actor, id)).some((a) => a.id === input.accountId)) throw new Invalid({ accountId: "advisor.successorInvalid" });
  await inTransaction(ctx, async (trx) => {
    if (!(await repo.updateContactIf(trx, id, undefined, { successor_account_id: input.accountId, updated_at: now() }))) throw new NotFound();
    await audit.record(ctx, trx, { actor: auditActorOf(actor), action: "advisorContact.successor", objectType: "advisorContact", ...unattributed(id), details: { accountId: input.accountId, consentOn: input.consentOn } });
  });
}

/** A contact whose follow-up is a formal complaint or report may point at the case it became — only with the
 *  visitor's consent, recorded with its date. The link is kept on the contact, for the advisor: the desk's case
 *  does not show it (its channel "via a confidential advisor" already says what the visitor agreed to share). */
export async function linkReport(ctx: Context, actor: Actor, id: string, raw: unknown): Promise<void> {
  const input = parseInput(linkReportSchema, raw);
  const contact = await ownContact(ctx, actor, id, "advisorContact.read");
  if (contact.follow_up !== "formal_complaint_or_report") throw new Conflict("not_a_report", "advisor.linkNotReport");
  if (input.consentOn > today()) throw new Invalid({ consentOn: "advisor.dateInFuture" });
  const report = await repo.findReportByReference(ctx.db, contact.organisation_id, input.reference);
  if (!report) throw new Invalid({ reference: "advisor.referenceUnknown" });
  await inTransaction(ctx, async (trx) => {
    if (!(await repo.updateContactIf(trx, id, undefined, { report_id: report.id, consent_on: input.consentOn, updated_at: now() }))) throw new NotFound();
    await audit.record(ctx, trx, { actor: auditActorOf(actor), action: "advisorContact.linkReport", objectType: "advisorContact", ...unattributed(id), details: { consentOn: input.consentOn } });
  });
}

// ---- reading -------------------------------------------------------------------------------------------

type NatureLabel = { code: string; label_nl: string; label_en: string };

/** A contact's natures in the order of the organisation's list; a code no longer in the list keeps its code as name. */
function inListOrder(codes: string[], list: AdvisorNaturesTable[]): NatureLabel[] {
  const known = list.filter((n) => codes.includes(n.code)).map((n) => ({ code: n.code, label_nl: n.label_nl, label_en: n.label_en }));
  return [...known, ...codes.filter((c) => !list.some((n) => n.code === c)).map((code) => ({ code, label_nl: code, label_en: code }))];
}

export type ContactView = {
  contact: AdvisorContactsTable;
  organisationName: string;
  unitName: string | null;
  natures: { code: string; label_nl: string; label_en: string }[];
  /** The case this contact became, when linked with the visitor's consent. */
  linkedReference: string | null;
  /** Opened for the advisor (and successor) only; empty once destroyed. A note's files in the order they came. */
  notes: { id: string; body: string; createdAt: string; mine: boolean; files: NoteFile[] }[];
};

/** notes: false leaves the notes sealed (and unaudited), for readers that do not show them (the API). */
export async function getContact(ctx: Context, actor: Actor, id: string, opts: { notes?: boolean } = {}): Promise<ContactView> {
  const contact = await ownContact(ctx, actor, id, "advisorContact.read");
  const readNotes = opts.notes !== false && pool(actor, "advisorContact.readNotes").includes(contact.organisation_id);
  const [organisation, unit, codes, natures, noteRows] = await Promise.all([
    orgRepo.findOrganisation(ctx.db, [contact.organisation_id], contact.organisation_id),
    contact.unit_id ? orgRepo.findUnit(ctx.db, contact.organisation_id, contact.unit_id) : Promise.resolve(undefined),
    repo.contactNatures(ctx.db, [id]),
    repo.listNatures(ctx.db, [contact.organisation_id]),
    readNotes ? repo.listNotes(ctx.db, id) : Promise.resolve([]),
  ]);
  const key = noteRows.length ? await contactKey(ctx, id) : null;
  const files = key ? await listNoteFiles(ctx.db, id, key) : new Map<string, NoteFile[]>();
  const notes = noteRows.map((n) => ({
    id: n.id, createdAt: n.created_at, mine: n.author_account_id === actor.accountId, files: files.get(n.id) ?? [],
    body: sealedNoteSchema.parse(JSON.parse(open(key!, n.sealed, noteAad(id, n.id)).toString("utf8"))).body,
  }));
  if (notes.length) {
    await inTransaction(ctx, (trx) => audit.record(ctx, trx, { actor: auditActorOf(actor), action: "advisorContact.readNotes", objectType: "advisorContact", ...unattributed(id) }));
  }
  return {
    contact, organisationName: organisation?.name ?? "", unitName: unit?.name ?? null,
    natures: inListOrder(codes.get(id) ?? [], natures), notes,
    linkedReference: contact.report_id ? (await repo.reportReference(ctx.db, contact.report_id)) ?? null : null,
  };
}

/** One file of a note, for the contact's advisor and recorded successor only (404 for anyone else, and once the notes
 *  are destroyed). The download is an audit event that, like the others about a contact, says only that it happened. */
export async function readNoteFile(ctx: Context, actor: Actor, id: string, fileId: string): Promise<Download> {
  const contact = await ownContact(ctx, actor, id, "advisorContact.readNotes");
  if (contact.notes_destroyed_at) throw new NotFound();
  const file = await openNoteFile(ctx.db, id, fileId, await contactKey(ctx, id));
  if (!file) throw new NotFound();
  await inTransaction(ctx, (trx) => audit.record(ctx, trx, { actor: auditActorOf(actor), action: "advisorContact.readNoteFile", objectType: "advisorContact", ...unattributed(id) }));
  return file;
}

export type ContactListItem = { contact: AdvisorContactsTable; organisationName: string; natures: { code: string; label_nl: string; label_en: string }[] };

/** "My contacts": the advisor's own, open first when asked; never anyone else's. */
export async function listMyContacts(ctx: Context, actor: Actor, status?: "open" | "closed"): Promise<ContactListItem[]> {
  const ids = pool(actor, "advisorContact.read");
  const rows = (await repo.listOwnContacts(ctx.db, actor.accountId, { status })).filter((c) => ids.includes(c.organisation_id));
  const [codes, natures, organisations] = await Promise.all([
    repo.contactNatures(ctx.db, rows.map((r) => r.id)), repo.listNatures(ctx.db, ids), orgRepo.listOrganisations(ctx.db, ids),
  ]);
  return rows.map((c) => ({
    contact: c, organisationName: organisations.find((o) => o.id === c.organisation_id)?.name ?? "",
    natures: inListOrder(codes.get(c.id) ?? [], natures.filter((n) => n.organisation_id === c.organisation_id)),
  }));
}

/** "My figures this year": contacts and people of the advisor's own contacts since 1 January. */
export async function myFigures(ctx: Context, actor: Actor, year = Number(today().slice(0, 4))) {
  const ids = pool(actor, "advisorContact.read");
  const rows = (await repo.listOwnContacts(ctx.db, actor.accountId, { limit: 100_000 }))
    .filter((c) => ids.includes(c.organisation_id) && c.contact_on.startsWith(`${year}-`) && c.advisor_account_id === actor.accountId);
  return {
    year, contacts: rows.length, people: rows.reduce((s, c) => s + c.people, 0),
    open: rows.filter((c) => c.status === "open").length, minutes: rows.reduce((s, c) => s + c.minutes, 0),
  };
}
