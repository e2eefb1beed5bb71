import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { NOTE_MAX_FILES } from "../../src/advisors/note-files.ts";
import { today } from "../../src/reports/deadlines.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { testApp } from "../helpers/app.ts";
import { photoWithExif } from "../helpers/attachments.ts";
import { Client } from "../helpers/client.ts";
import { makeOrganisation, signedIn } from "../helpers/fixtures.ts";

// Files with an advisor's notes through the real app (issue 4): the note form is multipart with a `multiple` file
// field; a note may be text, files or both; files are listed under their note and downloaded as attachments by the
// contact's advisor and the recorded successor only — every other role and another advisor get 404. Too many files
// and a kind of file that is not allowed are refused with the contact page and the reason. And closing a contact
// without a (well-formed) version is refused with 422.

const version = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? "";
const fileLinks = (html: string) => [...html.matchAll(/href="(\/contacten\/[0-9a-f-]+\/bestanden\/[0-9a-f-]+)"/g)].map((m) => m[1]!);
const txt = (name: string, content: string) => ({ field: "note.files", name, content, type: "text/plain" });

for (const { kind, skip } of DB_KINDS) {
  describe(`confidential advisor: files with notes (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    let org = { id: "", name: "", slug: "" };
    let advisor: Client;
    before(async () => {
      t = await testApp(kind);
      org = await makeOrganisation(t.ctx, "Gemeente Map");
      advisor = new Client(t.app, (await signedIn(t.ctx, "advisor", org.id)).sessionToken);
    });
    after(async () => { await t?.close(); });

    async function register(): Promise<string> {
      await advisor.get("/contacten/nieuw");
      const res = await advisor.post("/contacten/nieuw", {
        contactOn: today(), organisationId: org.id, unitId: "", relation: "employee", people: "1", natures: ["bullying"],
        form: "phone", conversations: "1", minutes: "45", followUp: "listening_advice",
      });
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
      return /\/contacten\/([0-9a-f-]+)$/.exec(String(res.headers.location))![1]!;
    }

    test("the note form is multipart with a multiple file field; text optional; files only, and text with files, are listed and downloaded", async () => {
      const id = await register();
      const page = await advisor.get(`/contacten/${id}`);
      const form = /<form[^>]*action="\/contacten\/[^"]+\/notities"[^>]*>(.*?)<\/form>/s.exec(page.body);
      assert.ok(form, "the note form is on the page");
      assert.match(form![0], /enctype="multipart\/form-data"/i);
      const input = /<input[^>]*name="note.files"[^>]*>/.exec(form![1]!)?.[0] ?? "";
      assert.match(input, /type="file"/);
      assert.match(input, /\smultiple=""/);
      const textarea = /<textarea[^>]*name="note.body"[^>]*>/.exec(form![1]!)![0];
      assert.doesNotMatch(textarea, /\srequired|aria-required/, "the text is not required: a note may be files only");
      assert.match(page.body, new RegExp(`tot ${NOTE_MAX_FILES} bestanden`));

      const filesOnly = await advisor.postMultipart(`/contacten/${id}/notities`, { "note.body": "" }, [txt("gespreksverslag.txt", "Verslag van het gesprek\n")]);
      assert.equal(filesOnly.statusCode, 303, filesOnly.body.slice(0, 500));
      const photo = await photoWithExif();
      const both = await advisor.postMultipart(`/contacten/${id}/notities`, { "note.body": "Foto van het briefje." },
        [{ field: "note.files", name: "briefje.jpg", content: photo, type: "image/jpeg" }, txt("tijdlijn.txt", "1 maart: gesprek\n")]);
      assert.equal(both.statusCode, 303, both.body.slice(0, 500));
      // The browser's empty file part (nothing chosen) is no file: a text note as before.
      const textOnly = await advisor.postMultipart(`/contacten/${id}/notities`, { "note.body": "Alleen tekst." }, [{ field: "note.files", name: "", content: "" }]);
      assert.equal(textOnly.statusCode, 303, textOnly.body.slice(0, 500));

      const shown = await advisor.get(`/contacten/${id}`);
      const notes = /<section id="notities".*?<\/section>/s.exec(shown.body)![0];
      for (const s of ["gespreksverslag.txt", "briefje.jpg", "tijdlijn.txt", "Foto van het briefje.", "Alleen tekst."]) assert.ok(notes.includes(s), `the notes do not show ${s}`);
      const plain = notes.replaceAll("<!-- -->", "");
      assert.match(plain, /gespreksverslag\.txt<\/span><span class="intact-visually-hidden"> \(downloaden\)<\/span><\/a> <span class="intact-files__size">\(24 bytes\)<\/span>/);
      const links = fileLinks(shown.body);
      assert.equal(links.length, 3);

      const download = await advisor.get(links[0]!);
      assert.equal(download.statusCode, 200);
      assert.equal(download.body, "Verslag van het gesprek\n");
      assert.equal(download.headers["content-type"], "text/plain; charset=utf-8");
      assert.match(String(download.headers["content-disposition"]), /^attachment; filename="gespreksverslag\.txt"/);
      assert.equal(download.headers["x-content-type-options"], "nosniff");
      assert.equal(download.headers["cache-control"], "no-store");
      const jpeg = await advisor.get(links[1]!);
      assert.equal(jpeg.headers["content-type"], "image/jpeg");
      assert.ok(!jpeg.rawPayload.includes(Buffer.from("KanarieCam")), "the photo's EXIF was removed");
      const events = await t.ctx.db.selectFrom("audit_events").select("action").where("object_id", "=", id).where("action", "=", "advisorContact.readNoteFile").execute();
      assert.equal(events.length, 2);
    });

    test("only the advisor and the recorded successor download; another advisor and every other role get 404", async () => {
      const id = await register();
      const added = await advisor.postMultipart(`/contacten/${id}/notities`, { "note.body": "" }, [txt("geheim.txt", "Alleen voor de vertrouwenspersoon\n")]);
      assert.equal(added.statusCode, 303);
      const link = fileLinks((await advisor.get(`/contacten/${id}`)).body)[0]!;
      const successorAccount = await signedIn(t.ctx, "advisor", org.id);
      const successor = new Client(t.app, successorAccount.sessionToken);
      await successor.get("/");
      assert.equal((await successor.get(link)).statusCode, 404, "not before the successor is recorded");
      const page = await advisor.get(`/contacten/${id}`);
      assert.ok(page.body.includes(successorAccount.id), "the successor can be chosen");
      const recorded = await advisor.post(`/contacten/${id}/opvolger`, { "successor.accountId": successorAccount.id, "successor.consentOn": today(), "successor.consent": "1" });
      assert.equal(recorded.statusCode, 303, recorded.body.slice(0, 300));
      const bySuccessor = await successor.get(link);
      assert.equal(bySuccessor.statusCode, 200);
      assert.equal(bySuccessor.body, "Alleen voor de vertrouwenspersoon\n");

      const other = new Client(t.app, (await signedIn(t.ctx, "advisor", org.id)).sessionToken);
      await other.get("/");
      assert.equal((await other.get(link)).statusCode, 404, "another advisor");
      for (const role of ["coordinator", "admin", "hr", "secretary", "auditor", "investigator", "employee", "manager"] as const) {
        const c = new Client(t.app, (await signedIn(t.ctx, role, org.id)).sessionToken);
        await c.get("/");
        const res = await c.get(link);
        assert.equal(res.statusCode, 404, `${role} downloading a note's file`);
        assert.doesNotMatch(res.body, /Alleen voor de vertrouwenspersoon/);
      }
      assert.equal((await advisor.get(`/contacten/${id}/bestanden/${crypto.randomUUID()}`)).statusCode, 404, "an unknown file");
    });

    test("too many files, a kind not allowed: the contact page with the reason (never a bare 413), the text kept, nothing stored", async () => {
      const id = await register();
      await advisor.get(`/contacten/${id}`);
      const stored = async () => (await t.ctx.db.selectFrom("advisor_note_files").select("id").where("contact_id", "=", id).execute()).length;
      for (const count of [NOTE_MAX_FILES + 1, NOTE_MAX_FILES + 3]) {
        const many = Array.from({ length: count }, (_, i) => txt(`bestand-${i}.txt`, `bestand ${i}\n`));
        const res = await advisor.postMultipart(`/contacten/${id}/notities`, { "note.body": "Mijn tekst blijft staan" }, many);
        assert.equal(res.statusCode, 422, `${count} files`);
        assert.match(res.body, new RegExp(`U kunt bij één notitie maximaal ${NOTE_MAX_FILES} bestanden bewaren`));
        assert.match(res.body, /href="#field-note-files"/);
        assert.match(res.body, /Mijn tekst blijft staan<\/textarea>/, "the typed text comes back");
        assert.equal(await stored(), 0);
      }
      const exe = Buffer.concat([Buffer.from("MZ"), crypto.randomBytes(300)]);
      const refused = await advisor.postMultipart(`/contacten/${id}/notities`, { "note.body": "Met een programma" },
        [txt("goed.txt", "goed\n"), { field: "note.files", name: "setup.exe", content: exe, type: "application/octet-stream" }]);
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /Dit soort bestand kunnen wij niet opslaan/);
      assert.match(refused.body, /Het ging om het bestand ‘setup\.exe’\. Er is niets bewaard\./);
      assert.match(refused.body, /Met een programma<\/textarea>/);
      assert.equal(await stored(), 0, "the good file is not stored either");
      assert.equal((await t.ctx.db.selectFrom("advisor_notes").select("id").where("contact_id", "=", id).execute()).length, 0);
      const empty = await advisor.postMultipart(`/contacten/${id}/notities`, { "note.body": " " }, []);
      assert.equal(empty.statusCode, 422);
      assert.match(empty.body, /Schrijf een notitie of kies een bestand/);
    });

    test("closing without a version, or with one that is no number, is refused with 422 and changes nothing", async () => {
      const id = await register();
      const page = await advisor.get(`/contacten/${id}`);
      for (const form of [{} as Record<string, string>, { version: "" }, { version: "twee" }, { version: "1.5" }, { version: "-1" }]) {
        const res = await advisor.post(`/contacten/${id}/afsluiten`, form);
        assert.equal(res.statusCode, 422, JSON.stringify(form));
        assert.match(res.body, /Het formulier om het contact af te sluiten was niet compleet/);
      }
      const row = await t.ctx.db.selectFrom("advisor_contacts").select(["status", "version"]).where("id", "=", id).executeTakeFirstOrThrow();
      assert.deepEqual([row.status, String(row.version)], ["open", version(page.body)]);
      assert.equal((await advisor.post(`/contacten/${id}/afsluiten`, { version: version(page.body) })).statusCode, 303);
    });
  });
}
