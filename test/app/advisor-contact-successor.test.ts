import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as advisors from "../../src/advisors/service.ts";
import { today } from "../../src/reports/deadlines.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { testApp } from "../helpers/app.ts";
import { Client } from "../helpers/client.ts";
import { makeOrganisation, signedIn } from "../helpers/fixtures.ts";
import { actorOf, makeReport } from "../helpers/reports.ts";

// On the contact page the advisor names a successor (who then reads the notes) and links a contact that became a
// formal report to that report — both only with the visitor's recorded consent.

for (const { kind, skip } of DB_KINDS) {
  describe(`a contact's successor and its report (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    before(async () => { t = await testApp(kind); });
    after(async () => { await t?.close(); });

    test("a successor only with consent; then they read the notes; a report linked by its number, with consent", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Opvolging");
      const first = await signedIn(t.ctx, "advisor", org.id, "eerste@opvolging.example");
      const second = await signedIn(t.ctx, "advisor", org.id, "tweede@opvolging.example");
      const coordinator = await signedIn(t.ctx, "coordinator", org.id);
      const actor = await actorOf(t.ctx, first.id, org.id);
      const contact = await advisors.createContact(t.ctx, actor, {
        contactOn: today(), organisationId: org.id, relation: "employee", natures: ["integrity"], people: 1, form: "phone",
        conversations: 2, minutes: 90, followUp: "formal_complaint_or_report",
      });
      await advisors.addNote(t.ctx, actor, contact.id, { body: "Wil melden bij het meldpunt." });
      const url = `/contacten/${contact.id}`;
      const a = new Client(t.app, first.sessionToken);
      let page = await a.get(url);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /id="opvolger-title"/);
      assert.match(page.body, /tweede/);

      const noConsent = await a.post(`${url}/opvolger`, { "successor.accountId": second.id, "successor.consentOn": today() });
      assert.equal(noConsent.statusCode, 422);
      assert.match(noConsent.body, /href="#field-successor-consent"/);
      assert.equal((await new Client(t.app, second.sessionToken).get(url)).statusCode, 404);
      const ok = await a.post(`${url}/opvolger`, { "successor.accountId": second.id, "successor.consentOn": today(), "successor.consent": "1" });
      assert.equal(ok.statusCode, 303);
      const b = new Client(t.app, second.sessionToken);
      page = await b.get(url);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Wil melden bij het meldpunt./);
      assert.doesNotMatch(page.body, /id="opvolger-title"/, "only the contact's own advisor names a successor");
      assert.equal((await new Client(t.app, coordinator.sessionToken).get(url)).statusCode, 404);

      const report = await makeReport(t.ctx, org.slug);
      const wrong = await a.post(`${url}/melding`, { "link.reference": "2099-9999", "link.consentOn": today(), "link.consent": "1" });
      assert.equal(wrong.statusCode, 422);
      assert.match(wrong.body, /Er is geen melding met dit nummer bij deze organisatie./);
      const unconsented = await a.post(`${url}/melding`, { "link.reference": report.reference, "link.consentOn": today() });
      assert.equal(unconsented.statusCode, 422);
      assert.match(unconsented.body, /href="#field-link-consent"/);
      assert.match(unconsented.body, /U mag dit contact alleen aan de melding koppelen als de bezoeker daarmee instemt\./, "the link's own message");
      assert.doesNotMatch(unconsented.body, /Een opvolger mag/, "not the successor's");
      const linked = await a.post(`${url}/melding`, { "link.reference": report.reference, "link.consentOn": today(), "link.consent": "1" });
      assert.equal(linked.statusCode, 303);
      page = await a.get(url);
      assert.match(page.body, new RegExp(`Gekoppeld aan melding ${report.reference}`));
      const row = await t.ctx.db.selectFrom("advisor_contacts").select(["report_id", "consent_on"]).where("id", "=", contact.id).executeTakeFirstOrThrow();
      assert.deepEqual(row, { report_id: report.reportId, consent_on: today() });
      const events = await t.ctx.db.selectFrom("audit_events").select("action").where("object_id", "=", contact.id).orderBy("seq").execute();
      assert.ok(events.some((e) => e.action === "advisorContact.successor") && events.some((e) => e.action === "advisorContact.linkReport"));
    });
  });
}
