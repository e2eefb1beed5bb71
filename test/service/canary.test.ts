import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { createApiToken, startSession } from "../../src/auth/service.ts";
import { buildApp } from "../../src/http/app.ts";
import { createLogger } from "../../src/log.ts";
import { DB_KINDS, freshDatabase, type TestDb } from "../helpers/db.ts";
import { makeOrganisation, makeUnit } from "../helpers/fixtures.ts";
import { orgRole, reportAnswers } from "../helpers/reports.ts";
import { multipartBody } from "../helpers/attachments.ts";
import { Client } from "../helpers/client.ts";
import * as cases from "../../src/reports/service.ts";
import * as advisors from "../../src/advisors/service.ts";
import { handOver } from "../../src/reports/handover.ts";
import * as reportRepo from "../../src/reports/repository.ts";

// SECURITY.md controls 2 and 3. Distinctive strings go in through every content field over real HTTP,
// from a distinctive client address and user agent; afterwards none of them may appear in the database
// files (SQLite file and WAL, or a pg_dump — as text and, for binary columns, as hex) or in the logs — only the
// sealed blobs may hold them.

const CANARY = "KANARIE";
const ADDRESS = "203.0.113.77";
const AGENT = "CanaryBrowser/9.9 (anonymity-check)";

for (const { kind, skip } of DB_KINDS) {
  describe(`canary and anonymity (${kind})`, { skip }, () => {
    let t: TestDb;
    let app: FastifyInstance;
    let logs = "";
    before(async () => {
      t = await freshDatabase(kind, { LOG_LEVEL: "debug", TRUST_PROXY: "true" });
      const sink = new Writable({ write(chunk, _enc, cb) { logs += chunk.toString(); cb(); } });
      t.ctx.log = createLogger("debug", sink);
      app = await buildApp(t.ctx);
      await app.ready();
    });
    after(async () => { await app?.close(); await t?.drop(); });

    test("no content, identity, address or user agent in the database files or the logs", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Vogelzang");
      const unit = await makeUnit(t.ctx, org.id, "Afdeling Kas");
      const coordinator = await orgRole(t.ctx, "coordinator", org.id);
      const token = (await createApiToken(t.ctx, { type: "system", id: "test" }, coordinator.accountId, "canary", 1)).token;
      const c = (n: string) => `${CANARY}-${n}-${kind}`;
      const anon = { "x-forwarded-for": ADDRESS, "user-agent": AGENT, "content-type": "application/json" };
      const handler = { authorization: `Bearer ${token}`, "content-type": "application/json" };

      const answers = await reportAnswers(t.ctx, org.slug, {
        description: c("omschrijving"), occurredWhen: c("wanneer"), unitId: unit.id, location: c("plek"), involved: c("betrokkene"),
        howKnown: "documents", howKnownDetail: c("hoe"), reportedBefore: "yes", reportedBeforeDetail: c("eerder"),
        mode: "confidential", noticeEmail: `${c("notice").toLowerCase()}@example.test`,
        identity: { name: c("naam"), email: `${c("mail").toLowerCase()}@example.test`, phone: "0612345678", relation: "external" },
      });
      const created = await app.inject({ method: "POST", url: `/api/v1/intake/${org.slug}/reports`, headers: anon, payload: answers });
      assert.equal(created.statusCode, 201, created.body);
      const { receipt } = created.json() as { receipt: string };
      const reply = await app.inject({ method: "POST", url: `/api/v1/intake/${org.slug}/mailbox/messages`, headers: anon, payload: { receipt, body: c("antwoord") } });
      assert.ok(reply.statusCode < 300, reply.body);
      const list = await app.inject({ method: "GET", url: "/api/v1/cases", headers: { authorization: `Bearer ${token}` } });
      const caseId = (list.json() as { items: { id: string }[] }).items[0]!.id;
      for (const [url, payload] of [
        [`/api/v1/cases/${caseId}/acknowledgement`, { text: c("bevestiging") }],
        [`/api/v1/cases/${caseId}/messages`, { body: c("vraag") }],
        [`/api/v1/cases/${caseId}/transitions`, { action: "startAssessment" }],
        [`/api/v1/cases/${caseId}/transitions`, { action: "decideInvestigation", investigationBy: "internal", reason: c("besluit") }],
        [`/api/v1/cases/${caseId}/transitions`, { action: "recordApproval", approvedBy: c("secretaris"), approvedOn: "2026-03-01" }],
        [`/api/v1/cases/${caseId}/transitions`, { action: "concludeInvestigation", findings: [{ allegation: c("verwijt"), finding: "substantiated" }] }],
      ] as const) {
        const r = await app.inject({ method: "POST", url, headers: handler, payload });
        assert.ok(r.statusCode < 300, `${url}: ${r.body}`);
      }
      // Notes and referrals have no API operation (yet): through the same services the pages use.
      await cases.addNote(t.ctx, coordinator, caseId, { body: c("notitie") });
      await cases.refer(t.ctx, coordinator, caseId, { body: "lkog", reason: c("doorverwijzing") });
      // A file through the mailbox page (multipart), its name and its content both canaries.
      const cookies = new Map<string, string>();
      const keep = (r: { cookies: { name: string; value: string }[] }) => { for (const k of r.cookies) cookies.set(k.name, k.value); };
      const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
      const loginPage = await app.inject({ method: "GET", url: `/melden/${org.slug}/postbus`, headers: { "x-forwarded-for": ADDRESS, "user-agent": AGENT } });
      keep(loginPage);
      const csrfToken = /name="_csrf" value="([^"]+)"/.exec(loginPage.body)![1]!;
      const opened = await app.inject({ method: "POST", url: `/melden/${org.slug}/postbus`, payload: new URLSearchParams({ _csrf: csrfToken, receipt }).toString(),
        headers: { "x-forwarded-for": ADDRESS, "user-agent": AGENT, cookie: cookie(), "content-type": "application/x-www-form-urlencoded" } });
      assert.equal(opened.statusCode, 303, opened.body);
      keep(opened);
      const upload = multipartBody({ _csrf: csrfToken }, { name: `${c("bestandsnaam")}.txt`, content: `${c("bijlage")}: wat ik zag` });
      const sentFile = await app.inject({ method: "POST", url: `/melden/${org.slug}/postbus/bestanden`, payload: upload.payload,
        headers: { "x-forwarded-for": ADDRESS, "user-agent": AGENT, cookie: cookie(), "content-type": upload.contentType } });
      assert.equal(sentFile.statusCode, 303, sentFile.body);

      const read = await app.inject({ method: "GET", url: `/api/v1/cases/${caseId}`, headers: { authorization: `Bearer ${token}` } });
      assert.match(read.body, new RegExp(c("omschrijving")), "the handler reads the content through the API");
      const attachment = (read.json() as { attachments: { id: string; name: string }[] }).attachments[0]!;
      assert.equal(attachment.name, `${c("bestandsnaam")}.txt`);
      const file = await app.inject({ method: "GET", url: `/api/v1/cases/${caseId}/attachments/${attachment.id}`, headers: { authorization: `Bearer ${token}` } });
      assert.match(file.body, new RegExp(c("bijlage")), "the handler downloads the file");

      // The reason for handing the case over (issue 3) and a confidential advisor's own notes (issue 4): sealed too.
      const recipient = await orgRole(t.ctx, "coordinator", org.id);
      await reportRepo.updateSettings(t.ctx.db, org.id, { alternative_account_id: recipient.accountId });
      await handOver(t.ctx, coordinator, caseId, { reason: c("overdracht") });
      const advisor = await orgRole(t.ctx, "advisor", org.id);
      const contact = await advisors.createContact(t.ctx, advisor, {
        contactOn: "2026-03-02", organisationId: org.id, relation: "employee", natures: ["bullying"], people: 1, form: "in_person",
        conversations: 1, minutes: 45, followUp: "listening_advice",
      });
      await advisors.addNote(t.ctx, advisor, contact.id, { body: c("vp-notitie") });
      assert.equal((await advisors.getContact(t.ctx, advisor, contact.id)).notes[0]!.body, c("vp-notitie"), "the advisor reads the note");
      // A file with a note, through the contact page (multipart): its name and its content both canaries.
      const advisorSession = await startSession(t.ctx, advisor.accountId, "full", { type: "system", id: "canary" });
      const vp = new Client(app, advisorSession);
      await vp.get(`/contacten/${contact.id}`);
      const noteFile = await vp.postMultipart(`/contacten/${contact.id}/notities`, { "note.body": "" },
        { field: "note.files", name: `${c("vp-bestandsnaam")}.txt`, content: `${c("vp-bestand")}: wat de bezoeker meebracht` });
      assert.equal(noteFile.statusCode, 303, noteFile.body);
      const noteFileId = (await advisors.getContact(t.ctx, advisor, contact.id)).notes[1]!.files[0]!.id;
      const vpDownload = await vp.get(`/contacten/${contact.id}/bestanden/${noteFileId}`);
      assert.match(vpDownload.body, new RegExp(c("vp-bestand")), "the advisor downloads the file");

      // Everything the database holds, as bytes.
      let dump: string;
      if (kind === "sqlite") {
        const file = t.database.sqlitePath!;
        dump = [file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f).toString("latin1")).join("\n");
        assert.ok(dump.includes("Gemeente Vogelzang"), "the dump is readable (sanity check of the check)");
      } else {
        dump = execFileSync("pg_dump", ["--no-owner", t.url!], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
        assert.ok(dump.includes("Gemeente Vogelzang"), "the dump is readable (sanity check of the check)");
      }
      assert.ok(logs.includes(`/api/v1/cases/${caseId}`), "the logs were captured (sanity check of the check)");
      assert.ok(!logs.includes("/api/v1/intake/"), "the reporter's routes write no request lines");
      // pg_dump writes a bytea column (attachment and note-file chunks) as hex ("\\x4b414e…"): cleartext bytes there would
      // not show as the canary's letters, so the dump is searched for the canary's hex too (either case of the letters).
      // The sanity check: the dump does write binary columns that way — the sealed chunks start with 0x01 (seal.ts).
      if (kind === "postgres") assert.match(dump, /\\x01[0-9a-f]{56}/, "the dump shows bytea as hex (sanity check of the hex check)");
      const hexForms = [CANARY.toUpperCase(), CANARY.toLowerCase()].map((s) => Buffer.from(s, "utf8").toString("hex"));
      for (const [where, text] of [["database", dump], ["logs", logs]] as const) {
        const at = text.toLowerCase().indexOf(CANARY.toLowerCase());
        assert.ok(at < 0, `${where} holds a content canary: …${text.slice(Math.max(0, at - 200), at + 80)}…`);
        for (const hex of hexForms) {
          const hexAt = text.toLowerCase().indexOf(hex);
          assert.ok(hexAt < 0, `${where} holds a content canary as hex (a binary column in the clear): …${text.slice(Math.max(0, hexAt - 80), hexAt + 80)}…`);
        }
        assert.ok(!text.includes(ADDRESS), `${where} holds the reporter's address`);
        assert.ok(!text.includes("CanaryBrowser"), `${where} holds the reporter's user agent`);
        assert.ok(!text.includes(receipt), `${where} holds the receipt code`);
      }
    });
  });
}
