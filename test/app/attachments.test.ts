import { after, before, describe, mock, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import type { LightMyRequestResponse } from "fastify";
import { strToU8, zipSync } from "fflate";
import { PDFDocument } from "pdf-lib";
import sharp from "sharp";
import { createApiToken } from "../../src/auth/service.ts";
import { runHousekeeping } from "../../src/jobs/housekeeping.ts";
import { addFromReporter, storePending, UploadsGone } from "../../src/reports/attachments/service.ts";
import { submitReport } from "../../src/reports/intake.ts";
import { runRetention } from "../../src/reports/retention.ts";
import { testApp } from "../helpers/app.ts";
import { multipartBody, photoWithExif } from "../helpers/attachments.ts";
import { Client } from "../helpers/client.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { makeOrganisation, signedIn } from "../helpers/fixtures.ts";
import { makeReport, orgRole, reportAnswers } from "../helpers/reports.ts";

// Attachments end to end through the real app: the intake's files step (multipart, with the sealed draft and
// the CSRF token as fields), the pending upload and its key in the draft, "Versturen", the case page's list,
// the download (attachment, nosniff, no EXIF left), the mailbox, the limits, housekeeping and isolation.

const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
const h1 = (html: string) => /<h1[^>]*>(.*?)<\/h1>/s.exec(html)?.[1];
const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** A reporter's browser on the intake, as in intake.test.ts, with the files step's multipart form. */
class Reporter extends Client {
  last!: LightMyRequestResponse;
  constructor(app: ConstructorParameters<typeof Client>[0], readonly slug: string) { super(app); }
  private form(nav: string, fields: Record<string, string>) {
    const form: Record<string, string> = { draft: unescape(hidden(this.last.body, "draft")!), step: hidden(this.last.body, "step")!, nav, ...fields };
    const from = hidden(this.last.body, "from");
    if (from) form.from = from;
    return form;
  }
  async start() { await this.get(`/melden/${this.slug}`); this.last = await this.post(`/melden/${this.slug}/stap`, { nav: "start" }); return this.last; }
  async press(nav: string, fields: Record<string, string> = {}) { this.last = await this.post(`/melden/${this.slug}/stap`, this.form(nav, fields)); return this.last; }
  next(fields: Record<string, string> = {}) { return this.press("next", fields); }
  /** Presses a button of the (multipart) files step, with a file chosen or not. */
  async files(nav: string, file?: { name: string; content: Buffer | string }, opts: { csrf?: boolean } = {}) {
    const res = await this.postMultipart(`/melden/${this.slug}/stap`, this.form(nav, {}), file, opts);
    if (res.statusCode !== 403) this.last = res;
    return res;
  }
  async send() { this.last = await this.post(`/melden/${this.slug}/versturen`, { draft: unescape(hidden(this.last.body, "draft")!) }); return this.last; }
  /** From the first question to the files step, with the fewest answers. */
  async toFiles(categoryId: string) {
    await this.start();
    await this.next({ categoryId });
    await this.next({ description: "Er verdwijnt geld uit de kas." });
    await this.next({ occurredOn: "", occurredWhen: "" });
    await this.next({ unitId: "", location: "" });
    await this.next({ involved: "" });
    await this.next({ howKnown: "saw", howKnownDetail: "" });
    await this.next({ reportedBefore: "no", reportedBeforeDetail: "" });
    return this.next({ concernsHandler: "no" });
  }
}

for (const { kind, skip } of DB_KINDS) {
  describe(`attachments (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    before(async () => { t = await testApp(kind); });
    after(async () => { await t?.close(); });

    const counts = async () => ({
      attachments: (await t.ctx.db.selectFrom("report_attachments").select("id").execute()).length,
      chunks: (await t.ctx.db.selectFrom("attachment_chunks").select("attachment_id").execute()).length,
    });

    test("a reporter adds a photo with EXIF on the files step and sends; the coordinator downloads it without EXIF", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Fotostad");
      const categoryId = (await reportAnswers(t.ctx, org.slug)).categoryId;
      const r = new Reporter(t.app, org.slug);
      let p = await r.toFiles(categoryId);
      assert.equal(h1(p.body), "Wilt u bestanden meesturen?");
      assert.match(p.body, /Vraag 9 van 12/);
      assert.match(p.body, /enctype="multipart\/form-data"/i);
      assert.match(p.body, /Een bestand mag maximaal 25 MB zijn/);
      assert.match(p.body, /U heeft nog geen bestanden toegevoegd/);

      const photo = await photoWithExif();
      assert.ok((await sharp(photo).metadata()).exif, "the fixture has EXIF");
      const before0 = await counts();
      // The CSRF token is checked in a multipart body too: without it nothing is stored.
      const forged = await r.files("upload", { name: "kantine-foto.jpg", content: photo }, { csrf: false });
      assert.equal(forged.statusCode, 403);
      assert.deepEqual(await counts(), before0);

      p = await r.files("upload", { name: "kantine-foto.jpg", content: photo });
      assert.equal(p.statusCode, 200, p.body);
      assert.equal(h1(p.body), "Wilt u bestanden meesturen?");
      assert.match(p.body, /Het bestand kantine-foto\.jpg is toegevoegd/);
      assert.match(p.body, /kantine-foto\.jpg/);
      assert.match(p.body, /Locatie, cameragegevens, datum en naam van de maker verwijderd\./);
      // Stored pending: no report, no key and no name in the row, gone after 24 hours unless sent.
      const pending = await t.ctx.db.selectFrom("report_attachments").selectAll().where("organisation_id", "=", org.id).execute();
      assert.equal(pending.length, 1);
      assert.equal(pending[0]!.report_id, null);
      assert.equal(pending[0]!.wrapped_key, null);
      assert.equal(pending[0]!.sealed_meta, null);
      assert.equal(pending[0]!.media_type, "image/jpeg");
      const hours = (Date.parse(pending[0]!.pending_until!) - Date.now()) / 3_600_000;
      assert.ok(hours > 23.9 && hours <= 24, `pending for ${hours} hours`);

      p = await r.next();
      assert.equal(h1(p.body), "Hoe wilt u bekend zijn?");
      p = await r.next({ mode: "anonymous" });
      p = await r.next({ noticeEmail: "" });
      assert.equal(h1(p.body), "Controleer uw antwoorden");
      assert.match(p.body, /Bestanden/);
      assert.match(p.body, /kantine-foto\.jpg \([0-9,]+ (bytes|kB)\)/);
      p = await r.send();
      assert.equal(p.statusCode, 200, p.body);
      const receipt = /data-testid="receipt">(\d{4} \d{4} \d{4} \d{4})</.exec(p.body)?.[1];
      assert.ok(receipt);

      const row = await t.ctx.db.selectFrom("report_attachments").selectAll().where("id", "=", pending[0]!.id).executeTakeFirstOrThrow();
      assert.ok(row.report_id && row.entry_id && row.wrapped_key && row.sealed_meta);
      assert.equal(row.pending_until, null);
      const submit = await t.ctx.db.selectFrom("audit_events").select("details").where("action", "=", "report.submit").where("object_id", "=", row.report_id).executeTakeFirstOrThrow();
      assert.equal(JSON.parse(submit.details).attachments, 1);

      // The coordinator sees the file on the case page and downloads it.
      const coordinator = await signedIn(t.ctx, "coordinator", org.id);
      const c = new Client(t.app, coordinator.sessionToken);
      const page = await c.get(`/meldingen/${row.report_id}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h2[^>]*id="bijlagen-title"[^>]*>Bijlagen<\/h2>/);
      assert.match(page.body, new RegExp(`href="/meldingen/${row.report_id}/bijlagen/${row.id}"`));
      assert.match(page.body, /Afbeelding/);
      assert.match(page.body, /Bestanden ontvangen/);
      assert.match(page.body, /Melder/);
      const download = await c.get(`/meldingen/${row.report_id}/bijlagen/${row.id}`);
      assert.equal(download.statusCode, 200);
      assert.equal(download.headers["content-type"], "image/jpeg");
      assert.equal(download.headers["content-disposition"], "attachment; filename=\"kantine-foto.jpg\"; filename*=UTF-8''kantine-foto.jpg");
      assert.equal(download.headers["x-content-type-options"], "nosniff");
      assert.equal(download.headers["cache-control"], "no-store");
      const bytes = download.rawPayload;
      assert.equal(bytes.length, Number(row.size));
      const meta = await sharp(bytes).metadata();
      assert.equal(meta.format, "jpeg");
      assert.equal(meta.exif, undefined, "no EXIF in the download");
      assert.deepEqual([meta.width, meta.height], [80, 40]);
      assert.ok(!bytes.toString("latin1").includes("KANARIE"));
      const read = await t.ctx.db.selectFrom("audit_events").select(["details", "actor_id"]).where("action", "=", "report.attachmentRead").where("object_id", "=", row.report_id).execute();
      assert.equal(read.length, 1);
      assert.equal(read[0]!.actor_id, coordinator.id);
      assert.equal(JSON.parse(read[0]!.details).attachmentId, row.id);

      // The reporter sees in the mailbox what was sent, not a download.
      const mb = new Client(t.app);
      await mb.get(`/melden/${org.slug}/postbus`);
      const opened = await mb.post(`/melden/${org.slug}/postbus`, { receipt: receipt!.replace(/ /g, "") });
      assert.equal(opened.statusCode, 303);
      const box = await mb.get(`/melden/${org.slug}/postbus/berichten`);
      assert.match(box.body, /U stuurde een bestand:/);
      assert.match(box.body, /kantine-foto\.jpg/);
      assert.doesNotMatch(box.body, /bijlagen/);
    });

    test("an Office file with a picture or an embedded object that cannot be cleaned is refused with the reason, in Dutch and English", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Kantoorstad");
      const r = new Reporter(t.app, org.slug);
      await r.toFiles((await reportAnswers(t.ctx, org.slug)).categoryId);
      const word = (parts: Record<string, Uint8Array>) => Buffer.from(zipSync({
        "[Content_Types].xml": strToU8(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>`
          + `<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`),
        "word/document.xml": strToU8(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>`),
        ...parts,
      }));
      // A picture with an artistic effect (Office keeps the original as JPEG XR), and an OLE object (an old document inside).
      const jpegXr = word({ "word/media/hdphoto1.wdp": Buffer.concat([Buffer.from([0x49, 0x49, 0xbc, 0x01]), Buffer.alloc(60)]) });
      const ole = Buffer.alloc(4096);
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
      const embedded = word({ "word/embeddings/oleObject1.bin": ole });

      let p = await r.files("upload", { name: "verslag.docx", content: jpegXr });
      assert.equal(p.statusCode, 422);
      assert.match(p.body, /Dit document bevat een afbeelding waaruit wij de verborgen gegevens niet kunnen halen\. Sla het document op als PDF en probeer het opnieuw\./);
      p = await r.files("upload", { name: "verslag.docx", content: embedded });
      assert.equal(p.statusCode, 422);
      assert.match(p.body, /Dit document bevat een ander bestand of object \(bijvoorbeeld een ingevoegd document of werkblad\) waaruit wij de verborgen gegevens niet kunnen halen\./);

      await r.press("lang", { locale: "en" });
      p = await r.files("upload", { name: "report.docx", content: jpegXr });
      assert.equal(p.statusCode, 422);
      assert.match(p.body, /This document contains a picture we cannot remove the hidden data from\. Save the document as PDF and try again\./);
      p = await r.files("upload", { name: "report.docx", content: embedded });
      assert.match(p.body, /This document contains another file or object \(for example an inserted document or worksheet\) we cannot remove the hidden data from\./);
      assert.equal((await t.ctx.db.selectFrom("report_attachments").select("id").where("organisation_id", "=", org.id).execute()).length, 0);
    });

    test("the file name and bytes of an upload are not in the database in the clear", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Geheimstad");
      const text = "KANARIE-inhoud van de bijlage: wie, wat, waar.";
      const up = await storePending(t.ctx, org.id, { name: "KANARIE-naam.txt", data: Buffer.from(text), truncated: false }, []);
      const sent = await submitReport(t.ctx, org.slug, await reportAnswers(t.ctx, org.slug), { locale: "nl", uploads: [up] });
      await addFromReporter(t.ctx, sent.reportId, { name: "KANARIE-tweede.txt", data: Buffer.from(`${text} (2)`), truncated: false });
      let dump: string;
      if (kind === "sqlite") {
        const file = t.database.sqlitePath!;
        dump = [file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f).toString("latin1")).join("\n");
      } else {
        dump = execFileSync("pg_dump", ["--no-owner", t.url!], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
      }
      assert.ok(dump.includes("Gemeente Geheimstad"), "sanity check of the check");
      assert.ok(!dump.includes("KANARIE"), "a file name or its content is in the database in the clear");
    });

    test("the mailbox sends a file straight to the case; closed cases take none", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Postbus");
      const sent = await makeReport(t.ctx, org.slug);
      const mb = new Client(t.app);
      await mb.get(`/melden/${org.slug}/postbus`);
      await mb.post(`/melden/${org.slug}/postbus`, { receipt: sent.receipt! });
      let box = await mb.get(`/melden/${org.slug}/postbus/berichten`);
      assert.match(box.body, new RegExp(`<form[^>]*action="/melden/${org.slug}/postbus/bestanden"[^>]*enctype="multipart/form-data"|<form[^>]*enctype="multipart/form-data"[^>]*action="/melden/${org.slug}/postbus/bestanden"`, "i"));
      assert.match(box.body, /Een bestand sturen/);

      const pdf = await PDFDocument.create();
      pdf.addPage();
      pdf.setAuthor("Jan Melder");
      const res = await mb.postMultipart(`/melden/${org.slug}/postbus/bestanden`, {}, { name: "brief.pdf", content: Buffer.from(await pdf.save()) });
      assert.equal(res.statusCode, 303, res.body);
      box = await mb.get(`/melden/${org.slug}/postbus/berichten`);
      assert.match(box.body, /Uw bestand is verstuurd/);
      assert.match(box.body, /U stuurde een bestand:/);
      assert.match(box.body, /brief\.pdf/);
      assert.match(box.body, /Datum, naam van de maker en documenteigenschappen verwijderd\./);

      const rows = await t.ctx.db.selectFrom("report_attachments").selectAll().where("report_id", "=", sent.reportId).execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.media_type, "application/pdf");
      assert.equal(rows[0]!.pending_until, null);
      const added = await t.ctx.db.selectFrom("audit_events").select("actor_type").where("action", "=", "report.attachmentAdd").where("object_id", "=", sent.reportId).execute();
      assert.deepEqual(added.map((a) => a.actor_type), ["anonymous"]);

      // A wrong type: refused in words, nothing stored.
      const bad = await mb.postMultipart(`/melden/${org.slug}/postbus/bestanden`, {}, { name: "rapport.pdf", content: "<!DOCTYPE html><html><script>alert(1)</script></html>" });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /Dit soort bestand kunnen wij niet opslaan/);
      assert.match(bad.body, /href="#field-file"/);
      const none = await mb.postMultipart(`/melden/${org.slug}/postbus/bestanden`, {}, { name: "", content: "" });
      assert.equal(none.statusCode, 422);
      assert.match(none.body, /Kies eerst een bestand/);
      assert.equal((await t.ctx.db.selectFrom("report_attachments").select("id").where("report_id", "=", sent.reportId).execute()).length, 1);

      // Without a mailbox session: back to the receipt form, nothing stored.
      const stranger = new Client(t.app);
      await stranger.get(`/melden/${org.slug}/postbus`);
      const nope = await stranger.postMultipart(`/melden/${org.slug}/postbus/bestanden`, {}, { name: "x.txt", content: "hallo" });
      assert.equal(nope.statusCode, 303);
      assert.equal((await t.ctx.db.selectFrom("report_attachments").select("id").where("report_id", "=", sent.reportId).execute()).length, 1);

      // A closed case takes no files: no form, and a post is refused.
      await t.ctx.db.updateTable("reports").set({ status: "closed", closed_at: new Date().toISOString() }).where("id", "=", sent.reportId).execute();
      box = await mb.get(`/melden/${org.slug}/postbus/berichten`);
      assert.doesNotMatch(box.body, /Een bestand sturen/);
      const closed = await mb.postMultipart(`/melden/${org.slug}/postbus/bestanden`, {}, { name: "laat.txt", content: "te laat" });
      assert.equal(closed.statusCode, 422);
      assert.match(closed.body, /Deze melding is afgesloten/);
      assert.equal((await t.ctx.db.selectFrom("report_attachments").select("id").where("report_id", "=", sent.reportId).execute()).length, 1);
    });

    test("a file larger than a chunk comes back byte for byte; chunks moved around do not open", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Brokstad");
      const text = Buffer.from(Array.from({ length: 2_600_000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join(""));
      const up = await storePending(t.ctx, org.id, { name: "logboek.txt", data: text, truncated: false }, []);
      const sent = await submitReport(t.ctx, org.slug, await reportAnswers(t.ctx, org.slug), { locale: "nl", uploads: [up] });
      const chunks = await t.ctx.db.selectFrom("attachment_chunks").select(["idx", "data"]).where("attachment_id", "=", up.id).orderBy("idx").execute();
      assert.equal(chunks.length, 3);
      assert.ok(chunks.every((c) => Buffer.from(c.data).length <= 1024 * 1024 + 29));
      const c = new Client(t.app, (await signedIn(t.ctx, "coordinator", org.id)).sessionToken);
      const url = `/meldingen/${sent.reportId}/bijlagen/${up.id}`;
      const res = await c.get(url);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers["content-type"], "text/plain; charset=utf-8");
      assert.ok(res.rawPayload.equals(text));

      // Swap the first two chunks: each is bound to its place, so the download fails instead of giving other bytes.
      const [a, b] = chunks;
      await t.ctx.db.updateTable("attachment_chunks").set({ data: Buffer.from(b!.data) }).where("attachment_id", "=", up.id).where("idx", "=", 0).execute();
      await t.ctx.db.updateTable("attachment_chunks").set({ data: Buffer.from(a!.data) }).where("attachment_id", "=", up.id).where("idx", "=", 1).execute();
      assert.equal((await c.get(url)).statusCode, 500);
      // Drop the last chunk: the one before it is not marked last, so the file cannot end early unnoticed.
      await t.ctx.db.updateTable("attachment_chunks").set({ data: Buffer.from(a!.data) }).where("attachment_id", "=", up.id).where("idx", "=", 0).execute();
      await t.ctx.db.updateTable("attachment_chunks").set({ data: Buffer.from(b!.data) }).where("attachment_id", "=", up.id).where("idx", "=", 1).execute();
      assert.ok((await c.get(url)).rawPayload.equals(text), "restored");
      await t.ctx.db.updateTable("report_attachments").set({ chunk_count: 2 }).where("id", "=", up.id).execute();
      await assert.rejects(async () => {
        const r = await c.get(url);
        if (r.statusCode >= 500 || r.rawPayload.length !== text.length) throw new Error(`status ${r.statusCode}, ${r.rawPayload.length} bytes`);
      });
    });

    test("removing a file on the files step deletes its pending upload", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Wisstad");
      const r = new Reporter(t.app, org.slug);
      await r.toFiles((await reportAnswers(t.ctx, org.slug)).categoryId);
      let p = await r.files("upload", { name: "notitie.txt", content: "Wat ik zag." });
      assert.equal(p.statusCode, 200);
      const [row] = await t.ctx.db.selectFrom("report_attachments").select("id").where("organisation_id", "=", org.id).execute();
      assert.ok(row);
      assert.match(p.body, /Geen verborgen gegevens gevonden/);
      p = await r.files(`remove:${row.id}`);
      assert.equal(p.statusCode, 200);
      assert.match(p.body, /Het bestand is verwijderd/);
      assert.match(p.body, /U heeft nog geen bestanden toegevoegd/);
      assert.equal((await t.ctx.db.selectFrom("report_attachments").select("id").where("organisation_id", "=", org.id).execute()).length, 0);
      assert.equal((await t.ctx.db.selectFrom("attachment_chunks").select("idx").where("attachment_id", "=", row.id).execute()).length, 0);
      // "Volgende" with a file still chosen adds it and goes on.
      p = await r.files("next", { name: "tweede.txt", content: "Nog iets." });
      assert.equal(h1(p.body), "Hoe wilt u bekend zijn?");
      assert.equal((await t.ctx.db.selectFrom("report_attachments").select("id").where("organisation_id", "=", org.id).execute()).length, 1);
    });

    test("a pending upload that is never sent is removed by housekeeping after 24 hours; the draft then asks to add it again", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Vergeetstad");
      const r = new Reporter(t.app, org.slug);
      await r.toFiles((await reportAnswers(t.ctx, org.slug)).categoryId);
      await r.files("upload", { name: "bewijs.txt", content: "Het staat hier." });
      const mine = () => t.ctx.db.selectFrom("report_attachments").select("id").where("organisation_id", "=", org.id).execute();
      assert.equal((await mine()).length, 1);
      assert.equal((await runHousekeeping(t.ctx, Date.now() + 23 * 3_600_000)).uploads, 0);
      assert.equal((await mine()).length, 1);
      const h = await runHousekeeping(t.ctx, Date.now() + 25 * 3_600_000);
      assert.ok(h.uploads >= 1);
      assert.equal((await mine()).length, 0);
      assert.equal((await t.ctx.db.selectFrom("attachment_chunks").innerJoin("report_attachments", "report_attachments.id", "attachment_chunks.attachment_id")
        .select("idx").where("report_attachments.organisation_id", "=", org.id).execute()).length, 0);

      await r.next();
      await r.next({ mode: "anonymous" });
      let p = await r.next({ noticeEmail: "" });
      assert.match(p.body, /bewijs\.txt/);
      p = await r.send();
      assert.equal(p.statusCode, 422);
      assert.match(p.body, /niet meer bij ons bewaard/);
      assert.doesNotMatch(p.body, /bewijs\.txt/);
      assert.equal((await t.ctx.db.selectFrom("reports").select("id").where("organisation_id", "=", org.id).execute()).length, 0, "nothing half-written");
      p = await r.send();
      assert.equal(p.statusCode, 200);
      assert.equal((await t.ctx.db.selectFrom("reports").select("id").where("organisation_id", "=", org.id).execute()).length, 1);
    });

    test("retention destroys a case's files with the rest of its content", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Bewaar");
      const sent = await makeReport(t.ctx, org.slug);
      const info = await addFromReporter(t.ctx, sent.reportId, { name: "oud.txt", data: Buffer.from("lang geleden"), truncated: false });
      await t.ctx.db.updateTable("reports").set({ status: "closed", closed_at: "2015-01-01T10:00:00.000Z", retain_until: "2020-01-01" })
        .where("id", "=", sent.reportId).execute();
      await runRetention(t.ctx);
      assert.equal((await t.ctx.db.selectFrom("report_attachments").select("id").where("report_id", "=", sent.reportId).execute()).length, 0);
      assert.equal((await t.ctx.db.selectFrom("attachment_chunks").select("idx").where("attachment_id", "=", info.id).execute()).length, 0);
    });

    test("a pending upload is attached once, and only to the organisation it was uploaded for", async () => {
      const orgA = await makeOrganisation(t.ctx, "Gemeente Een");
      const orgB = await makeOrganisation(t.ctx, "Gemeente Twee");
      const up = await storePending(t.ctx, orgA.id, { name: "a.txt", data: Buffer.from("eenmalig"), truncated: false }, []);
      await assert.rejects(submitReport(t.ctx, orgB.slug, await reportAnswers(t.ctx, orgB.slug), { locale: "nl", uploads: [up] }), UploadsGone);
      assert.equal((await t.ctx.db.selectFrom("reports").select("id").where("organisation_id", "=", orgB.id).execute()).length, 0);
      // A key that does not open the file is refused too (a draft is sealed, so this is only defence in depth).
      await assert.rejects(submitReport(t.ctx, orgA.slug, await reportAnswers(t.ctx, orgA.slug), { locale: "nl", uploads: [{ ...up, key: Buffer.alloc(32, 7).toString("base64") }] }), UploadsGone);
      await submitReport(t.ctx, orgA.slug, await reportAnswers(t.ctx, orgA.slug), { locale: "nl", uploads: [up] });
      await assert.rejects(submitReport(t.ctx, orgA.slug, await reportAnswers(t.ctx, orgA.slug), { locale: "nl", uploads: [up] }), UploadsGone);
      assert.equal((await t.ctx.db.selectFrom("reports").select("id").where("organisation_id", "=", orgA.id).execute()).length, 1);
    });

    test("downloads answer 404 outside one's view; the API lists and serves files to who may read the case", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Zicht");
      const other = await makeOrganisation(t.ctx, "Gemeente Elders");
      const up = await storePending(t.ctx, org.id, { name: "foto.jpg", data: await photoWithExif(), truncated: false }, []);
      const sent = await submitReport(t.ctx, org.slug, await reportAnswers(t.ctx, org.slug), { locale: "nl", uploads: [up] });
      const elsewhere = await makeReport(t.ctx, other.slug);
      const url = `/meldingen/${sent.reportId}/bijlagen/${up.id}`;

      const outsider = new Client(t.app, (await signedIn(t.ctx, "coordinator", other.id)).sessionToken);
      assert.equal((await outsider.get(url)).statusCode, 404);
      const admin = new Client(t.app, (await signedIn(t.ctx, "admin", org.id)).sessionToken);
      assert.equal((await admin.get(url)).statusCode, 403);
      const coordinator = new Client(t.app, (await signedIn(t.ctx, "coordinator", org.id)).sessionToken);
      assert.equal((await coordinator.get(url)).statusCode, 200);
      assert.equal((await coordinator.get(`/meldingen/${sent.reportId}/bijlagen/${crypto.randomUUID()}`)).statusCode, 404);
      // The attachment id of this case under another case's address: not found either.
      const own = await makeReport(t.ctx, org.slug);
      assert.equal((await coordinator.get(`/meldingen/${own.reportId}/bijlagen/${up.id}`)).statusCode, 404);
      // An investigator reaches it only on a case assigned to them.
      const investigator = await signedIn(t.ctx, "investigator", org.id);
      const inv = new Client(t.app, investigator.sessionToken);
      assert.equal((await inv.get(`/onderzoeken/${sent.reportId}/bijlagen/${up.id}`)).statusCode, 404);
      await t.ctx.db.updateTable("reports").set({ investigator_account_id: investigator.id }).where("id", "=", sent.reportId).execute();
      const asInvestigator = await inv.get(`/onderzoeken/${sent.reportId}/bijlagen/${up.id}`);
      assert.equal(asInvestigator.statusCode, 200);
      assert.equal((await sharp(asInvestigator.rawPayload).metadata()).exif, undefined);

      const actor = await orgRole(t.ctx, "coordinator", org.id);
      const token = (await createApiToken(t.ctx, { type: "system", id: "test" }, actor.accountId, "bijlagen", 1)).token;
      const otherActor = await orgRole(t.ctx, "coordinator", other.id);
      const otherToken = (await createApiToken(t.ctx, { type: "system", id: "test" }, otherActor.accountId, "elders", 1)).token;
      const api = (path: string, tok = token) => t.app.inject({ method: "GET", url: `/api/v1${path}`, headers: { authorization: `Bearer ${tok}` } });
      const view = await api(`/cases/${sent.reportId}`);
      assert.equal(view.statusCode, 200);
      const attachments = (view.json() as { attachments: { id: string; name: string; mediaType: string; size: number; from: string; removed: string[] }[] }).attachments;
      assert.deepEqual(attachments.map((a) => [a.id, a.name, a.mediaType, a.from]), [[up.id, "foto.jpg", "image/jpeg", "reporter"]]);
      assert.deepEqual(attachments[0]!.removed, ["location", "camera", "date", "author"]);
      const file = await api(`/cases/${sent.reportId}/attachments/${up.id}`);
      assert.equal(file.statusCode, 200);
      assert.equal(file.headers["content-type"], "image/jpeg");
      assert.match(String(file.headers["content-disposition"]), /^attachment; /);
      assert.equal(file.headers["x-content-type-options"], "nosniff");
      assert.equal(file.rawPayload.length, attachments[0]!.size);
      assert.equal((await api(`/cases/${sent.reportId}/attachments/${up.id}`, otherToken)).statusCode, 404);
      assert.equal((await api(`/cases/${elsewhere.reportId}/attachments/${up.id}`, otherToken)).statusCode, 404);
      const doc = await t.app.inject({ method: "GET", url: "/api/v1/openapi.json" });
      assert.match(doc.body, /"getCaseAttachment"/);
    });
  });

  describe(`attachment pending cap (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    before(async () => { t = await testApp(kind, { ATTACHMENT_MAX_PENDING_MB: "1" }); });
    after(async () => { await t?.close(); });

    test("unsent uploads of an organisation are capped together: past the cap the files step refuses in words and stores nothing", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Volstad");
      const other = await makeOrganisation(t.ctx, "Gemeente Ruimstad");
      const half = (c: string) => c.repeat(600 * 1024);
      const mine = () => t.ctx.db.selectFrom("report_attachments").select(["id", "size"]).where("organisation_id", "=", org.id).execute();

      // One reporter's upload fills most of the cap; another reporter's upload to the same organisation does not fit.
      const first = new Reporter(t.app, org.slug);
      await first.toFiles((await reportAnswers(t.ctx, org.slug)).categoryId);
      assert.equal((await first.files("upload", { name: "eerste.txt", content: half("a") })).statusCode, 200);
      const second = new Reporter(t.app, org.slug);
      await second.toFiles((await reportAnswers(t.ctx, org.slug)).categoryId);
      const warn = mock.method(t.ctx.log, "warn", () => undefined);
      const p = await second.files("upload", { name: "tweede.txt", content: half("b") });
      warn.mock.restore();
      // The operator is told, with the organisation and the sizes, and nothing about the client.
      assert.equal(warn.mock.callCount(), 1);
      const [fields, message] = warn.mock.calls[0]!.arguments as unknown as [Record<string, unknown>, string];
      assert.match(message, /ATTACHMENT_MAX_PENDING_MB/);
      assert.deepEqual(Object.keys(fields).sort(), ["capMb", "fileBytes", "organisationId", "pendingMb"]);
      assert.equal(fields.organisationId, org.id);
      assert.equal(fields.capMb, 1);
      assert.ok(!/127\.0\.0\.1|ip|client|address/i.test(JSON.stringify(warn.mock.calls[0]!.arguments)), JSON.stringify(warn.mock.calls[0]!.arguments));
      assert.equal(p.statusCode, 422);
      assert.match(p.body, /Het meldpunt kan nu geen bestanden meer aannemen\. Probeer het later opnieuw, of verstuur uw melding zonder bestand en voeg het bestand later toe via uw postbus\./);
      assert.match(p.body, /href="#field-file"/);
      assert.equal(hidden(p.body, "step"), "files");
      assert.equal((await mine()).length, 1, "the refused file is not stored");
      const chunks = await t.ctx.db.selectFrom("attachment_chunks").innerJoin("report_attachments", "report_attachments.id", "attachment_chunks.attachment_id")
        .select("idx").where("report_attachments.organisation_id", "=", org.id).execute();
      assert.equal(chunks.length, 1);
      // A small file still fits under the cap.
      assert.equal((await second.files("upload", { name: "klein.txt", content: "past nog" })).statusCode, 200);

      // The cap is per organisation: another organisation's intake is not affected.
      const elsewhere = await storePending(t.ctx, other.id, { name: "c.txt", data: Buffer.from(half("c")), truncated: false }, []);
      assert.equal(elsewhere.size, 600 * 1024);

      // Only pending uploads that have not run out count: once the first has expired, the second fits.
      const [big] = (await mine()).filter((r) => Number(r.size) === 600 * 1024);
      await t.ctx.db.updateTable("report_attachments").set({ pending_until: new Date(Date.now() - 1000).toISOString() }).where("id", "=", big!.id).execute();
      assert.equal((await second.files("upload", { name: "tweede.txt", content: half("b") })).statusCode, 200);

      // Uploads sent with a report no longer count either.
      const up = await storePending(t.ctx, other.id, { name: "d.txt", data: Buffer.from("d"), truncated: false }, []);
      await assert.rejects(storePending(t.ctx, other.id, { name: "e.txt", data: Buffer.from(half("e")), truncated: false }, []),
        (e: unknown) => (e as { code?: string }).code === "attachment_pending_full");
      await submitReport(t.ctx, other.slug, await reportAnswers(t.ctx, other.slug), { locale: "nl", uploads: [elsewhere, up] });
      assert.equal((await storePending(t.ctx, other.id, { name: "e.txt", data: Buffer.from(half("e")), truncated: false }, [])).size, 600 * 1024);
    });
  });

  describe(`attachment pending budget per client (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    // A report may hold 1 MB, so one client may have 2 MB pending in 24 hours.
    before(async () => { t = await testApp(kind, { ATTACHMENT_MAX_FILE_MB: "1", ATTACHMENT_MAX_REPORT_MB: "1" }); });
    after(async () => { await t?.close(); });

    test("one client cannot fill the organisation's pending space: past its own budget the files step refuses in words and stores nothing", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Zuinigstad");
      const categoryId = (await reportAnswers(t.ctx, org.slug)).categoryId;
      const rows = async () => (await t.ctx.db.selectFrom("report_attachments").select("id").where("organisation_id", "=", org.id).execute()).length;
      const most = (c: string) => c.repeat(900 * 1024);

      // Every draft below comes from the same connection.
      const first = new Reporter(t.app, org.slug);
      await first.toFiles(categoryId);
      assert.equal((await first.files("upload", { name: "a.txt", content: most("a") })).statusCode, 200);
      // A refused file gives its reservation back: this one is cut at 1 MB + 1 byte and refused as too large.
      assert.equal((await first.files("upload", { name: "groot.txt", content: Buffer.alloc(3 * 1024 * 1024, 0x62) })).statusCode, 422);
      const second = new Reporter(t.app, org.slug);
      await second.toFiles(categoryId);
      assert.equal((await second.files("upload", { name: "b.txt", content: most("b") })).statusCode, 200);
      assert.equal(await rows(), 2);

      // 1.8 MB pending from this connection: a third draft's 300 kB would pass every other limit, but not this one.
      const third = new Reporter(t.app, org.slug);
      await third.toFiles(categoryId);
      const p = await third.files("upload", { name: "c.txt", content: "c".repeat(300 * 1024) });
      assert.equal(p.statusCode, 429);
      assert.match(p.body, /Vanaf uw verbinding zijn in de afgelopen 24 uur al veel bestanden toegevoegd\. Probeer het later opnieuw, of verstuur uw melding zonder bestand/);
      assert.match(p.body, /href="#field-file"/);
      assert.equal(hidden(p.body, "step"), "files");
      assert.equal(await rows(), 2, "the refused file is not stored");
      // What is left of the budget still takes a small file.
      assert.equal((await third.files("upload", { name: "d.txt", content: "past nog" })).statusCode, 200);
      assert.equal(await rows(), 3);
    });
  });

  describe(`attachment limits (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    before(async () => { t = await testApp(kind, { ATTACHMENT_MAX_FILE_MB: "1", ATTACHMENT_MAX_REPORT_MB: "2", ATTACHMENT_MAX_FILES: "3" }); });
    after(async () => { await t?.close(); });

    test("a file over the limit is refused in words and nothing is stored; so are a full report and one file too many", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Grensstad");
      const r = new Reporter(t.app, org.slug);
      await r.toFiles((await reportAnswers(t.ctx, org.slug)).categoryId);
      let p = await r.files("upload", { name: "groot.txt", content: "a".repeat(1024 * 1024 + 10) });
      assert.equal(p.statusCode, 422);
      assert.match(p.body, /Dit bestand is te groot\. Een bestand mag maximaal 1 MB zijn\./);
      assert.match(p.body, /Een bestand mag maximaal 1 MB zijn. Alle bestanden samen mogen maximaal 2 MB zijn, en het zijn er hoogstens 3\./);
      assert.equal((await t.ctx.db.selectFrom("report_attachments").select("id").execute()).length, 0);
      assert.equal((await t.ctx.db.selectFrom("attachment_chunks").select("idx").execute()).length, 0);
      // The draft survives the refusal: the same page, still the files step.
      assert.equal(hidden(p.body, "step"), "files");

      // Exactly the limit passes, in two chunks of at most 1 MiB (plus one byte in a second chunk).
      const almost = "b".repeat(1024 * 1024);
      p = await r.files("upload", { name: "precies.txt", content: almost });
      assert.equal(p.statusCode, 200, p.body);
      p = await r.files("upload", { name: "twee.txt", content: almost });
      assert.equal(p.statusCode, 200);
      p = await r.files("upload", { name: "drie.txt", content: "c" });
      assert.equal(p.statusCode, 422);
      assert.match(p.body, /De bestanden zijn samen te groot\. Alle bestanden samen mogen maximaal 2 MB zijn\./);
      p = await r.files("upload", { name: "klein.txt", content: "" });
      assert.equal(p.statusCode, 422);
      assert.match(p.body, /Dit bestand is leeg/);
      assert.equal((await t.ctx.db.selectFrom("report_attachments").select("id").execute()).length, 2);
      const chunks = await t.ctx.db.selectFrom("attachment_chunks").select(["attachment_id", "idx"]).execute();
      assert.equal(chunks.length, 2, "1 MiB is one chunk each");

      // One file too many (the limit is 3; the report is full by size already, so a fresh draft).
      const r2 = new Reporter(t.app, org.slug);
      await r2.toFiles((await reportAnswers(t.ctx, org.slug)).categoryId);
      for (const n of [1, 2, 3]) assert.equal((await r2.files("upload", { name: `${n}.txt`, content: `bestand ${n}` })).statusCode, 200);
      p = await r2.files("upload", { name: "4.txt", content: "bestand 4" });
      assert.equal(p.statusCode, 422);
      assert.match(p.body, /U kunt maximaal 3 bestanden sturen\./);
    });

    test("the mailbox refuses an oversized file in words, and stores nothing", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Postgrens");
      const sent = await makeReport(t.ctx, org.slug);
      const mb = new Client(t.app);
      await mb.get(`/melden/${org.slug}/postbus`);
      await mb.post(`/melden/${org.slug}/postbus`, { receipt: sent.receipt! });
      await mb.get(`/melden/${org.slug}/postbus/berichten`);
      const res = await mb.postMultipart(`/melden/${org.slug}/postbus/bestanden`, {}, { name: "groot.txt", content: Buffer.alloc(3 * 1024 * 1024, 0x61) });
      assert.equal(res.statusCode, 422);
      assert.match(res.body, /Dit bestand is te groot\. Een bestand mag maximaal 1 MB zijn\./);
      assert.equal((await t.ctx.db.selectFrom("report_attachments").select("id").where("report_id", "=", sent.reportId).execute()).length, 0);
    });

    test("other multipart routes keep their own limits (the CSV import still refuses more than 5 MB with a 413)", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Import");
      const hr = await signedIn(t.ctx, "hr", org.id);
      const c = new Client(t.app, hr.sessionToken);
      await c.get("/beheer/medewerkers/import");
      const big = await c.postMultipart("/beheer/medewerkers/import", {}, { name: "groot.csv", content: Buffer.alloc(6 * 1024 * 1024, 0x61) });
      assert.equal(big.statusCode, 413);
      const { contentType } = multipartBody({});
      assert.match(contentType, /^multipart\/form-data; boundary=/);
    });
  });
}
