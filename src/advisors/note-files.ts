import { Readable } from "node:stream";
import { z } from "zod";
import type { Context } from "../context.ts";
import { openBytes, open, seal, sealBytes } from "../crypto/seal.ts";
import { newId } from "../crypto/tokens.ts";
import type { Db, Trx } from "../db/database.ts";
import { Invalid } from "../http/errors.ts";
import { NOTICES, REMOVED, type MediaType, type Notice, type Removed } from "../reports/attachments/clean.ts";
import { CHUNK_BYTES, prepareFile, problem, type Download, type IncomingFile, type Prepared } from "../reports/attachments/service.ts";
import * as repo from "./repository.ts";

// Files with an advisor's note (issue 4, ADR 0011 "Note files"). They pass the very gate report attachments pass
// (prepareFile: sniffed type on the allow-list, metadata removed, the size limits), and are stored the same way:
// the cleaned bytes in sealed chunks of 1 MiB, each chunk's AAD naming the contact, the file, the chunk's index and
// whether it is the last, so no chunk can be swapped between files or contacts, reordered, or cut off unnoticed.
// Unlike a report's file there is no key per file: everything is sealed under the contact's key, the key the notes
// use, so the retention job's deleting that key (with the rows) leaves no copy anywhere that can be opened.
// The use cases (who may add or read) live in service.ts; this module takes a contact the caller has checked.

/** At most this many files with one note (one form: one note and its files). */
export const NOTE_MAX_FILES = 5;

/** The sealed part of a note's file: its name and what cleaning removed. */
const metaSchema = z.object({ name: z.string(), removed: z.array(z.enum(REMOVED)), notice: z.enum(NOTICES).nullable() });

export type NoteFile = { id: string; noteId: string; name: string; mediaType: MediaType; size: number; removed: Removed[]; notice: Notice | null };

const chunkAad = (contactId: string, fileId: string, idx: number, last: boolean) =>
  `advisor-note-file-chunk:${contactId}:${fileId}:${idx}:${last ? "last" : "more"}`;
const metaAad = (contactId: string, fileId: string) => `advisor-note-file-meta:${contactId}:${fileId}`;

/** Checks and cleans a note's files, before anything is written: more than NOTE_MAX_FILES, a file too large, of a
 *  kind not allowed or one that cannot be cleaned refuses the whole note (the error names the file). */
export async function prepareNoteFiles(ctx: Context, files: IncomingFile[]): Promise<Prepared[]> {
  if (files.length > NOTE_MAX_FILES) throw problem("advisor.noteFiles.tooMany", { max: NOTE_MAX_FILES, count: files.length }, "attachment_too_many", "files");
  const out: Prepared[] = [];
  let bytes = 0;
  for (const file of files) {
    try {
      const p = await prepareFile(ctx, file, { files: out.length, bytes }, { files: NOTE_MAX_FILES, bytes: ctx.config.attachmentMaxReportBytes }, "files");
      out.push(p);
      bytes += p.bytes.length;
    } catch (e) {
      // The browser's name, only to say which file it was (never stored: nothing is, when this throws).
      if (e instanceof Invalid) e.params = { ...e.params, file: file.name.slice(0, 120) || "?" };
      throw e;
    }
  }
  return out;
}

/** Seals and stores prepared files with a note, inside the note's transaction. */
export async function insertNoteFiles(trx: Trx, key: Buffer, at: { contactId: string; noteId: string; createdAt: string }, files: Prepared[]): Promise<string[]> {
  const ids: string[] = [];
  for (const [position, p] of files.entries()) {
    const id = newId();
    const count = Math.max(1, Math.ceil(p.bytes.length / CHUNK_BYTES));
    const meta = metaSchema.parse({ name: p.name, removed: p.removed, notice: p.notice });
    await repo.insertNoteFile(trx, {
      id, contact_id: at.contactId, note_id: at.noteId, position, sealed_meta: seal(key, JSON.stringify(meta), metaAad(at.contactId, id)),
      media_type: p.mediaType, size: p.bytes.length, chunk_count: count, created_at: at.createdAt,
    });
    for (let i = 0; i < count; i++) {
      const part = p.bytes.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES);
      await repo.insertNoteFileChunk(trx, { file_id: id, idx: i, data: sealBytes(key, part, chunkAad(at.contactId, id, i, i === count - 1)) });
    }
    ids.push(id);
  }
  return ids;
}

/** A contact's files with their names opened, by note, in the order they came. */
export async function listNoteFiles(db: Db | Trx, contactId: string, key: Buffer): Promise<Map<string, NoteFile[]>> {
  const out = new Map<string, NoteFile[]>();
  for (const r of await repo.listNoteFiles(db, contactId)) {
    const meta = metaSchema.parse(JSON.parse(open(key, r.sealed_meta, metaAad(contactId, r.id)).toString("utf8")));
    out.set(r.note_id, [...(out.get(r.note_id) ?? []), { id: r.id, noteId: r.note_id, mediaType: r.media_type as MediaType, size: Number(r.size), ...meta }]);
  }
  return out;
}

/** One file of a contact, decrypted as a stream of chunks; undefined when the contact has no such file. The first
 *  chunk is opened before this returns, so a file that does not open fails before anything is sent; a later chunk
 *  that does not open (changed, moved, missing) ends the stream with an error instead of wrong bytes. */
export async function openNoteFile(db: Db, contactId: string, fileId: string, key: Buffer): Promise<Download | undefined> {
  const row = await repo.findNoteFile(db, contactId, fileId);
  if (!row) return undefined;
  const meta = metaSchema.parse(JSON.parse(open(key, row.sealed_meta, metaAad(contactId, row.id)).toString("utf8")));
  const count = Number(row.chunk_count);
  const chunk = async (i: number) => {
    const c = await repo.readNoteFileChunk(db, row.id, i);
    if (!c) throw new Error(`Note file ${row.id} misses chunk ${i}`);
    return openBytes(key, Buffer.from(c.data), chunkAad(contactId, row.id, i, i === count - 1));
  };
  const first = await chunk(0);
  async function* chunks() {
    yield first;
    for (let i = 1; i < count; i++) yield await chunk(i);
  }
  return { name: meta.name, mediaType: row.media_type as MediaType, size: Number(row.size), body: Readable.from(chunks()) };
}
