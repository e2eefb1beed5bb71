import { PostgresAdapter, type Kysely } from "kysely";

// Files with an advisor's notes (issue 4, ADR 0011 "Note files"). The same shape as a report's attachments
// (0005): metadata in columns, the cleaned bytes in sealed chunks of at most 1 MiB in a binary column ("bytea" on
// PostgreSQL, "blob" on SQLite). Everything sealed here is sealed under the contact's own key
// (advisor_contact_keys), so deleting that key at retention leaves nothing that can be opened.
export async function up(db: Kysely<any>): Promise<void> {
  const binary = db.getExecutor().adapter instanceof PostgresAdapter ? "bytea" : "blob";
  const s = db.schema;
  await s.createTable("advisor_note_files")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("contact_id", "text", (c) => c.notNull().references("advisor_contacts.id"))
    .addColumn("note_id", "text", (c) => c.notNull().references("advisor_notes.id"))
    /** 0, 1, 2 …: the order in which the files came with their note. */
    .addColumn("position", "integer", (c) => c.notNull())
    /** The file name and what cleaning removed from it, sealed under the contact key (the name can say who came). */
    .addColumn("sealed_meta", "text", (c) => c.notNull())
    /** The sniffed type (never the name's or the browser's claim): metadata, fine in the clear. */
    .addColumn("media_type", "text", (c) => c.notNull())
    /** Bytes after cleaning, as stored (before encryption). */
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("chunk_count", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull()).execute();
  await s.createIndex("advisor_note_files_contact").on("advisor_note_files").columns(["contact_id", "note_id", "position"]).execute();
  await s.createTable("advisor_note_file_chunks")
    .addColumn("file_id", "text", (c) => c.notNull().references("advisor_note_files.id"))
    /** Each chunk sealed on its own; the contact, the file, its index and whether it is the last are in the AAD. */
    .addColumn("idx", "integer", (c) => c.notNull())
    .addColumn("data", binary, (c) => c.notNull())
    .addPrimaryKeyConstraint("advisor_note_file_chunks_pk", ["file_id", "idx"]).execute();
}
