import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { PDFDocument, PDFName } from "pdf-lib";
import { chromiumAvailable } from "../../src/documents/pdf.ts";
import * as cases from "../../src/reports/service.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { testApp } from "../helpers/app.ts";
import { Client } from "../helpers/client.ts";
import { makeOrganisation, signedIn } from "../helpers/fixtures.ts";
import { actorOf, makeReport } from "../helpers/reports.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

for (const { kind, skip } of DB_KINDS) {
  describe(`case file export (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    before(async () => { t = await testApp(kind, { CHROMIUM_PATH: CHROMIUM }); });
    after(async () => { await t?.close(); });

    test("the print view leaves the reporter out unless asked; the investigator can never include it; every export is audited", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Dossier");
      const coordinator = await signedIn(t.ctx, "coordinator", org.id);
      const investigator = await signedIn(t.ctx, "investigator", org.id);
      const sent = await makeReport(t.ctx, org.slug, {
        mode: "confidential", description: "Facturen dubbel betaald.", identity: { name: "Piet Dossiermelder", email: "", phone: "", relation: "employee" },
      });
      const asCoordinator = await actorOf(t.ctx, coordinator.id, org.id);
      await cases.transition(t.ctx, asCoordinator, sent.reportId, { action: "acknowledge" });
      await cases.assign(t.ctx, asCoordinator, sent.reportId, { investigatorId: investigator.id });

      const c = new Client(t.app, coordinator.sessionToken);
      const plain = await c.get(`/meldingen/${sent.reportId}/dossier`);
      assert.equal(plain.statusCode, 200);
      assert.match(plain.body, /Dossier melding \d{4}-0001/);
      assert.match(plain.body, /Facturen dubbel betaald\./);
      assert.match(plain.body, /Ontvangstbevestiging aan de melder/, "the timeline is in it");
      assert.ok(!plain.body.includes("Piet Dossiermelder"), "no identity unless chosen");
      assert.match(plain.body, /De gegevens van de melder staan niet in dit dossier/);
      assert.match(plain.body, /<link rel="stylesheet" href="\/assets\/print.css">/);
      const withIdentity = await c.get(`/meldingen/${sent.reportId}/dossier?identiteit=1`);
      assert.ok(withIdentity.body.includes("Piet Dossiermelder"));

      const i = new Client(t.app, investigator.sessionToken);
      const asInvestigator = await i.get(`/onderzoeken/${sent.reportId}/dossier?identiteit=1`);
      assert.equal(asInvestigator.statusCode, 200);
      assert.match(asInvestigator.body, /Facturen dubbel betaald\./);
      assert.ok(!asInvestigator.body.includes("Piet Dossiermelder"), "the investigator may not include what they may not see");

      const other = await signedIn(t.ctx, "coordinator", (await makeOrganisation(t.ctx, "Gemeente Elders")).id);
      assert.equal((await new Client(t.app, other.sessionToken).get(`/meldingen/${sent.reportId}/dossier`)).statusCode, 404);

      const exports = await t.ctx.db.selectFrom("audit_events").selectAll().where("action", "=", "report.export").where("object_id", "=", sent.reportId).orderBy("seq").execute();
      assert.deepEqual(exports.map((e) => [e.actor_id, JSON.parse(e.details).identity]), [
        [coordinator.id, false], [coordinator.id, true], [investigator.id, false],
      ]);
    });

    test("the PDF is a tagged PDF with the case's title", { skip: chromiumAvailable(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}` }, async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Pdf");
      const coordinator = await signedIn(t.ctx, "coordinator", org.id);
      const sent = await makeReport(t.ctx, org.slug);
      const res = await new Client(t.app, coordinator.sessionToken).get(`/meldingen/${sent.reportId}/dossier.pdf`);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers["content-type"], "application/pdf");
      assert.match(String(res.headers["content-disposition"]), /^attachment; filename="melding-\d{4}-0001\.pdf"$/);
      assert.equal(res.rawPayload.subarray(0, 5).toString(), "%PDF-");
      const pdf = await PDFDocument.load(res.rawPayload);
      assert.ok(pdf.catalog.get(PDFName.of("StructTreeRoot")), "tagged: the catalog has a structure tree");
      assert.ok(pdf.catalog.get(PDFName.of("MarkInfo")), "tagged: MarkInfo is set");
      assert.equal(pdf.getTitle(), `Dossier melding ${sent.reference}`);
    });
  });
}
