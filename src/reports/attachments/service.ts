import crypto from "node:crypto";
import { Readable } from "node:stream";
import { z } from "zod";
import type { Actor } from "../../access/actor.ts";
import { auditActorOf } from "../../access/actor.ts";
import * as audit from "../../audit/service.ts";
import type { Context } from "../../context.ts";
import { inTransaction } from "../../context.ts";
import { open, openBytes, seal, sealBytes } from "../../crypto/seal.ts";
import { newId, now } from "../../crypto/tokens.ts";
import type { Db, Trx } from "../../db/database.ts";
import type { ReportsTable } from "../../db/schema.ts";
import { Invalid, NotFound } from "../../http/errors.ts";
import type { MessageKey } from "../../ui/messages.ts";
import { addEntry, caseKey } from "../entries.ts";
import * as reportRepo from "../repository.ts";
import { AttachmentRefused, cleanAttachment, isAllowedType, NOTICES, REMOVED, safeFileName, type MediaType, type Notice, type Removed } from "./clean.ts";
import * as repo from "./repository.ts";

// Files that come with a report (ADR 0010). Each file has its own random key; its cleaned bytes are sealed
// in chunks of 1 MiB (AES-256-GCM, the attachment id, the chunk's index and whether it is the last in the
// AAD), so no row and no buffer holds a whole large file and no chunk can be moved, dropped or reordered.
// The file key and the file's name are sealed under the case key. An upload on the intake's files step
// happens before the report exists: it is stored pending, and its key lives only in the reporter's sealed
// draft, so the pending bytes cannot be read by anyone without that draft.

export const CHUNK_BYTES = 1024 * 1024;
export const PENDING_MS = 24 * 60 * 60 * 1000;

/** What the sealed intake draft carries for each uploaded file (the key in base64: only the draft holds it). */
export const draftUploadSchema = z.object({
  id: z.string().min(1).max(64), key: z.string().length(44), name: z.string().max(300), type: z.string().refine(isAllowedType),
  size: z.number().int().min(0), removed: z.array(z.enum(REMOVED)), notice: z.enum(NOTICES).nullable(),
});
export type DraftUpload = z.infer<typeof draftUploadSchema>;

/** The sealed part of an attached file: its name and what cleaning removed. */
const metaSchema = z.object({ name: z.string(), removed: z.array(z.enum(REMOVED)), notice: z.enum(NOTICES).nullable() });

export type AttachmentInfo = {
  id: string; entryId: string | null; name: string; mediaType: MediaType; size: number; createdAt: string; removed: Removed[]; notice: Notice | null;
};

/** A file as the case page lists it: who it came from (the entry's author). */
export type CaseAttachment = AttachmentInfo & { from: "reporter" | "account"; authorName: string | null };

/** A file as the route received it: the browser's name, the bytes, and whether they were cut at the size limit. */
export type IncomingFile = { name: string; data: Buffer; truncated: boolean };

const chunkAad = (attachmentId: string, idx: number, last: boolean) => `attachment-chunk:${attachmentId}:${idx}:${last ? "last" : "more"}`;
const keyAad = (reportId: string, attachmentId: string) => `attachment-key:${reportId}:${attachmentId}`;
const metaAad = (reportId: string, attachmentId: string) => `attachment-meta:${reportId}:${attachmentId}`;
export const mb = (bytes: number) => Math.floor(bytes / (1024 * 1024));

/** A field error on an upload field (`file` unless named) with its placeholders (the limit in MB, a count). */
export function problem(key: MessageKey, params: Record<string, string | number> = {}, code = "attachment_invalid", field = "file"): Invalid {
  const e = new Invalid({ [field]: key }, code);
  e.params = params;
  return e;
}

export type Prepared = { bytes: Buffer; mediaType: MediaType; name: string; removed: Removed[]; notice: Notice | null };
/** How many files, and how many bytes together, one holder (a report, an advisor's note) may take. */
export type FileLimits = { files: number; bytes: number };

/** Checks the limits, sniffs and cleans the file: the one gate every stored file passes (report attachments and an
 *  advisor's note files alike). `limits` defaults to a report's. Nothing is stored when this throws. */
export async function prepareFile(ctx: Context, file: IncomingFile, used: { files: number; bytes: number },
  limits: FileLimits = { files: ctx.config.attachmentMaxFiles, bytes: ctx.config.attachmentMaxReportBytes }, field = "file"): Promise<Prepared> {
  const c = ctx.config;
  if (file.truncated || file.data.length > c.attachmentMaxFileBytes) throw problem("intake.files.tooLarge", { max: mb(c.attachmentMaxFileBytes) }, "attachment_too_large", field);
  if (used.files >= limits.files) throw problem("intake.files.tooMany", { max: limits.files }, "attachment_too_many", field);
  let cleaned;
  try {
    cleaned = await cleanAttachment(file.data);
  } catch (e) {
    if (e instanceof AttachmentRefused) throw problem(`intake.files.refused.${e.reason}`, {}, "attachment_refused", field);
    throw e;
  }
  if (used.bytes + cleaned.bytes.length > limits.bytes) throw problem("intake.files.reportFull", { max: mb(limits.bytes) }, "attachment_report_full", field);
  return { ...cleaned, name: safeFileName(file.name, cleaned.mediaType) };
}

/** Seals the bytes chunk by chunk under the file key; returns the number of chunks. */
async function writeChunks(trx: Trx, attachmentId: string, fileKey: Buffer, bytes: Buffer): Promise<number> {
  const count = Math.max(1, Math.ceil(bytes.length / CHUNK_BYTES));
  for (let i = 0; i < count; i++) {
    const part = bytes.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES);
    await repo.insertChunk(trx, { attachment_id: attachmentId, idx: i, data: sealBytes(fileKey, part, chunkAad(attachmentId, i, i === count - 1)) });
  }
  return count;
}

// ---- the intake: pending uploads -----------------------------------------------------------------------

/** Cleans and stores a file for an intake that has not been sent yet. The row holds neither the key nor the
 *  name: both go back to the caller for the sealed draft. Unsent, it is deleted after PENDING_MS. */
export async function storePending(ctx: Context, organisationId: string, file: IncomingFile, already: DraftUpload[]): Promise<DraftUpload> {
  const p = await prepareFile(ctx, file, { files: already.length, bytes: already.reduce((s, u) => s + u.size, 0) });
  const id = newId(), fileKey = crypto.randomBytes(32), at = Date.now();
  await inTransaction(ctx, async (trx) => {
    // Pending uploads are stored before any report exists, for anyone who opens the intake: without a cap per
    // organisation they could fill the database. Checked in the insert's transaction; on PostgreSQL two uploads
    // at the same moment may both pass, so the cap can be passed by what is being uploaded concurrently, no more.
    const pending = await repo.pendingBytes(trx, organisationId, new Date(at).toISOString());
    if (pending + p.bytes.length > ctx.config.attachmentMaxPendingBytes) {
      // Every reporter of this organisation is refused files now (until uploads are sent or run out): an operator should
      // know. Nothing about the client goes into the log; the organisation and the sizes only.
      ctx.log.warn({ organisationId, pendingMb: mb(pending), fileBytes: p.bytes.length, capMb: mb(ctx.config.attachmentMaxPendingBytes) },
        "attachments: the organisation's pending uploads reached ATTACHMENT_MAX_PENDING_MB; its intake refuses files");
      throw problem("intake.files.pendingFull", {}, "attachment_pending_full");
    }
    await repo.insertAttachment(trx, {
      id, organisation_id: organisationId, report_id: null, entry_id: null, size: p.bytes.length, media_type: p.mediaType,
      chunk_count: Math.max(1, Math.ceil(p.bytes.length / CHUNK_BYTES)), sealed_meta: null, wrapped_key: null,
      created_at: new Date(at).toISOString(), pending_until: new Date(at + PENDING_MS).toISOString(),
    });
    await writeChunks(trx, id, fileKey, p.bytes);
  });
  return { id, key: fileKey.toString("base64"), name: p.name, type: p.mediaType, size: p.bytes.length, removed: p.removed, notice: p.notice };
}

/** Pending bytes per client (ADR 0010): the organisation's cap alone could be filled by one client — 60 uploads of
 *  25 MB an hour pass the upload throttle — and would then refuse every reporter of the organisation files for a day.
 *  So each client may store at most `limit` bytes pending within PENDING_MS. Like the intake's other throttles it lives
 *  in memory only, keyed by an AnonymousThrottle key (an HMAC of the connection's address under a secret that changes
 *  daily), never the address; a restart forgets it. A file reserves its size before it is cleaned — so a parallel
 *  burst cannot pass before any of it is counted — and settles to what is stored, or gives the reservation back when
 *  it is refused. Bytes that are sent or removed later are not given back: the budget counts what a client stored. */
export class PendingBudget {
  private used = new Map<string, { bytes: number; resetAt: number }>();

  constructor(readonly limit: number, private readonly windowMs = PENDING_MS, private readonly clock: () => number = Date.now) {}

  /** Reserves `bytes` for the key; false, reserving nothing, when that would take it past the limit. */
  reserve(key: string, bytes: number): boolean {
    const at = this.clock();
    let w = this.used.get(key);
    if (w && w.resetAt <= at) { this.used.delete(key); w = undefined; }
    if ((w?.bytes ?? 0) + bytes > this.limit) return false;
    if (!w) {
      w = { bytes: 0, resetAt: at + this.windowMs };
      this.used.set(key, w);
      if (this.used.size > 100_000) for (const [k, v] of this.used) if (v.resetAt <= at) this.used.delete(k);
    }
    w.bytes += bytes;
    return true;
  }

  /** Replaces a reservation by what was really stored (0 when the file was refused). */
  settle(key: string, reserved: number, stored: number): void {
    const w = this.used.get(key);
    if (w) w.bytes = Math.max(0, w.bytes - reserved + stored);
  }
}

/** The reporter removed a file on the files step: its pending bytes go at once. */
export async function discardPending(ctx: Context, organisationId: string, uploadId: string): Promise<void> {
  await inTransaction(ctx, (trx) => repo.deletePending(trx, organisationId, uploadId));
}

/** Uploads in a draft that can no longer be attached (run out and deleted, or already sent with a report). */
export class UploadsGone extends Invalid {
  constructor(readonly ids: string[]) { super({ files: "intake.files.gone" }, "uploads_gone"); }
}

/** Attaches a draft's pending uploads to the new report, inside the report's own transaction: each only
 *  once, only to the organisation it was uploaded for, and only with the key that opens it. */
export async function attachPending(ctx: Context, trx: Trx, at: { organisationId: string; reportId: string; caseKey: Buffer; entryId: string },
  uploads: DraftUpload[]): Promise<void> {
  if (uploads.length > ctx.config.attachmentMaxFiles) throw problem("intake.files.tooMany", { max: ctx.config.attachmentMaxFiles }, "attachment_too_many");
  const moment = now();
  const gone: string[] = [];
  for (const u of uploads) {
    const row = await repo.findPending(trx, at.organisationId, u.id, moment);
    const first = row ? await repo.readChunk(trx, u.id, 0) : undefined;
    const fileKey = Buffer.from(u.key, "base64");
    let opens = false;
    try { opens = !!first && !!openBytes(fileKey, first.data, chunkAad(u.id, 0, row!.chunk_count === 1)); } catch { opens = false; }
    if (!row || !opens) { gone.push(u.id); continue; }
    const claimed = await repo.claimPending(trx, at.organisationId, u.id, moment, {
      report_id: at.reportId, entry_id: at.entryId,
      wrapped_key: seal(at.caseKey, fileKey, keyAad(at.reportId, u.id)),
      sealed_meta: seal(at.caseKey, JSON.stringify(metaSchema.parse({ name: u.name, removed: u.removed, notice: u.notice })), metaAad(at.reportId, u.id)),
    });
    if (!claimed) gone.push(u.id);
  }
  if (gone.length) throw new UploadsGone(gone);
}

/** Deletes pending uploads whose time has run out. Idempotent; housekeeping calls it every hour. */
export async function deleteExpiredPending(ctx: Context, at = Date.now()): Promise<number> {
  return inTransaction(ctx, (trx) => repo.deleteExpiredPending(trx, new Date(at).toISOString()));
}

// ---- a file added to an existing case ------------------------------------------------------------------

/** The reporter adds a file from the mailbox: cleaned, sealed and attached at once, with a timeline entry
 *  the reporter sees ("U stuurde een bestand"). A closed case takes no new files. */
export async function addFromReporter(ctx: Context, reportId: string, file: IncomingFile): Promise<AttachmentInfo> {
  const report = await reportRepo.findReport(ctx.db, reportId);
  if (!report || report.destroyed_at) throw new NotFound();
  if (report.status === "closed") throw problem("intake.files.closed", {}, "case_closed");
  const p = await prepareFile(ctx, file, await repo.usage(ctx.db, reportId));
  return inTransaction(ctx, async (trx) => {
    // Updating the case row first serialises writers of this case (the timeline's positions, the limits).
    await reportRepo.updateReportIf(trx, reportId, {}, { updated_at: now() });
    const fresh = await reportRepo.findReport(trx, reportId);
    if (!fresh || fresh.destroyed_at) throw new NotFound();
    if (fresh.status === "closed") throw problem("intake.files.closed", {}, "case_closed");
    const used = await repo.usage(trx, reportId);
    if (used.files >= ctx.config.attachmentMaxFiles) throw problem("intake.files.tooMany", { max: ctx.config.attachmentMaxFiles }, "attachment_too_many");
    if (used.bytes + p.bytes.length > ctx.config.attachmentMaxReportBytes) {
      throw problem("intake.files.reportFull", { max: mb(ctx.config.attachmentMaxReportBytes) }, "attachment_report_full");
    }
    const key = await caseKey(ctx, trx, reportId);
    const entry = await addEntry(trx, key, { reportId, kind: "attachment", author: { type: "reporter" }, visibleToReporter: true, meta: { count: 1 } });
    const info = await insertAttached(trx, report, key, entry.id, p);
    await audit.record(ctx, trx, {
      actor: { type: "anonymous", id: null }, action: "report.attachmentAdd", objectType: "report", objectId: reportId,
      organisationId: report.organisation_id, details: { reference: report.reference, attachmentId: info.id, mediaType: info.mediaType, size: info.size },
    });
    return info;
  });
}

async function insertAttached(trx: Trx, report: ReportsTable, key: Buffer, entryId: string, p: Prepared): Promise<AttachmentInfo> {
  const id = newId(), fileKey = crypto.randomBytes(32), createdAt = now();
  const meta = metaSchema.parse({ name: p.name, removed: p.removed, notice: p.notice });
  await repo.insertAttachment(trx, {
    id, organisation_id: report.organisation_id, report_id: report.id, entry_id: entryId, size: p.bytes.length, media_type: p.mediaType,
    chunk_count: Math.max(1, Math.ceil(p.bytes.length / CHUNK_BYTES)), sealed_meta: seal(key, JSON.stringify(meta), metaAad(report.id, id)),
    wrapped_key: seal(key, fileKey, keyAad(report.id, id)), created_at: createdAt, pending_until: null,
  });
  await writeChunks(trx, id, fileKey, p.bytes);
  return { id, entryId, createdAt, mediaType: p.mediaType, size: p.bytes.length, ...meta };
}

// ---- reading -------------------------------------------------------------------------------------------

/** A case's files with their names opened. The caller has checked that the reader may see the case. */
export async function listForCase(db: Db | Trx, reportId: string, key: Buffer): Promise<AttachmentInfo[]> {
  const rows = await repo.listOfReport(db, reportId);
  return rows.map((r) => {
    const meta = metaSchema.parse(JSON.parse(open(key, r.sealed_meta!, metaAad(reportId, r.id)).toString("utf8")));
    return { id: r.id, entryId: r.entry_id, mediaType: r.media_type as MediaType, size: Number(r.size), createdAt: r.created_at, ...meta };
  });
}

export type Download = { name: string; mediaType: MediaType; size: number; body: Readable };

/** One file of a case the actor may see (the caller checked, exactly as for the case page), decrypted as a
 *  stream of chunks. The first chunk is opened before anything is sent; the download is an audit event. */
export async function openForActor(ctx: Context, actor: Actor, report: ReportsTable, attachmentId: string): Promise<Download> {
  const row = await repo.findOfReport(ctx.db, report.id, attachmentId);
  if (!row || !row.wrapped_key || !row.sealed_meta) throw new NotFound();
  const key = await caseKey(ctx, ctx.db, report.id);
  const fileKey = open(key, row.wrapped_key, keyAad(report.id, row.id));
  const meta = metaSchema.parse(JSON.parse(open(key, row.sealed_meta, metaAad(report.id, row.id)).toString("utf8")));
  const count = Number(row.chunk_count);
  const chunk = async (i: number) => {
    const c = await repo.readChunk(ctx.db, row.id, i);
    if (!c) throw new Error(`Attachment ${row.id} misses chunk ${i}`);
    return openBytes(fileKey, Buffer.from(c.data), chunkAad(row.id, i, i === count - 1));
  };
  const first = await chunk(0);
  await inTransaction(ctx, (trx) => audit.record(ctx, trx, {
    actor: auditActorOf(actor), action: "report.attachmentRead", objectType: "report", objectId: report.id, organisationId: report.organisation_id,
    details: { reference: report.reference, attachmentId: row.id, mediaType: row.media_type, size: Number(row.size) },
  }));
  async function* chunks() {
    yield first;
    for (let i = 1; i < count; i++) yield await chunk(i);
  }
  return { name: meta.name, mediaType: row.media_type as MediaType, size: Number(row.size), body: Readable.from(chunks()) };
}

/** Every file of a case (retention destroys a case's content): the chunks and the rows. */
export const destroyForReport = (trx: Trx, reportId: string) => repo.deleteOfReport(trx, reportId);
