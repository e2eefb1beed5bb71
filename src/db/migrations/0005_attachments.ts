import { PostgresAdapter, type Kysely } from "kysely";

// Attachments of reports (ADR 0010). Portable like 0001 — text ids, ISO text timestamps — with one
// exception: the encrypted bytes go in a binary column, "bytea" on PostgreSQL and "blob" on SQLite, so a
// file is not inflated by a third as base64 text. Both drivers read and write it as a Buffer.
export async function up(db: Kysely<any>): Promise<void> {
  const binary = db.getExecutor().adapter instanceof PostgresAdapter ? "bytea" : "blob";
  const s = db.schema;
  await s.createTable("report_attachments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    /** Null while the upload is pending: made on the intake's files step, before the report exists. */
    .addColumn("report_id", "text", (c) => c.references("reports.id"))
    /** The timeline entry ("attachment") that brought the file in; null while pending. */
    .addColumn("entry_id", "text", (c) => c.references("report_entries.id"))
    /** Bytes after cleaning, as stored (before encryption). */
    .addColumn("size", "integer", (c) => c.notNull())
    /** The sniffed type (never the name's or the browser's claim): metadata, fine in the clear. */
    .addColumn("media_type", "text", (c) => c.notNull())
    .addColumn("chunk_count", "integer", (c) => c.notNull())
    /** The file name and what cleaning removed, sealed under the case key; null while pending (the draft holds them). */
    .addColumn("sealed_meta", "text")
    /** The file's own key sealed under the case key; null while pending (only the reporter's sealed draft holds it). */
    .addColumn("wrapped_key", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    /** A pending upload is deleted by housekeeping after this moment unless a report took it. */
    .addColumn("pending_until", "text").execute();
  await s.createIndex("report_attachments_report").on("report_attachments").columns(["report_id", "created_at"]).execute();
  await s.createIndex("report_attachments_pending").on("report_attachments").columns(["pending_until"]).execute();
  await s.createTable("attachment_chunks")
    .addColumn("attachment_id", "text", (c) => c.notNull().references("report_attachments.id"))
    /** 0, 1, 2 …: each chunk (at most 1 MiB of the file) sealed on its own, its index and "last" in the AAD. */
    .addColumn("idx", "integer", (c) => c.notNull())
    .addColumn("data", binary, (c) => c.notNull())
    .addPrimaryKeyConstraint("attachment_chunks_pk", ["attachment_id", "idx"]).execute();
}
