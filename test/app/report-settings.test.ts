import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as reportRepo from "../../src/reports/repository.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { testApp } from "../helpers/app.ts";
import { Client } from "../helpers/client.ts";
import { grant, makeAccount, makeGroup, makeOrganisation, selectOptions, signedIn } from "../helpers/fixtures.ts";

/** The rows of the categories table: [label nl, active "Ja"/"Nee"] per category, in page order. */
function categoryRows(html: string): { code: string; label: string; active: string }[] {
  const table = /data-testid="category-table"[\s\S]*?<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? "";
  return [...table.matchAll(/<tr[^>]*data-category="([^"]+)"[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => {
    const cells = [...m[2]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, "").trim());
    return { code: m[1]!, label: cells[1]!, active: cells[4]! };
  });
}

const auditEvents = (t: { ctx: { db: any } }, organisationId: string, action: string) =>
  t.ctx.db.selectFrom("audit_events").select(["object_type", "object_id", "details"]).where("organisation_id", "=", organisationId)
    .where("action", "=", action).execute() as Promise<{ object_type: string; object_id: string; details: string }[]>;

for (const { kind, skip } of DB_KINDS) {
  describe(`reporting desk settings page (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    before(async () => { t = await testApp(kind); });
    after(async () => { await t?.close(); });

    test("the admin sees the public addresses, the 12 preset categories and the warning; the nav and home link to the page", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Meldpunt");
      const admin = await signedIn(t.ctx, "admin", org.id);
      const c = new Client(t.app, admin.sessionToken);
      const page = await c.get("/beheer/meldpunt");
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h1[^>]*>Meldpunt instellen<\/h1>/);
      const base = `${t.ctx.config.baseUrl}/melden/${org.slug}`;
      assert.ok(page.body.includes(`data-testid="intake-address">${base}<`), "intake address shown");
      assert.ok(page.body.includes(`data-testid="mailbox-address">${base}/postbus<`), "mailbox address shown");
      const rows = categoryRows(page.body);
      assert.equal(rows.length, 12);
      assert.equal(rows[0]!.label, "Fraude, diefstal of verduistering");
      assert.ok(rows.every((r) => r.active === "Ja"));
      assert.match(page.body, /Integriteitsschending/);
      assert.match(page.body, /Ongewenst gedrag/);
      assert.match(page.body, /data-testid="no-alternative"/);
      assert.match(page.body, /kan niemand via het meldformulier een melding doen over een behandelaar/);
      assert.match(page.body, /href="\/beheer\/meldpunt"[^>]*>Meldpunt instellen<\/a>/);
      // The salt never reaches the page.
      const settings = (await reportRepo.findSettings(t.ctx.db, org.id))!;
      assert.ok(!page.body.includes(settings.receipt_salt));
      assert.equal(settings.retention_years, 5);

      const home = await c.get("/");
      assert.match(home.body, /href="\/beheer\/meldpunt"/);
    });

    test("the admin chooses a coordinator as alternative recipient and sets the retention; wrong input is 422", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Ontvanger");
      const other = await makeOrganisation(t.ctx, "Gemeente Naast");
      const group = await makeGroup(t.ctx, "Regio Ontvanger", [org.id]);
      const admin = await signedIn(t.ctx, "admin", org.id);
      const coordinator = await makeAccount(t.ctx, "coordinator@ontvanger.example", { displayName: "Cora Coördinator" });
      await grant(t.ctx, coordinator.id, "coordinator", "organisation", org.id, org.id);
      const regional = await makeAccount(t.ctx, "regio@ontvanger.example", { displayName: "Rik Regio" });
      await grant(t.ctx, regional.id, "coordinator", "group", group.id, null);
      const employee = await makeAccount(t.ctx, "medewerker@ontvanger.example", { displayName: "Mees Medewerker" });
      await grant(t.ctx, employee.id, "employee", "organisation", org.id, org.id);
      const elsewhere = await makeAccount(t.ctx, "coordinator@naast.example", { displayName: "Nora Naast" });
      await grant(t.ctx, elsewhere.id, "coordinator", "organisation", other.id, other.id);

      const c = new Client(t.app, admin.sessionToken);
      const page = await c.get("/beheer/meldpunt");
      assert.deepEqual(selectOptions(page.body, "alternativeAccountId"), ["Cora Coördinator", "Rik Regio"]);

      const ok = await c.post("/beheer/meldpunt/instellingen", { alternativeAccountId: coordinator.id, retentionYears: "7" });
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, "/beheer/meldpunt#instellingen");
      let row = (await reportRepo.findSettings(t.ctx.db, org.id))!;
      assert.equal(row.alternative_account_id, coordinator.id);
      assert.equal(row.retention_years, 7);
      const events = await auditEvents(t, org.id, "reportSettings.update");
      assert.equal(events.length, 1);
      assert.equal(events[0]!.object_type, "reportSettings");
      const details = JSON.parse(events[0]!.details);
      assert.deepEqual(details.changed, ["alternativeAccountId", "retentionYears"]);
      assert.equal(details.alternativeAccountId, coordinator.id);
      assert.ok(!events[0]!.details.includes(row.receipt_salt));

      const saved = await c.get("/beheer/meldpunt");
      assert.match(saved.body, /De wijzigingen zijn opgeslagen/);
      assert.doesNotMatch(saved.body, /data-testid="no-alternative"/);
      assert.match(saved.body, new RegExp(`<option value="${coordinator.id}"[^>]*selected=""[^>]*>Cora Coördinator</option>`));
      assert.match(saved.body, /name="retentionYears"[^>]*value="7"/);

      // A coordinator through a group grant qualifies too.
      assert.equal((await c.post("/beheer/meldpunt/instellingen", { alternativeAccountId: regional.id, retentionYears: "7" })).statusCode, 303);
      assert.equal((await reportRepo.findSettings(t.ctx.db, org.id))!.alternative_account_id, regional.id);

      for (const wrong of [employee.id, elsewhere.id, admin.id, "bestaat-niet"]) {
        const bad = await c.post("/beheer/meldpunt/instellingen", { alternativeAccountId: wrong, retentionYears: "5" });
        assert.equal(bad.statusCode, 422, wrong);
        assert.match(bad.body, /Er is een probleem/);
        assert.match(bad.body, /href="#field-alternativeAccountId"/);
        assert.match(bad.body, /Alleen een integriteitscoördinator van deze organisatie/);
      }
      for (const years of ["0", "31", "2,5", "", "vijf"]) {
        const bad = await c.post("/beheer/meldpunt/instellingen", { alternativeAccountId: coordinator.id, retentionYears: years });
        assert.equal(bad.statusCode, 422, years);
        assert.match(bad.body, /href="#field-retentionYears"/);
        assert.match(bad.body, /Vul een heel getal in van 1 tot en met 30/);
        // The page keeps what was typed.
        assert.match(bad.body, new RegExp(`name="retentionYears"[^>]*value="${years}"`));
      }
      row = (await reportRepo.findSettings(t.ctx.db, org.id))!;
      assert.deepEqual([row.alternative_account_id, row.retention_years], [regional.id, 7]);
      assert.equal((await auditEvents(t, org.id, "reportSettings.update")).length, 2);

      // Clearing the recipient brings the warning back.
      assert.equal((await c.post("/beheer/meldpunt/instellingen", { alternativeAccountId: "", retentionYears: "5" })).statusCode, 303);
      assert.equal((await reportRepo.findSettings(t.ctx.db, org.id))!.alternative_account_id, null);
      assert.match((await c.get("/beheer/meldpunt")).body, /data-testid="no-alternative"/);
    });

    test("the admin adds a category and deactivates one; categories are never deleted", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Onderwerp");
      const admin = await signedIn(t.ctx, "admin", org.id);
      const c = new Client(t.app, admin.sessionToken);
      await c.get("/beheer/meldpunt");

      const add = await c.post("/beheer/meldpunt/categorieen", { "category.labelNl": "Misbruik van sociale media", "category.labelEn": "", "category.kind": "integrity" });
      assert.equal(add.statusCode, 303);
      assert.equal(add.headers.location, "/beheer/meldpunt#onderwerpen");
      const all = await reportRepo.listCategories(t.ctx.db, [org.id]);
      assert.equal(all.length, 13);
      const added = all.find((x) => x.label_nl === "Misbruik van sociale media")!;
      assert.deepEqual([added.code, added.kind, added.active, added.position, added.label_en],
        ["misbruik_van_sociale_media", "integrity", 1, 13, "Misbruik van sociale media"]);
      assert.equal((await auditEvents(t, org.id, "reportCategory.create")).length, 1);
      const page = await c.get("/beheer/meldpunt");
      assert.match(page.body, /Het onderwerp is toegevoegd/);
      assert.deepEqual(categoryRows(page.body).at(-1), { code: "misbruik_van_sociale_media", label: "Misbruik van sociale media", active: "Ja" });

      // A second one with a label that makes the same code gets its own code; a taken label is refused.
      assert.equal((await c.post("/beheer/meldpunt/categorieen", { "category.labelNl": "Misbruik van sociale-media!", "category.labelEn": "Social media", "category.kind": "other" })).statusCode, 303);
      assert.ok((await reportRepo.listCategories(t.ctx.db, [org.id])).some((x) => x.code === "misbruik_van_sociale_media_2"));
      const dup = await c.post("/beheer/meldpunt/categorieen", { "category.labelNl": "pesten", "category.labelEn": "", "category.kind": "unwanted_behaviour" });
      assert.equal(dup.statusCode, 422);
      assert.match(dup.body, /href="#field-category-labelNl"/);
      assert.match(dup.body, /Er is al een onderwerp met deze naam/);
      const noKind = await c.post("/beheer/meldpunt/categorieen", { "category.labelNl": "Nieuw", "category.labelEn": "", "category.kind": "" });
      assert.equal(noKind.statusCode, 422);
      assert.match(noKind.body, /href="#field-category-kind"/);
      assert.match(noKind.body, /name="category.labelNl"[^>]*value="Nieuw"/);
      assert.equal((await reportRepo.listCategories(t.ctx.db, [org.id])).length, 14);

      // Deactivate "Pesten" through its edit page (the checkbox left out).
      const bullying = (await reportRepo.listCategories(t.ctx.db, [org.id])).find((x) => x.code === "bullying")!;
      const edit = await c.get(`/beheer/meldpunt/categorieen/${bullying.id}`);
      assert.equal(edit.statusCode, 200);
      assert.match(edit.body, /Onderwerp Pesten wijzigen/);
      assert.match(edit.body, /name="active"[^>]*checked=""/);
      const off = await c.post(`/beheer/meldpunt/categorieen/${bullying.id}`, { labelNl: "Pesten", labelEn: "Bullying", kind: "unwanted_behaviour", position: String(bullying.position) });
      assert.equal(off.statusCode, 303);
      const after = (await reportRepo.findCategory(t.ctx.db, org.id, bullying.id))!;
      assert.equal(after.active, 0);
      assert.equal(after.code, "bullying");
      const events = await auditEvents(t, org.id, "reportCategory.update");
      assert.equal(events.length, 1);
      assert.deepEqual(JSON.parse(events[0]!.details).changed, ["active"]);
      assert.equal(categoryRows((await c.get("/beheer/meldpunt")).body).find((r) => r.code === "bullying")!.active, "Nee");
      // Still there, only no longer offered to reporters.
      assert.ok(!(await reportRepo.listCategories(t.ctx.db, [org.id], true)).some((x) => x.id === bullying.id));
      assert.equal((await reportRepo.listCategories(t.ctx.db, [org.id])).length, 14);

      // Back on, renamed, moved to the top.
      const on = await c.post(`/beheer/meldpunt/categorieen/${bullying.id}`, { labelNl: "Pesten en buitensluiten", labelEn: "Bullying and exclusion", kind: "unwanted_behaviour", position: "1", active: "1" });
      assert.equal(on.statusCode, 303);
      const back = (await reportRepo.findCategory(t.ctx.db, org.id, bullying.id))!;
      assert.deepEqual([back.active, back.position, back.label_nl, back.code], [1, 1, "Pesten en buitensluiten", "bullying"]);

      const badPosition = await c.post(`/beheer/meldpunt/categorieen/${bullying.id}`, { labelNl: "Pesten", labelEn: "", kind: "unwanted_behaviour", position: "0", active: "1" });
      assert.equal(badPosition.statusCode, 422);
      assert.match(badPosition.body, /href="#field-position"/);
    });

    test("the last category in use cannot be switched off", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Laatste");
      const admin = await signedIn(t.ctx, "admin", org.id);
      const c = new Client(t.app, admin.sessionToken);
      await c.get("/beheer/meldpunt");
      const other = (await reportRepo.listCategories(t.ctx.db, [org.id])).find((x) => x.code === "other")!;
      await t.ctx.db.updateTable("report_categories").set({ active: 0 }).where("organisation_id", "=", org.id).where("id", "!=", other.id).execute();
      const res = await c.post(`/beheer/meldpunt/categorieen/${other.id}`, { labelNl: other.label_nl, labelEn: other.label_en, kind: "other", position: String(other.position) });
      assert.equal(res.statusCode, 422);
      assert.match(res.body, /href="#field-active"/);
      assert.match(res.body, /Melders moeten altijd minstens één onderwerp kunnen kiezen/);
      assert.equal((await reportRepo.findCategory(t.ctx.db, org.id, other.id))!.active, 1);
    });

    test("a coordinator may not open or change the settings (403)", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Gescheiden");
      const coordinator = await signedIn(t.ctx, "coordinator", org.id);
      const c = new Client(t.app, coordinator.sessionToken);
      const home = await c.get("/");
      assert.doesNotMatch(home.body, /href="\/beheer\/meldpunt"/);
      assert.equal((await c.get("/beheer/meldpunt")).statusCode, 403);
      assert.equal((await c.post("/beheer/meldpunt/instellingen", { alternativeAccountId: coordinator.id, retentionYears: "1" })).statusCode, 403);
      assert.equal((await c.post("/beheer/meldpunt/categorieen", { "category.labelNl": "Stiekem", "category.labelEn": "", "category.kind": "other" })).statusCode, 403);
      const settings = await reportRepo.findSettings(t.ctx.db, org.id);
      assert.equal(settings?.alternative_account_id ?? null, null);
      assert.ok(!(await reportRepo.listCategories(t.ctx.db, [org.id])).some((x) => x.label_nl === "Stiekem"));
    });

    test("an admin of another organisation cannot see or change this organisation's category (404)", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Eigen");
      const other = await makeOrganisation(t.ctx, "Gemeente Vreemd");
      const admin = await signedIn(t.ctx, "admin", org.id);
      await new Client(t.app, admin.sessionToken).get("/beheer/meldpunt");
      const category = (await reportRepo.listCategories(t.ctx.db, [org.id]))[0]!;

      const stranger = await signedIn(t.ctx, "admin", other.id);
      const c = new Client(t.app, stranger.sessionToken);
      assert.equal((await c.get(`/beheer/meldpunt/categorieen/${category.id}`)).statusCode, 404);
      const post = await c.post(`/beheer/meldpunt/categorieen/${category.id}`, { labelNl: "Overgenomen", labelEn: "", kind: "other", position: "1" });
      assert.equal(post.statusCode, 404);
      const unchanged = (await reportRepo.findCategory(t.ctx.db, org.id, category.id))!;
      assert.deepEqual([unchanged.label_nl, unchanged.active], [category.label_nl, 1]);
      assert.equal((await auditEvents(t, other.id, "reportCategory.update")).length, 0);
      // Its own page shows its own addresses only.
      const own = await c.get("/beheer/meldpunt");
      assert.equal(own.statusCode, 200);
      assert.ok(own.body.includes(`/melden/${other.slug}<`));
      assert.ok(!own.body.includes(`/melden/${org.slug}`));
    });
  });
}
