import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as reportRepo from "../../src/reports/repository.ts";
import * as cases from "../../src/reports/service.ts";
import { createApiToken } from "../../src/auth/service.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { testApp } from "../helpers/app.ts";
import { Client } from "../helpers/client.ts";
import { makeOrganisation, signedIn } from "../helpers/fixtures.ts";
import { actorOf, makeReport } from "../helpers/reports.ts";

// The measures a desk records after an investigation are a list per organisation (issue 3: "configurable
// list"): the administrator adds, renames and switches off measures on the settings page; the case page
// offers the active ones; the service refuses a measure the list does not offer; older cases keep naming
// a measure that was switched off.

/** The rows of the measures table on the settings page: code, Dutch name, "Ja"/"Nee". */
function measureRows(html: string): { code: string; label: string; active: string }[] {
  const table = /data-testid="measure-table"[\s\S]*?<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? "";
  return [...table.matchAll(/<tr[^>]*data-measure="([^"]+)"[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => {
    const cells = [...m[2]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, "").trim());
    return { code: m[1]!, label: cells[1]!, active: cells[3]! };
  });
}
/** The measure checkboxes of the case page's "decideMeasures" form: value → label. */
function measureOptions(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [input] of html.matchAll(/<input[^>]*>/g)) {
    if (!/name="measures"/.test(input)) continue;
    const id = /id="([^"]+)"/.exec(input)![1]!, value = /value="([^"]+)"/.exec(input)![1]!;
    out[value] = new RegExp(`<label[^>]*for="${id}"[^>]*>([^<]+)<`).exec(html)![1]!.trim();
  }
  return out;
}

for (const { kind, skip } of DB_KINDS) {
  describe(`measures per organisation (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    before(async () => { t = await testApp(kind); });
    after(async () => { await t?.close(); });

    test("the admin keeps the list; the case page offers the active measures; an unknown or switched-off one is refused", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Maatregel");
      const admin = new Client(t.app, (await signedIn(t.ctx, "admin", org.id)).sessionToken);
      const coordinatorAccount = await signedIn(t.ctx, "coordinator", org.id);
      const coordinator = new Client(t.app, coordinatorAccount.sessionToken);

      // The preset: eight measures, all in use.
      let page = await admin.get("/beheer/meldpunt");
      assert.equal(page.statusCode, 200);
      let rows = measureRows(page.body);
      assert.deepEqual(rows.map((r) => r.code), ["conversation", "warning", "final_warning", "transfer", "suspension", "dismissal", "criminal_report", "other"]);
      assert.deepEqual(rows.map((r) => r.label).slice(0, 3), ["Gesprek", "Waarschuwing", "Laatste waarschuwing"]);
      assert.ok(rows.every((r) => r.active === "Ja"));

      // Adding: a new name works, the same name again is refused at the field.
      const added = await admin.post("/beheer/meldpunt/maatregelen", { "measure.labelNl": "Berisping", "measure.labelEn": "Reprimand" });
      assert.equal(added.statusCode, 303);
      assert.equal(added.headers.location, "/beheer/meldpunt#maatregelen");
      const twice = await admin.post("/beheer/meldpunt/maatregelen", { "measure.labelNl": "berisping", "measure.labelEn": "" });
      assert.equal(twice.statusCode, 422);
      assert.match(twice.body, /href="#field-measure-labelNl"/);
      assert.match(twice.body, /Er is al een maatregel met deze naam./);
      const empty = await admin.post("/beheer/meldpunt/maatregelen", { "measure.labelNl": " ", "measure.labelEn": "" });
      assert.equal(empty.statusCode, 422);
      assert.match(empty.body, /href="#field-measure-labelNl"/);

      // Switching "Overplaatsing" off on its own page.
      const measures = await reportRepo.listMeasures(t.ctx.db, org.id);
      const transfer = measures.find((m) => m.code === "transfer")!;
      const edit = await admin.get(`/beheer/meldpunt/maatregelen/${transfer.id}`);
      assert.equal(edit.statusCode, 200);
      assert.match(edit.body, /<h1[^>]*>Maatregel Overplaatsing wijzigen<\/h1>/);
      const badPosition = await admin.post(`/beheer/meldpunt/maatregelen/${transfer.id}`, { labelNl: "Overplaatsing", labelEn: "Transfer", position: "nul" });
      assert.equal(badPosition.statusCode, 422);
      assert.match(badPosition.body, /Vul een heel getal in van 1 tot en met 999./);
      const off = await admin.post(`/beheer/meldpunt/maatregelen/${transfer.id}`, { labelNl: "Overplaatsing", labelEn: "Transfer", position: "4" });
      assert.equal(off.statusCode, 303);
      rows = measureRows((await admin.get("/beheer/meldpunt")).body);
      assert.deepEqual(rows.find((r) => r.code === "transfer"), { code: "transfer", label: "Overplaatsing", active: "Nee" });
      assert.deepEqual(rows.at(-1), { code: "berisping", label: "Berisping", active: "Ja" });
      const audit = await t.ctx.db.selectFrom("audit_events").select(["action", "details"]).where("organisation_id", "=", org.id)
        .where("action", "like", "reportMeasure.%").orderBy("seq").execute();
      assert.deepEqual(audit.map((a) => a.action), ["reportMeasure.create", "reportMeasure.update"]);
      assert.deepEqual(JSON.parse(audit[1]!.details).changed, ["active"]);

      // A case in the measures step.
      const sent = await makeReport(t.ctx, org.slug);
      const actor = await actorOf(t.ctx, coordinatorAccount.id, org.id);
      const step = (action: string, extra: Record<string, unknown> = {}) => cases.transition(t.ctx, actor, sent.reportId, { action, ...extra });
      await step("acknowledge");
      await step("startAssessment");
      await step("decideInvestigation", { investigationBy: "internal" });
      await step("recordApproval", { approvedBy: "M. de Secretaris", approvedOn: "2026-03-01" });
      await step("concludeInvestigation", { findings: [{ allegation: "Geld uit de kas", finding: "substantiated" }] });

      const url = `/meldingen/${sent.reportId}`;
      page = await coordinator.get(url);
      const options = measureOptions(page.body);
      assert.equal(options.berisping, "Berisping");
      assert.equal(options.warning, "Waarschuwing");
      assert.ok(!("transfer" in options), "a switched-off measure is not offered");
      const version = /name="version" value="(\d+)"/.exec(page.body)![1]!;

      const refused = await coordinator.post(`${url}/stap`, { action: "decideMeasures", version, measures: "transfer" });
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /href="#field-measures"/);
      assert.match(refused.body, /Kies alleen maatregelen uit de lijst/);
      assert.equal((await reportRepo.findReport(t.ctx.db, sent.reportId))!.status, "measures", "nothing was written");

      const done = await coordinator.post(`${url}/stap`, { action: "decideMeasures", version, measures: ["berisping", "warning"] });
      assert.equal(done.statusCode, 303);
      page = await coordinator.get(url);
      // In the list's order, in the reader's language.
      assert.match(page.body, /Waarschuwing, Berisping/);

      // Renamed later: the case keeps saying what was decided then; the list offers the new name.
      const berisping = (await reportRepo.listMeasures(t.ctx.db, org.id)).find((m) => m.code === "berisping")!;
      assert.equal((await admin.post(`/beheer/meldpunt/maatregelen/${berisping.id}`, { labelNl: "Schriftelijke berisping", labelEn: "Written reprimand", position: "9", active: "1" })).statusCode, 303);
      page = await coordinator.get(url);
      assert.match(page.body, /Waarschuwing, Berisping/);
      assert.doesNotMatch(page.body, /Schriftelijke berisping/);
      const view = await cases.getCase(t.ctx, actor, sent.reportId);
      assert.deepEqual(view.measures.filter((m) => m.active).map((m) => [m.code, m.label_nl]).slice(-1), [["berisping", "Schriftelijke berisping"]]);
    });

    test("the API offers the measures by code and refuses one the list does not offer, with the same message", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Maatregel API");
      const coordinatorAccount = await signedIn(t.ctx, "coordinator", org.id);
      const actor = await actorOf(t.ctx, coordinatorAccount.id, org.id);
      const { token } = await createApiToken(t.ctx, { type: "system", id: "test" }, coordinatorAccount.id, "test", 1);
      const sent = await makeReport(t.ctx, org.slug);
      for (const step of [{ action: "acknowledge" }, { action: "startAssessment" }, { action: "decideInvestigation", investigationBy: "line" },
        { action: "recordApproval", approvedBy: "M. de Secretaris", approvedOn: "2026-03-01" },
        { action: "concludeInvestigation", findings: [{ allegation: "Iets", finding: "substantiated" }] }]) await cases.transition(t.ctx, actor, sent.reportId, step);
      const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
      const read = await t.app.inject({ method: "GET", url: `/api/v1/cases/${sent.reportId}`, headers: { authorization: `Bearer ${token}` } });
      assert.ok((read.json().measureOptions as { code: string }[]).some((m) => m.code === "suspension"));
      const refused = await t.app.inject({ method: "POST", url: `/api/v1/cases/${sent.reportId}/transitions`, headers,
        payload: { action: "decideMeasures", measures: ["public_shaming"] } });
      assert.equal(refused.statusCode, 422);
      assert.deepEqual(refused.json().invalidParams.map((p: { name: string; code: string }) => [p.name, p.code]), [["measures", "report.measureUnknown"]]);
      const done = await t.app.inject({ method: "POST", url: `/api/v1/cases/${sent.reportId}/transitions`, headers,
        payload: { action: "decideMeasures", measures: ["suspension"] } });
      assert.equal(done.statusCode, 200, done.body);
      const entry = (done.json().timeline as { kind: string; meta: Record<string, unknown> }[]).find((e) => e.meta.action === "decideMeasures")!;
      assert.deepEqual([entry.meta.measures, entry.meta.measureNames], [["suspension"], [["Schorsing", "Suspension"]]]);
    });

    test("the service refuses a measure of another organisation's list; a coordinator cannot open the list (403), another admin gets 404", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Lijst");
      const other = await makeOrganisation(t.ctx, "Gemeente Andere Lijst");
      const otherAdmin = new Client(t.app, (await signedIn(t.ctx, "admin", other.id)).sessionToken);
      await otherAdmin.get("/beheer/meldpunt"); // a signed-in client takes its CSRF token from a page
      assert.equal((await otherAdmin.post("/beheer/meldpunt/maatregelen", { "measure.labelNl": "Taakstraf", "measure.labelEn": "" })).statusCode, 303);
      const coordinatorAccount = await signedIn(t.ctx, "coordinator", org.id);
      const actor = await actorOf(t.ctx, coordinatorAccount.id, org.id);
      const sent = await makeReport(t.ctx, org.slug);
      const step = (action: string, extra: Record<string, unknown> = {}) => cases.transition(t.ctx, actor, sent.reportId, { action, ...extra });
      await step("acknowledge");
      await step("startAssessment");
      await step("decideInvestigation", { investigationBy: "line" });
      await step("recordApproval", { approvedBy: "M. de Secretaris", approvedOn: "2026-03-01" });
      await step("concludeInvestigation", { findings: [{ allegation: "Iets", finding: "not_determinable" }] });
      await assert.rejects(step("decideMeasures", { measures: ["taakstraf"] }), (e: { fields?: Record<string, string> }) => {
        assert.deepEqual(e.fields, { measures: "report.measureUnknown" });
        return true;
      });
      // No measure at all is a valid decision.
      assert.equal((await step("decideMeasures", { measures: [] })).status, "concluding");

      const own = (await reportRepo.listMeasures(t.ctx.db, org.id))[0]!;
      const coordinator = new Client(t.app, coordinatorAccount.sessionToken);
      assert.equal((await coordinator.get(`/beheer/meldpunt/maatregelen/${own.id}`)).statusCode, 403);
      assert.equal((await otherAdmin.get(`/beheer/meldpunt/maatregelen/${own.id}`)).statusCode, 404);
      assert.equal((await otherAdmin.post(`/beheer/meldpunt/maatregelen/${own.id}`, { labelNl: "Weg", labelEn: "", position: "1" })).statusCode, 404);
      assert.equal((await reportRepo.findMeasure(t.ctx.db, org.id, own.id))!.label_nl, "Gesprek");
    });
  });
}
