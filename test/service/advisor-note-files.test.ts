import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import sharp from "sharp";
import * as advisors from "../../src/advisors/service.ts";
import { NOTE_MAX_FILES } from "../../src/advisors/note-files.ts";
import { runNotesRetention } from "../../src/advisors/retention.ts";
import { CHUNK_BYTES } from "../../src/reports/attachments/service.ts";
import { DomainError, Invalid, NotFound } from "../../src/http/errors.ts";
import { addMonths, today } from "../../src/reports/deadlines.ts";
import { DB_KINDS, freshDatabase, type TestDb } from "../helpers/db.ts";
import { photoWithExif } from "../helpers/attachments.ts";
import { makeOrganisation } from "../helpers/fixtures.ts";
import { orgRole } from "../helpers/reports.ts";

// Files with an advisor's notes (issue 4) through the service: checked and cleaned as report attachments are,
// sealed in chunks under the contact key, readable by the advisor and the recorded successor only, refused when
// a chunk was changed, moved or cut off, and destroyed with the notes.

async function rejects(p: Promise<unknown>, cls: new (...a: never[]) => DomainError, fields?: Record<string, string>) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    if (fields) assert.deepEqual((e as DomainError).fields, fields);
    return true;
  });
}

const contactInput = (organisationId: string) => ({
  contactOn: "2026-03-02", organisationId, unitId: "", relation: "employee", natures: ["bullying"], people: "1", form: "in_person",
  conversations: "1", minutes: "45", followUp: "listening_advice",
});
const txt = (name: string, content: string | Buffer) => ({ name, data: Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8"), truncated: false });

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(Buffer.from(c as Buffer));
  return Buffer.concat(parts);
}

for (const { kind, skip } of DB_KINDS) {
  describe(`advisors' note files (${kind})`, { skip }, () => {
    let t: TestDb;
    before(async () => { t = await freshDatabase(kind); });
    after(async () => { await t?.drop(); });

    test("a note with files only, a note with text and files: stored sealed, listed by note, read back by advisor and successor only", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Bestand");
      const advisor = await orgRole(t.ctx, "advisor", org.id);
      const successor = await orgRole(t.ctx, "advisor", org.id);
      const other = await orgRole(t.ctx, "advisor", org.id);
      const row = await advisors.createContact(t.ctx, advisor, contactInput(org.id));
      // Larger than one chunk, so the file is stored in three: the last one short.
      const big = Buffer.from("regel van het verslag\n".repeat(Math.ceil((2.5 * CHUNK_BYTES) / 22)), "utf8");
      await advisors.addNote(t.ctx, advisor, row.id, {}, [txt("verslag.txt", big)]);
      const photo = await photoWithExif();
      await advisors.addNote(t.ctx, advisor, row.id, { body: "Met foto" }, [txt("foto.jpg", photo), txt("lijst.txt", "Punt 1\nPunt 2\n")]);

      const view = await advisors.getContact(t.ctx, advisor, row.id);
      assert.deepEqual(view.notes.map((n) => [n.body, n.files.map((f) => f.name)]), [["", ["verslag.txt"]], ["Met foto", ["foto.jpg", "lijst.txt"]]]);
      const [report] = view.notes[0]!.files;
      assert.equal(report!.size, big.length);
      const stored = await t.ctx.db.selectFrom("advisor_note_files").selectAll().where("contact_id", "=", row.id).orderBy("created_at").orderBy("position").execute();
      assert.deepEqual(stored.map((f) => [f.media_type, Number(f.chunk_count)]), [["text/plain", 3], ["image/jpeg", 1], ["text/plain", 1]]);
      assert.ok(stored.every((f) => !f.sealed_meta.includes("verslag") && !f.sealed_meta.includes("foto")), "a file name is stored in the clear");
      const chunks = await t.ctx.db.selectFrom("advisor_note_file_chunks").select("data").execute();
      assert.ok(chunks.every((c) => !Buffer.from(c.data).includes("regel van het verslag")), "file bytes are stored in the clear");

      // The photo was cleaned as a report's photo is: the EXIF (camera, maker, place) is gone.
      const photoFile = view.notes[1]!.files[0]!;
      assert.deepEqual(photoFile.removed.includes("location"), true);
      const downloaded = await advisors.readNoteFile(t.ctx, advisor, row.id, photoFile.id);
      const jpeg = await readAll(downloaded.body);
      assert.equal((await sharp(jpeg).metadata()).exif, undefined, "EXIF is kept");
      assert.ok(!jpeg.includes("KanarieCam"));

      const file = await advisors.readNoteFile(t.ctx, advisor, row.id, report!.id);
      assert.deepEqual([file.name, file.mediaType, file.size], ["verslag.txt", "text/plain", big.length]);
      assert.ok((await readAll(file.body)).equals(big), "the file comes back byte for byte");

      // Another advisor: 404 (for the file and a guessed id alike); the successor after the visitor agreed: the file.
      await rejects(advisors.readNoteFile(t.ctx, other, row.id, report!.id), NotFound);
      await rejects(advisors.readNoteFile(t.ctx, successor, row.id, report!.id), NotFound);
      await advisors.recordSuccessor(t.ctx, advisor, row.id, { accountId: successor.accountId, consentOn: "2026-03-03", consent: "1" });
      assert.ok((await readAll((await advisors.readNoteFile(t.ctx, successor, row.id, report!.id)).body)).equals(big));
      await rejects(advisors.readNoteFile(t.ctx, advisor, row.id, crypto.randomUUID()), NotFound);
      const other2 = await advisors.createContact(t.ctx, advisor, contactInput(org.id));
      await rejects(advisors.readNoteFile(t.ctx, advisor, other2.id, report!.id), NotFound, undefined);

      const events = await t.ctx.db.selectFrom("audit_events").select(["action", "organisation_id", "details"]).where("object_id", "=", row.id)
        .where("action", "=", "advisorContact.readNoteFile").execute();
      assert.equal(events.length, 3, "every download is recorded");
      assert.ok(events.every((e) => e.organisation_id === null && !String(e.details ?? "").includes("verslag")), "the event tells nothing about the file");
    });

    test("a changed, swapped, reordered or missing chunk is refused, never served as the file", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Knoei");
      const advisor = await orgRole(t.ctx, "advisor", org.id);
      const row = await advisors.createContact(t.ctx, advisor, contactInput(org.id));
      const big = Buffer.from("x".repeat(2 * CHUNK_BYTES + 10), "utf8");
      await advisors.addNote(t.ctx, advisor, row.id, { body: "twee bestanden" }, [txt("a.txt", big), txt("b.txt", "kort bestand\n")]);
      const [a, b] = (await advisors.getContact(t.ctx, advisor, row.id)).notes[0]!.files;
      const chunk = async (fileId: string, idx: number) =>
        Buffer.from((await t.ctx.db.selectFrom("advisor_note_file_chunks").select("data").where("file_id", "=", fileId).where("idx", "=", idx).executeTakeFirstOrThrow()).data);
      const put = (fileId: string, idx: number, data: Buffer) =>
        t.ctx.db.updateTable("advisor_note_file_chunks").set({ data }).where("file_id", "=", fileId).where("idx", "=", idx).execute();
      const original = await chunk(a!.id, 0);

      // One bit flipped in the first chunk: refused before anything is sent.
      const flipped = Buffer.from(original);
      flipped[flipped.length - 1]! ^= 0x01;
      await put(a!.id, 0, flipped);
      await assert.rejects(advisors.readNoteFile(t.ctx, advisor, row.id, a!.id));
      // Another file's chunk in its place (same key, same contact): refused, the AAD names the file.
      await put(a!.id, 0, await chunk(b!.id, 0));
      await assert.rejects(advisors.readNoteFile(t.ctx, advisor, row.id, a!.id));
      await put(a!.id, 0, original);
      // Two chunks swapped: the stream fails at the first wrong one.
      const [one, two] = [await chunk(a!.id, 1), await chunk(a!.id, 2)];
      await put(a!.id, 1, two);
      await put(a!.id, 2, one);
      await assert.rejects(readAll((await advisors.readNoteFile(t.ctx, advisor, row.id, a!.id)).body));
      await put(a!.id, 1, one);
      await put(a!.id, 2, two);
      assert.ok((await readAll((await advisors.readNoteFile(t.ctx, advisor, row.id, a!.id)).body)).equals(big), "put back, it reads again");
      // Cut off: the last chunk deleted and the count lowered to match: the new last one was sealed as "more".
      await t.ctx.db.deleteFrom("advisor_note_file_chunks").where("file_id", "=", a!.id).where("idx", "=", 2).execute();
      await t.ctx.db.updateTable("advisor_note_files").set({ chunk_count: 2 }).where("id", "=", a!.id).execute();
      await assert.rejects(readAll((await advisors.readNoteFile(t.ctx, advisor, row.id, a!.id)).body));
    });

    test("limits and cleaning as for report attachments: too many files, a kind not allowed, an empty note; nothing is stored", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Grens");
      const advisor = await orgRole(t.ctx, "advisor", org.id);
      const row = await advisors.createContact(t.ctx, advisor, contactInput(org.id));
      const many = Array.from({ length: NOTE_MAX_FILES + 1 }, (_, i) => txt(`f${i}.txt`, `bestand ${i}\n`));
      await rejects(advisors.addNote(t.ctx, advisor, row.id, { body: "te veel" }, many), Invalid, { files: "advisor.noteFiles.tooMany" });
      await advisors.addNote(t.ctx, advisor, row.id, {}, many.slice(0, NOTE_MAX_FILES));
      const exe = Buffer.concat([Buffer.from("MZ"), crypto.randomBytes(200)]);
      await assert.rejects(advisors.addNote(t.ctx, advisor, row.id, { body: "met programma" }, [txt("a.txt", "goed\n"), txt("setup.exe", exe)]), (e: unknown) => {
        assert.ok(e instanceof Invalid);
        assert.deepEqual(e.fields, { files: "intake.files.refused.unknownType" });
        assert.equal(e.params.file, "setup.exe", "the error names the file");
        return true;
      });
      const tooLarge = { name: "groot.txt", data: Buffer.alloc(10, 0x61), truncated: true };
      await rejects(advisors.addNote(t.ctx, advisor, row.id, {}, [tooLarge]), Invalid, { files: "intake.files.tooLarge" });
      await rejects(advisors.addNote(t.ctx, advisor, row.id, { body: "  " }, []), Invalid, { body: "advisor.noteRequired" });
      const notes = (await advisors.getContact(t.ctx, advisor, row.id)).notes;
      assert.deepEqual(notes.map((n) => n.files.length), [NOTE_MAX_FILES], "only the note that passed is stored");
      assert.equal((await t.ctx.db.selectFrom("advisor_note_files").select("id").where("contact_id", "=", row.id).execute()).length, NOTE_MAX_FILES);
    });

    test("retention destroys the files with the notes and the key", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Vergeten Bestand");
      const advisor = await orgRole(t.ctx, "advisor", org.id);
      const row = await advisors.createContact(t.ctx, advisor, contactInput(org.id));
      const keep = await advisors.createContact(t.ctx, advisor, contactInput(org.id));
      await advisors.addNote(t.ctx, advisor, row.id, { body: "met bestand" }, [txt("a.txt", "x".repeat(CHUNK_BYTES + 5))]);
      await advisors.addNote(t.ctx, advisor, keep.id, {}, [txt("b.txt", "blijft\n")]);
      const fileId = (await advisors.getContact(t.ctx, advisor, row.id)).notes[0]!.files[0]!.id;
      await advisors.closeContact(t.ctx, advisor, row.id, { version: String((await advisors.getContact(t.ctx, advisor, row.id, { notes: false })).contact.version) });
      const count = async (contactId: string) => ({
        files: (await t.ctx.db.selectFrom("advisor_note_files").select("id").where("contact_id", "=", contactId).execute()).length,
        chunks: (await t.ctx.db.selectFrom("advisor_note_file_chunks").innerJoin("advisor_note_files", "advisor_note_files.id", "advisor_note_file_chunks.file_id")
          .select("advisor_note_file_chunks.idx").where("advisor_note_files.contact_id", "=", contactId).execute()).length,
      });
      assert.deepEqual(await count(row.id), { files: 1, chunks: 2 });
      const onTheDay = Date.parse(`${addMonths(today(), 12)}T12:00:00Z`);
      assert.equal((await runNotesRetention(t.ctx, onTheDay)).destroyed, 1);
      assert.deepEqual(await count(row.id), { files: 0, chunks: 0 });
      assert.equal((await t.ctx.db.selectFrom("advisor_note_file_chunks").select("idx").where("file_id", "=", fileId).execute()).length, 0);
      await rejects(advisors.readNoteFile(t.ctx, advisor, row.id, fileId), NotFound);
      assert.deepEqual(await count(keep.id), { files: 1, chunks: 1 }, "another (open) contact's files stay");
    });
  });
}
