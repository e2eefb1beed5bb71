import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as reportRepo from "../../src/reports/repository.ts";
import * as cases from "../../src/reports/service.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { testApp } from "../helpers/app.ts";
import { Client } from "../helpers/client.ts";
import { makeOrganisation, signedIn } from "../helpers/fixtures.ts";
import { actorOf, makeReport } from "../helpers/reports.ts";

// A desk case that turns out to be about someone who handles reports is handed over to the organisation's
// alternative recipient: from then on only that recipient sees it — in the inbox and by its address — the
// timeline and the audit trail say who handed it over and why, and the recipient gets a mail without content.

for (const { kind, skip } of DB_KINDS) {
  describe(`handing a case over to the alternative recipient (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    before(async () => { t = await testApp(kind); });
    after(async () => { await t?.close(); });

    async function desk(name: string) {
      const org = await makeOrganisation(t.ctx, name);
      const person = async (first: string) => {
        const a = await signedIn(t.ctx, "coordinator", org.id, `${first}-${org.slug}@example.test`);
        return { ...a, display_name: `${first}-${org.slug}` };
      };
      const anna = await person("anna"), bram = await person("bram"), cees = await person("cees");
      const sent = await makeReport(t.ctx, org.slug, { description: "De coördinator Cees laat declaraties verdwijnen." });
      return { org, anna, bram, cees, sent, url: `/meldingen/${sent.reportId}` };
    }
    const setRecipient = (organisationId: string, accountId: string) =>
      reportRepo.updateSettings(t.ctx.db, organisationId, { alternative_account_id: accountId });

    test("a coordinator hands a case over; only the recipient sees it from then on, with the reason; a mail without content", async () => {
      const { org, anna, bram, cees, sent, url } = await desk("Gemeente Overdracht");
      await setRecipient(org.id, bram.id);
      const a = new Client(t.app, anna.sessionToken);
      let page = await a.get(url);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /id="overdragen-title"[^>]*>Overdragen aan de vaste ontvanger/);
      assert.match(page.body, new RegExp(`Draag de melding dan over aan ${bram.display_name}`));

      const noReason = await a.post(`${url}/overdragen`, { "handOver.reason": " ", version: "1" });
      assert.equal(noReason.statusCode, 422);
      assert.match(noReason.body, /href="#field-handOver-reason"/);
      assert.match(noReason.body, /Schrijf op waarom u de melding overdraagt./);
      assert.equal((await reportRepo.findReport(t.ctx.db, sent.reportId))!.routing, "desk", "nothing written");

      // An investigator is on the case; after the handover they are not.
      const ivo = await signedIn(t.ctx, "investigator", org.id, `ivo-${org.slug}@example.test`);
      await cases.assign(t.ctx, await actorOf(t.ctx, anna.id, org.id), sent.reportId, { investigatorId: ivo.id });
      const ivoClient = new Client(t.app, ivo.sessionToken);
      assert.equal((await ivoClient.get(`/onderzoeken/${sent.reportId}`)).statusCode, 200);
      page = await a.get(url);
      const version = /name="version" value="(\d+)"/.exec(page.body)![1]!;
      const done = await a.post(`${url}/overdragen`, { "handOver.reason": "De melding gaat over een integriteitscoördinator.", version });
      assert.equal(done.statusCode, 303);
      assert.equal(done.headers.location, "/meldingen");
      const row = (await reportRepo.findReport(t.ctx.db, sent.reportId))!;
      assert.deepEqual([row.routing, row.alternative_account_id, row.coordinator_account_id, row.investigator_account_id], ["alternative", bram.id, bram.id, null]);
      assert.equal((await ivoClient.get(`/onderzoeken/${sent.reportId}`)).statusCode, 404, "the investigator left the case with the desk");

      // Anna and Cees: gone from the inbox and 404 by address. Bram: there, with who handed it over and why.
      for (const who of [anna, cees]) {
        const c = new Client(t.app, who.sessionToken);
        assert.equal((await c.get(url)).statusCode, 404);
        assert.doesNotMatch((await c.get("/meldingen")).body, new RegExp(sent.reference));
      }
      const b = new Client(t.app, bram.sessionToken);
      assert.match((await b.get("/meldingen")).body, new RegExp(sent.reference));
      page = await b.get(url);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, new RegExp(`Overgedragen aan ${bram.display_name}, de vaste ontvanger van meldingen over behandelaars`));
      assert.match(page.body, /De melding gaat over een integriteitscoördinator./);
      assert.doesNotMatch(page.body, /id="overdragen-title"/, "nothing left to hand over");

      const audit = await t.ctx.db.selectFrom("audit_events").select(["actor_id", "details"]).where("action", "=", "report.handOver").where("object_id", "=", sent.reportId).execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.actor_id, anna.id);
      assert.deepEqual(JSON.parse(audit[0]!.details), { reference: sent.reference, accountId: bram.id, investigatorRemoved: ivo.id });

      const mails = await t.ctx.db.selectFrom("outbox").selectAll().where("template", "=", "case.handedOver").where("organisation_id", "=", org.id).execute();
      assert.equal(mails.length, 1);
      assert.deepEqual(JSON.parse(mails[0]!.params), { organisation: org.name, reference: sent.reference, url: `${t.ctx.config.baseUrl}${url}` });

      // Once handed over, it cannot be handed over again (also not through the service).
      const bramActor = await actorOf(t.ctx, bram.id, org.id);
      await assert.rejects(import("../../src/reports/handover.ts").then((h) => h.handOver(t.ctx, bramActor, sent.reportId, { reason: "nog eens" })),
        (e: { messageKey?: string }) => e.messageKey === "report.handOverAlready");
    });

    test("without a recipient the page says so and the step is refused; an excluded recipient is refused; not by the recipient; not from a stale form", async () => {
      const first = await desk("Gemeente Zonder Ontvanger");
      const a = new Client(t.app, first.anna.sessionToken);
      let page = await a.get(first.url);
      assert.match(page.body, /Die is nog niet gekozen. Vraag de beheerder/);
      assert.doesNotMatch(page.body, /action="[^"]*\/overdragen"/);
      const refused = await a.post(`${first.url}/overdragen`, { "handOver.reason": "Over een behandelaar." });
      assert.equal(refused.statusCode, 409);
      assert.match(refused.body, /Er is geen vaste ontvanger van meldingen over behandelaars/);

      // The recipient is the person the report is about and was excluded: handing over to them is refused.
      await setRecipient(first.org.id, first.cees.id);
      const annaActor = await actorOf(t.ctx, first.anna.id, first.org.id);
      await cases.excludeByEmail(t.ctx, annaActor, first.sent.reportId, { email: first.cees.email });
      const excluded = await a.post(`${first.url}/overdragen`, { "handOver.reason": "Over een behandelaar." });
      assert.equal(excluded.statusCode, 409);
      assert.match(excluded.body, /De vaste ontvanger van meldingen over behandelaars is bij deze melding uitgesloten/);
      assert.equal((await reportRepo.findReport(t.ctx.db, first.sent.reportId))!.routing, "desk");

      // The recipient cannot take a desk case to themself: another coordinator must hand it over.
      const second = await desk("Gemeente Eigen Ontvanger");
      await setRecipient(second.org.id, second.bram.id);
      const b = new Client(t.app, second.bram.sessionToken);
      page = await b.get(second.url);
      assert.match(page.body, /U bent zelf de vaste ontvanger van meldingen over behandelaars/);
      assert.doesNotMatch(page.body, /action="[^"]*\/overdragen"/);
      const self = await b.post(`${second.url}/overdragen`, { "handOver.reason": "Gaat over een collega-coördinator." });
      assert.equal(self.statusCode, 409);
      assert.equal((await reportRepo.findReport(t.ctx.db, second.sent.reportId))!.routing, "desk");

      // A stale form (the case moved on meanwhile) writes nothing.
      const a2 = new Client(t.app, second.anna.sessionToken);
      await a2.get(second.url);
      const stale = await a2.post(`${second.url}/overdragen`, { "handOver.reason": "Over een behandelaar.", version: "0" });
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /Iemand anders heeft deze melding net gewijzigd/);
      assert.equal((await reportRepo.findReport(t.ctx.db, second.sent.reportId))!.routing, "desk");
      const mails = await t.ctx.db.selectFrom("outbox").selectAll().where("template", "=", "case.handedOver").where("organisation_id", "=", second.org.id).execute();
      assert.equal(mails.length, 0);
    });
  });
}
