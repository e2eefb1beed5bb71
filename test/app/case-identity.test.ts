import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as cases from "../../src/reports/service.ts";
import { addDays, today } from "../../src/reports/deadlines.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { testApp } from "../helpers/app.ts";
import { Client } from "../helpers/client.ts";
import { makeOrganisation, signedIn } from "../helpers/fixtures.ts";
import { actorOf, makeReport } from "../helpers/reports.ts";

for (const { kind, skip } of DB_KINDS) {
  describe(`case page: identity, exclusion, retention (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    before(async () => { t = await testApp(kind); });
    after(async () => { await t?.close(); });

    test("the coordinator shares the identity with the investigator through the form; the investigator then sees it", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Delen");
      const coordinator = await signedIn(t.ctx, "coordinator", org.id);
      const investigator = await signedIn(t.ctx, "investigator", org.id);
      const sent = await makeReport(t.ctx, org.slug, { mode: "confidential", identity: { name: "Ria Vertrouwd", email: "", phone: "", relation: "employee" } });
      await cases.assign(t.ctx, await actorOf(t.ctx, coordinator.id, org.id), sent.reportId, { investigatorId: investigator.id });
      const c = new Client(t.app, coordinator.sessionToken);
      const page = await c.get(`/meldingen/${sent.reportId}`);
      assert.match(page.body, /Identiteit delen/);
      const missing = await c.post(`/meldingen/${sent.reportId}/identiteit`, { "disclose.accountId": investigator.id, "disclose.basis": "consent", "disclose.reason": "" });
      assert.equal(missing.statusCode, 422);
      assert.match(missing.body, /Leg vast hoe de melder toestemming gaf/);
      const i = new Client(t.app, investigator.sessionToken);
      assert.ok(!(await i.get(`/onderzoeken/${sent.reportId}`)).body.includes("Ria Vertrouwd"));
      const ok = await c.post(`/meldingen/${sent.reportId}/identiteit`, { "disclose.accountId": investigator.id, "disclose.basis": "consent", "disclose.reason": "Mondeling op 2 maart" });
      assert.equal(ok.statusCode, 303);
      const after = await c.get(`/meldingen/${sent.reportId}`);
      assert.match(after.body, /Identiteit gedeeld met investigator-[^ ]* \(De melder gaf toestemming\)/);
      assert.ok((await i.get(`/onderzoeken/${sent.reportId}`)).body.includes("Ria Vertrouwd"));
    });

    test("excluding an account by e-mail: from then on it cannot find the case", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Uitsluiten");
      const coordinator = await signedIn(t.ctx, "coordinator", org.id);
      const colleague = await signedIn(t.ctx, "coordinator", org.id);
      const sent = await makeReport(t.ctx, org.slug);
      const c = new Client(t.app, coordinator.sessionToken);
      await c.get(`/meldingen/${sent.reportId}`);
      const unknown = await c.post(`/meldingen/${sent.reportId}/uitsluiten`, { "exclude.email": "niemand@example.test" });
      assert.equal(unknown.statusCode, 422);
      assert.match(unknown.body, /Er is geen account met dit e-mailadres/);
      const self = await c.post(`/meldingen/${sent.reportId}/uitsluiten`, { "exclude.email": coordinator.email });
      assert.equal(self.statusCode, 422);
      const other = new Client(t.app, colleague.sessionToken);
      assert.equal((await other.get(`/meldingen/${sent.reportId}`)).statusCode, 200);
      assert.equal((await c.post(`/meldingen/${sent.reportId}/uitsluiten`, { "exclude.email": colleague.email.toUpperCase() })).statusCode, 303);
      assert.equal((await other.get(`/meldingen/${sent.reportId}`)).statusCode, 404);
      assert.ok(!(await other.get("/meldingen")).body.includes(sent.reference));
      assert.match((await c.get(`/meldingen/${sent.reportId}`)).body, /Uitgesloten van deze melding: coordinator-/, "the desk sees who was excluded");
      const events = await t.ctx.db.selectFrom("audit_events").select("details").where("action", "=", "report.exclude").where("object_id", "=", sent.reportId).execute();
      assert.equal(events.length, 1);
      assert.ok(!events[0]!.details.includes(colleague.id) && !events[0]!.details.includes("coordinator-"), "the audit log does not name them");
    });

    test("a closed case shows its retention date, and a warning in the last 30 days", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Termijn");
      const coordinator = await signedIn(t.ctx, "coordinator", org.id);
      const sent = await makeReport(t.ctx, org.slug);
      const c = new Client(t.app, coordinator.sessionToken);
      await t.ctx.db.updateTable("reports").set({ status: "closed", closed_at: new Date().toISOString(), retain_until: addDays(today(), 400) }).where("id", "=", sent.reportId).execute();
      assert.match((await c.get(`/meldingen/${sent.reportId}`)).body, /De inhoud wordt bewaard tot/);
      await t.ctx.db.updateTable("reports").set({ retain_until: addDays(today(), 10) }).where("id", "=", sent.reportId).execute();
      assert.match((await c.get(`/meldingen/${sent.reportId}`)).body, /wordt op [^<]+ vernietigd/);
    });
  });
}
