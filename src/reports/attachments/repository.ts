import type { Db, Trx } from "../../db/database.ts";
import type { AttachmentChunksTable, ReportAttachmentsTable } from "../../db/schema.ts";

type Q = Db | Trx;

// Attachments and their encrypted chunks. Every read takes the organisation or the case it must belong to.

export const insertAttachment = (db: Q, row: ReportAttachmentsTable) => db.insertInto("report_attachments").values(row).execute();
export const insertChunk = (db: Q, row: AttachmentChunksTable) => db.insertInto("attachment_chunks").values(row).execute();

/** A pending upload of this organisation that no report has taken yet and that has not run out. */
export const findPending = (db: Q, organisationId: string, id: string, at: string) =>
  db.selectFrom("report_attachments").selectAll().where("id", "=", id).where("organisation_id", "=", organisationId)
    .where("report_id", "is", null).where("pending_until", ">", at).executeTakeFirst();

/** Bytes of this organisation's pending uploads that no report has taken yet and that have not run out. */
export async function pendingBytes(db: Q, organisationId: string, at: string): Promise<number> {
  const r = await db.selectFrom("report_attachments").select((eb) => eb.fn.sum<number>("size").as("bytes"))
    .where("organisation_id", "=", organisationId).where("report_id", "is", null).where("pending_until", ">", at).executeTakeFirst();
  return Number(r?.bytes ?? 0);
}

/** Hands a pending upload to a report; false when another report took it first or it ran out meanwhile. */
export async function claimPending(db: Q, organisationId: string, id: string, at: string,
  patch: Pick<ReportAttachmentsTable, "report_id" | "entry_id" | "wrapped_key" | "sealed_meta">): Promise<boolean> {
  const r = await db.updateTable("report_attachments").set({ ...patch, pending_until: null })
    .where("id", "=", id).where("organisation_id", "=", organisationId).where("report_id", "is", null).where("pending_until", ">", at)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export const findOfReport = (db: Q, reportId: string, id: string) =>
  db.selectFrom("report_attachments").selectAll().where("report_id", "=", reportId).where("id", "=", id).executeTakeFirst();

export const listOfReport = (db: Q, reportId: string) =>
  db.selectFrom("report_attachments").selectAll().where("report_id", "=", reportId).orderBy("created_at").orderBy("id").execute();

/** Files and bytes a case holds already (for the per-report limits). */
export async function usage(db: Q, reportId: string): Promise<{ files: number; bytes: number }> {
  const r = await db.selectFrom("report_attachments").select((eb) => [eb.fn.countAll<number>().as("files"), eb.fn.sum<number>("size").as("bytes")])
    .where("report_id", "=", reportId).executeTakeFirst();
  return { files: Number(r?.files ?? 0), bytes: Number(r?.bytes ?? 0) };
}

export const readChunk = (db: Q, attachmentId: string, idx: number) =>
  db.selectFrom("attachment_chunks").select("data").where("attachment_id", "=", attachmentId).where("idx", "=", idx).executeTakeFirst();

/** Deletes one pending upload of this organisation (the reporter pressed "Verwijderen"); a taken one stays. */
export async function deletePending(db: Trx, organisationId: string, id: string): Promise<boolean> {
  const row = await db.selectFrom("report_attachments").select("id").where("id", "=", id).where("organisation_id", "=", organisationId)
    .where("report_id", "is", null).executeTakeFirst();
  if (!row) return false;
  await db.deleteFrom("attachment_chunks").where("attachment_id", "=", id).execute();
  await db.deleteFrom("report_attachments").where("id", "=", id).where("report_id", "is", null).execute();
  return true;
}

/** Pending uploads whose time ran out (the report was never sent): their chunks, then the rows. */
export async function deleteExpiredPending(db: Trx, at: string): Promise<number> {
  const expired = db.selectFrom("report_attachments").select("id").where("report_id", "is", null).where("pending_until", "<=", at);
  await db.deleteFrom("attachment_chunks").where("attachment_id", "in", expired).execute();
  const r = await db.deleteFrom("report_attachments").where("report_id", "is", null).where("pending_until", "<=", at).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Every attachment of a case, bytes and rows (retention destroys a case's content). */
export async function deleteOfReport(db: Trx, reportId: string): Promise<void> {
  const ids = db.selectFrom("report_attachments").select("id").where("report_id", "=", reportId);
  await db.deleteFrom("attachment_chunks").where("attachment_id", "in", ids).execute();
  await db.deleteFrom("report_attachments").where("report_id", "=", reportId).execute();
}
