import crypto from "node:crypto";
import argon2 from "argon2";
import type { Actor } from "../access/actor.ts";
import type { Context } from "../context.ts";
import { inTransaction } from "../context.ts";
import type { Trx } from "../db/database.ts";
import type { ReportCategoriesTable, ReportMeasuresTable, ReportSettingsTable, ReportsTable } from "../db/schema.ts";
import * as audit from "../audit/service.ts";
import { hashToken, hmacHex, newId, now, randomToken } from "../crypto/tokens.ts";
import { Conflict, Invalid, NotFound } from "../http/errors.ts";
import { parseInput } from "../http/validation.ts";
import * as orgRepo from "../organisations/repository.ts";
import type { Locale } from "../ui/messages.ts";
import { acknowledgementDue, localDate } from "./deadlines.ts";
import { attachPending, listForCase, type AttachmentInfo, type DraftUpload } from "./attachments/service.ts";
import { addEntry, caseKey, createCaseKey, openEntries } from "./entries.ts";
import { currentMinutes, type Minutes } from "./minutes.ts";
import { CATEGORY_PRESET, MEASURE_PRESET } from "./presets.ts";
import * as repo from "./repository.ts";
import { messageSchema, receiptSchema, reportInputSchema, type ReportInput } from "./schema.ts";
import type { Channel, Kind, Status } from "./workflow.ts";

// The reporter's side: the public intake, the receipt and the mailbox. Nothing here sees or stores a
// client address, user agent or any other trace of who is asking; the routes pass only the answers.

export const RECEIPT_DIGITS = 16;

/** The organisation's reporting settings, created with a fresh receipt salt and the category preset on first use. */
export async function ensureSettings(ctx: Context, organisationId: string): Promise<ReportSettingsTable> {
  const found = await repo.findSettings(ctx.db, organisationId);
  if (found) return found;
  await inTransaction(ctx, async (trx) => {
    const at = now();
    const created = await repo.insertSettingsIfAbsent(trx, {
      organisation_id: organisationId, receipt_salt: crypto.randomBytes(16).toString("base64"), alternative_account_id: null,
      retention_years: 5, created_at: at, updated_at: at,
    });
    if (created) {
      await repo.insertCategories(trx, CATEGORY_PRESET.map((c, i): ReportCategoriesTable => ({
        id: newId(), organisation_id: organisationId, kind: c.kind, code: c.code, label_nl: c.nl, label_en: c.en, position: i + 1, active: 1, created_at: at,
      })));
      await repo.insertMeasures(trx, MEASURE_PRESET.map((m, i): ReportMeasuresTable => ({
        id: newId(), organisation_id: organisationId, code: m.code, label_nl: m.nl, label_en: m.en, position: i + 1, active: 1, created_at: at,
      })));
    }
  });
  return (await repo.findSettings(ctx.db, organisationId))!;
}

export type IntakeTarget = {
  organisation: { id: string; name: string; slug: string };
  categories: ReportCategoriesTable[];
  units: { id: string; name: string }[];
  hasAlternativeRecipient: boolean;
};

/** The organisation behind a public intake address, with what its questions offer. */
export async function intakeTarget(ctx: Context, slug: string): Promise<IntakeTarget> {
  const organisation = await repo.findOrganisationBySlug(ctx.db, slug);
  if (!organisation) throw new NotFound();
  const settings = await ensureSettings(ctx, organisation.id);
  const [categories, units] = await Promise.all([
    repo.listCategories(ctx.db, [organisation.id], true), orgRepo.listUnits(ctx.db, organisation.id),
  ]);
  return {
    organisation, categories, units: units.map((u) => ({ id: u.id, name: u.name })),
    hasAlternativeRecipient: !!settings.alternative_account_id,
  };
}

/** 16 random decimal digits from the CSPRNG (about 53 bits), shown once and never stored. */
export function newReceipt(): string {
  let s = "";
  for (let i = 0; i < RECEIPT_DIGITS; i++) s += String(crypto.randomInt(10));
  return s;
}

/** "1234567890123456" → "1234 5678 9012 3456". */
export const groupReceipt = (r: string) => r.replace(/(\d{4})(?=\d)/g, "$1 ");

/** At most this many receipt hashes run at once (each takes ARGON2_MEMORY_KIB of memory): a flood of guesses from
 *  many addresses waits in line instead of exhausting the server. A slot is handed straight to the next in line. */
const HASH_SLOTS = 4;
let hashing = 0;
const waiting: (() => void)[] = [];
async function withHashSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (hashing < HASH_SLOTS) hashing++;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await fn();
  } finally {
    const next = waiting.shift();
    if (next) next(); else hashing--;
  }
}

/** Argon2id of the receipt with the organisation's salt: deterministic, so the hash is the lookup key. */
export async function receiptHash(ctx: Context, settings: ReportSettingsTable, receipt: string): Promise<string> {
  const raw = await withHashSlot(() => argon2.hash(receipt, {
    type: argon2.argon2id, raw: true, salt: Buffer.from(settings.receipt_salt, "base64"),
    memoryCost: ctx.config.argon2MemoryKib, timeCost: 2, parallelism: 1, hashLength: 32,
  }));
  return raw.toString("hex");
}

/** A tag for an account id that only the instance can compute: "my reports" and exclusions use it. */
export const accountTag = (ctx: Context, accountId: string) => hmacHex(ctx.masterKey, `report-account:${accountId}`);

/** The tag that excludes an account from cases. Derived apart from `accountTag`, so someone who can read the database and
 *  knows the tag of a report they made themselves cannot use it to find the cases that name them as involved. */
export const exclusionTag = (ctx: Context, accountId: string) => hmacHex(ctx.masterKey, `report-exclusion:${accountId}`);

export type Submitted = { reportId: string; reference: string; receipt: string | null; receivedOn: string; ackDueOn: string };

export type SubmitOptions = {
  locale: Locale;
  channel?: Channel;
  /** A signed-in employee reporting openly or confidentially: no receipt, the case appears in "my reports". */
  reporter?: Actor;
  /** Files uploaded on the intake's files step (pending, their keys from the sealed draft): attached in the same transaction. */
  uploads?: DraftUpload[];
  /** The draft's one-time token (intake pages): the same draft sent twice makes one case, not two. */
  nonce?: string;
};

/** Sends a report: metadata in columns, the answers and the identity sealed apart, one audit event, one transaction. */
export async function submitReport(ctx: Context, slug: string, raw: unknown, opts: SubmitOptions): Promise<Submitted> {
  const target = await intakeTarget(ctx, slug);
  const input = parseInput(reportInputSchema, raw);
  const category = target.categories.find((c) => c.id === input.categoryId);
  if (!category) throw new Invalid({ categoryId: "report.categoryRequired" });
  if (input.unitId && !target.units.some((u) => u.id === input.unitId)) throw new Invalid({ unitId: "report.unitUnknown" });
  if (input.concernsHandler === "yes" && !target.hasAlternativeRecipient) throw new Invalid({ concernsHandler: "report.noAlternativeRecipient" });
  if (opts.reporter && input.mode === "anonymous") throw new Invalid({ mode: "report.anonymousSignedIn" });
  const settings = (await repo.findSettings(ctx.db, target.organisation.id))!;
  // The Argon2id hash is computed before the transaction opens, so a slow hash never holds the database.
  const receipt = opts.reporter ? null : newReceipt();
  const hash = receipt ? await receiptHash(ctx, settings, receipt) : null;
  return inTransaction(ctx, (trx) => insertReport(ctx, trx, {
    organisationId: target.organisation.id, input, kind: category.kind as Kind, channel: opts.channel ?? "web", locale: opts.locale,
    receiptHash: hash, reporterTag: opts.reporter ? accountTag(ctx, opts.reporter.accountId) : null,
    // Also a signed-in reporter writes as "the reporter", never as their account: the timeline is read by people who may
    // not know who reported (an investigator), and the audit log by roles that may never (administrator, auditor).
    // What the desk knows of them is what the identity entry says; only the tag ties the case to the account.
    author: { type: "anonymous", id: null },
    uploads: opts.uploads, intakeNonce: opts.nonce,
  }).then((r) => ({ ...r, receipt }))).catch((e: unknown) => {
    // Two sends of one draft at the same moment: the unique index stops the second.
    if (opts.nonce && isUniqueViolation(e)) throw new Conflict("already_sent", "report.alreadySent");
    throw e;
  });
}

export type NewReport = {
  organisationId: string; input: ReportInput; kind: Kind; channel: Channel; locale: Locale;
  receiptHash: string | null; reporterTag: string | null;
  author: { type: "anonymous"; id: null } | { type: "account"; id: string };
  /** Registered by the desk (register.ts): when it came in (the statutory clock runs from then), and what the audit event adds. */
  registered?: { receivedAt: string; details: Record<string, unknown> };
  /** Pending uploads to attach (attachments/service.ts), each at most once. */
  uploads?: DraftUpload[];
  /** The intake draft's one-time token: a draft is sent once. */
  intakeNonce?: string;
};

/** The one way a report is written, by the intake and by the desk's registration. The caller opens the transaction. */
export async function insertReport(ctx: Context, trx: Trx, n: NewReport): Promise<Omit<Submitted, "receipt">> {
  const at = now();
  const receivedAt = n.registered?.receivedAt ?? at;
  const receivedOn = localDate(receivedAt);
  const year = Number(receivedOn.slice(0, 4));
  const reference = `${year}-${String(await repo.nextReferenceNumber(trx, n.organisationId, year)).padStart(4, "0")}`;
  const id = newId();
  const row: ReportsTable = {
    id, organisation_id: n.organisationId, reference, channel: n.channel, mode: n.input.mode, kind: n.kind,
    category_id: n.input.categoryId, unit_id: n.input.unitId || null, status: "received" satisfies Status,
    routing: n.input.concernsHandler === "yes" ? "alternative" : "desk", locale: n.locale,
    received_at: receivedAt, ack_due_on: acknowledgementDue(receivedAt), acknowledged_at: null, feedback_due_on: null, feedback_given_at: null,
    decision: null, investigation_by: null, closed_at: null, coordinator_account_id: null, investigator_account_id: null,
    reporter_tag: n.reporterTag, receipt_hash: n.receiptHash, retain_until: null, destroyed_at: null,
    // Fixed now: a later change of the setting re-routes new reports only, never this one.
    alternative_account_id: n.input.concernsHandler === "yes" ? (await repo.findSettings(trx, n.organisationId))?.alternative_account_id ?? null : null,
    intake_nonce: n.intakeNonce ?? null,
    version: 1, created_at: at, updated_at: at,
  };
  if (n.intakeNonce && await repo.nonceUsed(trx, n.intakeNonce)) throw new Conflict("already_sent", "report.alreadySent");
  await repo.insertReport(trx, row);
  const key = await createCaseKey(ctx, trx, id);
  const { identity, noticeEmail, mode: _mode, ...content } = n.input;
  const author = n.author.type === "account" ? { type: "account" as const, id: n.author.id } : { type: "reporter" as const };
  await addEntry(trx, key, { reportId: id, kind: "content", author, meta: {}, sealed: content });
  if (identity && n.input.mode !== "anonymous") await addEntry(trx, key, { reportId: id, kind: "identity", author, meta: {}, sealed: identity });
  if (noticeEmail) await addEntry(trx, key, { reportId: id, kind: "notice", author, meta: {}, sealed: { email: noticeEmail } });
  if (n.uploads?.length) {
    const entry = await addEntry(trx, key, { reportId: id, kind: "attachment", author, visibleToReporter: true, meta: { count: n.uploads.length } });
    await attachPending(ctx, trx, { organisationId: n.organisationId, reportId: id, caseKey: key, entryId: entry.id }, n.uploads);
  }
  await audit.record(ctx, trx, {
    actor: n.author, action: n.registered ? "report.register" : "report.submit", objectType: "report", objectId: id, organisationId: n.organisationId,
    details: { reference, channel: n.channel, mode: n.input.mode, kind: n.kind, ...n.registered?.details, ...(n.uploads?.length ? { attachments: n.uploads.length } : {}) },
  });
  return { reportId: id, reference, receivedOn, ackDueOn: row.ack_due_on };
}

// ---- the mailbox -------------------------------------------------------------------------------

const isUniqueViolation = (e: unknown) => {
  const code = (e as { code?: string } | null)?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE";
};

/** A wrong receipt (not a malformed one): what the throttles count against a client. */
export const isUnknownReceipt = (e: unknown) => e instanceof Invalid && e.code === "receipt_unknown";

/** Waits until at least `ms` have passed since `started`, so a found and an unknown receipt take equally long. */
async function padTo(started: number, ms: number) {
  const wait = ms - (Date.now() - started);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}

/** The case behind a receipt, or Invalid after the same time as a hit. */
export async function reportByReceipt(ctx: Context, slug: string, raw: unknown): Promise<ReportsTable> {
  return padded(ctx, () => findByReceipt(ctx, slug, raw));
}

/** Runs `work` and answers (or throws) no sooner than RECEIPT_MIN_MS after it began. */
async function padded<T>(ctx: Context, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    await padTo(started, ctx.config.receiptMinMs);
  }
}

async function findByReceipt(ctx: Context, slug: string, raw: unknown): Promise<ReportsTable> {
  const organisation = await repo.findOrganisationBySlug(ctx.db, slug);
  const { receipt } = parseInput(receiptSchema, raw);
  // An unknown organisation costs the same hash as a known one.
  const settings = organisation ? await ensureSettings(ctx, organisation.id) : { receipt_salt: crypto.randomBytes(16).toString("base64") } as ReportSettingsTable;
  const hash = await receiptHash(ctx, settings, receipt);
  const report = organisation ? await repo.findReportByReceipt(ctx.db, organisation.id, hash) : undefined;
  if (!report) throw new Invalid({ receipt: "report.receiptUnknown" }, "receipt_unknown");
  return report;
}

/**
 * Opens a mailbox session for a receipt (the page flow); the token goes into a cookie, only its hash into the database.
 * The padding covers the session insert too: only a found receipt gets one, and that write must not make a hit
 * measurably slower than a miss.
 */
export async function openMailboxSession(ctx: Context, slug: string, raw: unknown): Promise<{ token: string; reportId: string }> {
  return padded(ctx, async () => {
    const report = await findByReceipt(ctx, slug, raw);
    const token = randomToken("mb_");
    const at = Date.now();
    await repo.insertMailboxSession(ctx.db, {
      token_hash: hashToken(token), report_id: report.id, expires_at: new Date(at + ctx.config.mailboxIdleMs).toISOString(),
      ends_at: new Date(at + ctx.config.sessionAbsoluteMs).toISOString(),
    });
    return { token, reportId: report.id };
  });
}

/** The case a mailbox session belongs to (and the session is extended), or null when it ran out. */
export async function mailboxSession(ctx: Context, slug: string, token: string | undefined): Promise<string | null> {
  if (!token) return null;
  const s = await repo.findMailboxSession(ctx.db, hashToken(token), now());
  if (!s) return null;
  const report = await repo.findReport(ctx.db, s.report_id);
  const organisation = await repo.findOrganisationBySlug(ctx.db, slug);
  if (!report || !organisation || report.organisation_id !== organisation.id || report.destroyed_at) return null;
  const idle = new Date(Date.now() + ctx.config.mailboxIdleMs).toISOString();
  await repo.touchMailboxSession(ctx.db, hashToken(token), idle < s.ends_at ? idle : s.ends_at);
  return report.id;
}

export async function closeMailboxSession(ctx: Context, token: string | undefined): Promise<void> {
  if (token) await repo.deleteMailboxSession(ctx.db, hashToken(token));
}

/** A file the reporter sent, as the mailbox shows it (name and what was removed; the file itself is not offered back). */
export type MailboxFile = Pick<AttachmentInfo, "id" | "name" | "size" | "removed" | "notice">;
export type MailboxMessage = {
  id: string; from: "reporter" | "desk"; body: string; at: string; acknowledgement: boolean; feedback: boolean;
  /** Set for "U stuurde een bestand": the files of that moment (the body is then empty). */
  files?: MailboxFile[];
};
export type Mailbox = {
  reportId: string; reference: string; organisationName: string; status: Status; mode: string;
  receivedOn: string; ackDueOn: string; acknowledgedOn: string | null; feedbackDueOn: string | null; feedbackGivenOn: string | null;
  closedOn: string | null; messages: MailboxMessage[];
  /** The minutes of an oral report, for the reporter to check (minutes.ts). */
  minutes: Minutes | null;
};

/** What the reporter sees: the status in words, the dates, and the messages both ways (never notes or internal steps). */
export async function readMailbox(ctx: Context, reportId: string): Promise<Mailbox> {
  const report = await repo.findReport(ctx.db, reportId);
  if (!report || report.destroyed_at) throw new NotFound();
  const organisation = (await orgRepo.findOrganisation(ctx.db, [report.organisation_id], report.organisation_id))!;
  const key = await caseKey(ctx, ctx.db, reportId);
  const entries = openEntries(key, await repo.listEntries(ctx.db, reportId, { reporterOnly: true }), new Set(["message_in", "message_out", "minutes"]));
  const files = new Map<string, AttachmentInfo[]>();
  for (const f of await listForCase(ctx.db, reportId, key)) files.set(f.entryId ?? "", [...(files.get(f.entryId ?? "") ?? []), f]);
  return {
    reportId, reference: report.reference, organisationName: organisation.name, status: report.status as Status, mode: report.mode,
    receivedOn: localDate(report.received_at), ackDueOn: report.ack_due_on,
    acknowledgedOn: report.acknowledged_at ? localDate(report.acknowledged_at) : null, feedbackDueOn: report.feedback_due_on,
    feedbackGivenOn: report.feedback_given_at ? localDate(report.feedback_given_at) : null,
    closedOn: report.closed_at ? localDate(report.closed_at) : null,
    messages: entries.filter((e) => e.kind === "message_in" || e.kind === "message_out" || e.kind === "attachment").map((e) => (e.kind === "attachment" ? {
      id: e.id, from: "reporter" as const, body: "", at: e.createdAt, acknowledgement: false, feedback: false,
      files: (files.get(e.id) ?? []).map(({ id, name, size, removed, notice }) => ({ id, name, size, removed, notice })),
    } : {
      id: e.id, from: e.kind === "message_in" ? "reporter" as const : "desk" as const, body: (e.sealed as { body: string }).body, at: e.createdAt,
      acknowledgement: e.meta.acknowledgement === true, feedback: e.meta.feedback === true,
    })),
    minutes: currentMinutes(entries),
  };
}

/** The reporter answers or adds information. A closed case takes no new messages (the desk can reopen it). */
export async function replyInMailbox(ctx: Context, reportId: string, raw: unknown): Promise<void> {
  const input = parseInput(messageSchema, raw);
  await inTransaction(ctx, async (trx) => {
    const report = await repo.findReport(trx, reportId);
    if (!report || report.destroyed_at) throw new NotFound();
    if (!(await repo.updateReportIf(trx, reportId, { open: true }, { updated_at: now() }))) {
      throw new Invalid({ body: "report.closedNoMessages" }, "case_closed");
    }
    const key = await caseKey(ctx, trx, reportId);
    await addEntry(trx, key, { reportId, kind: "message_in", author: { type: "reporter" }, visibleToReporter: true, meta: {}, sealed: { body: input.body } });
    await audit.record(ctx, trx, {
      actor: { type: "anonymous", id: null }, action: "report.reporterMessage", objectType: "report", objectId: reportId,
      organisationId: report.organisation_id, details: { reference: report.reference },
    });
  });
}
