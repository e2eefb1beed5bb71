import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as advisorRepo from "../../src/advisors/repository.ts";
import { createContact } from "../../src/advisors/service.ts";
import { today } from "../../src/reports/deadlines.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { testApp } from "../helpers/app.ts";
import { Client } from "../helpers/client.ts";
import { makeOrganisation, signedIn } from "../helpers/fixtures.ts";
import { actorWith } from "../helpers/reports.ts";

// The advisors' settings for the organisation's administrator (issue 4): the natures a contact can carry (added,
// renamed, reordered, switched off — never deleted), how long notes are kept after a contact is closed, and the
// yearly report's threshold for small counts. The administrator holds no advisor permission: the page configures
// the register and never shows a contact or a count of contacts.

const PAGE = "/beheer/vertrouwenspersonen";

/** The rows of the natures table: code, Dutch name, position, "Ja"/"Nee". */
function natureRows(html: string): { code: string; label: string; position: string; active: string }[] {
  const table = /data-testid="nature-table"[\s\S]*?<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? "";
  return [...table.matchAll(/<tr[^>]*data-nature="([^"]+)"[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => {
    const cells = [...m[2]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, "").trim());
    return { code: m[1]!, position: cells[0]!, label: cells[1]!, active: cells[3]! };
  });
}

type T = { ctx: { db: any } };
const auditEvents = (t: T, organisationId: string, action: string) =>
  t.ctx.db.selectFrom("audit_events").select(["object_type", "object_id", "details"]).where("organisation_id", "=", organisationId)
    .where("action", "=", action).orderBy("seq").execute() as Promise<{ object_type: string; object_id: string; details: string }[]>;
const settingsOf = (t: T, organisationId: string) =>
  t.ctx.db.selectFrom("advisor_settings").selectAll().where("organisation_id", "=", organisationId).executeTakeFirst() as
    Promise<{ notes_retention_months: number; suppression_threshold: number } | undefined>;

for (const { kind, skip } of DB_KINDS) {
  describe(`advisors' settings page (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    before(async () => { t = await testApp(kind); });
    after(async () => { await t?.close(); });

    test("the admin sees the defaults and the Rotterdam natures; nav and home link to the page; settings are saved with one audit event", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Vertrouwen");
      const c = new Client(t.app, (await signedIn(t.ctx, "admin", org.id)).sessionToken);
      const page = await c.get(PAGE);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h1[^>]*>Vertrouwens\u00ADpersonen instellen<\/h1>/, "the long word may break at 320 px");
      assert.match(page.body, /<title>Vertrouwenspersonen instellen/);
      assert.match(page.body, /name="notesRetentionMonths"[^>]*value="12"/);
      assert.match(page.body, /name="suppressionThreshold"[^>]*value="5"/);
      const rows = natureRows(page.body);
      assert.deepEqual(rows.map((r) => r.code), ["bullying", "sexual_harassment", "aggression", "discrimination", "integrity", "work_situation", "other"]);
      assert.equal(rows[0]!.label, "Pesten");
      assert.ok(rows.every((r) => r.active === "Ja"));
      assert.match(page.body, /href="\/beheer\/vertrouwenspersonen"[^>]*>Vertrouwenspersonen instellen<\/a>/, "in the nav");
      assert.match((await c.get("/")).body, /href="\/beheer\/vertrouwenspersonen"/, "on the admin's home card");

      const ok = await c.post(`${PAGE}/instellingen`, { notesRetentionMonths: "24", suppressionThreshold: "10" });
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, `${PAGE}#instellingen`);
      assert.deepEqual(await settingsOf(t, org.id).then((s) => [s!.notes_retention_months, s!.suppression_threshold]), [24, 10]);
      const events = await auditEvents(t, org.id, "advisorSettings.update");
      assert.equal(events.length, 1);
      assert.equal(events[0]!.object_type, "advisorSettings");
      assert.deepEqual(JSON.parse(events[0]!.details), { changed: ["notesRetentionMonths", "suppressionThreshold"], notesRetentionMonths: 24, suppressionThreshold: 10 });
      const saved = await c.get(PAGE);
      assert.match(saved.body, /De wijzigingen zijn opgeslagen/);
      assert.match(saved.body, /name="notesRetentionMonths"[^>]*value="24"/);
      assert.match(saved.body, /name="suppressionThreshold"[^>]*value="10"/);

      // The bounds: 1–120 months, a threshold of 3–20; the typed values come back with the message at the field.
      for (const [months, message] of [["0", true], ["121", true], ["1,5", true], ["", true], ["120", false], ["1", false]] as const) {
        const res = await c.post(`${PAGE}/instellingen`, { notesRetentionMonths: months, suppressionThreshold: "5" });
        if (!message) { assert.equal(res.statusCode, 303, months); continue; }
        assert.equal(res.statusCode, 422, months);
        assert.match(res.body, /href="#field-notesRetentionMonths"/);
        assert.match(res.body, /Vul een heel getal in van 1 tot en met 120\./);
        assert.match(res.body, new RegExp(`name="notesRetentionMonths"[^>]*value="${months}"`));
      }
      for (const [threshold, message] of [["2", true], ["21", true], ["vijf", true], ["3", false], ["20", false]] as const) {
        const res = await c.post(`${PAGE}/instellingen`, { notesRetentionMonths: "12", suppressionThreshold: threshold });
        if (!message) { assert.equal(res.statusCode, 303, threshold); continue; }
        assert.equal(res.statusCode, 422, threshold);
        assert.match(res.body, /href="#field-suppressionThreshold"/);
        assert.match(res.body, /Vul een heel getal in van 3 tot en met 20\./);
      }
      assert.deepEqual(await settingsOf(t, org.id).then((s) => [s!.notes_retention_months, s!.suppression_threshold]), [12, 20]);
      assert.equal((await auditEvents(t, org.id, "advisorSettings.update")).length, 5, "one event per saved change, none for refused input");
    });

    test("natures: add, rename, reorder, switch off; never deleted; the last active one stays on", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Onderwerpen");
      const c = new Client(t.app, (await signedIn(t.ctx, "admin", org.id)).sessionToken);
      await c.get(PAGE);

      const added = await c.post(`${PAGE}/onderwerpen`, { "nature.labelNl": "Misbruik van bevoegdheid", "nature.labelEn": "Abuse of power" });
      assert.equal(added.statusCode, 303);
      assert.equal(added.headers.location, `${PAGE}#onderwerpen`);
      let natures = await advisorRepo.listNatures(t.ctx.db, [org.id]);
      assert.equal(natures.length, 8);
      const abuse = natures.find((n) => n.code === "misbruik_van_bevoegdheid")!;
      assert.deepEqual([abuse.label_nl, abuse.label_en, abuse.position, abuse.active], ["Misbruik van bevoegdheid", "Abuse of power", 8, 1]);
      let page = await c.get(PAGE);
      assert.match(page.body, /Het onderwerp is toegevoegd/);
      assert.deepEqual(natureRows(page.body).at(-1), { code: "misbruik_van_bevoegdheid", label: "Misbruik van bevoegdheid", position: "8", active: "Ja" });
      assert.equal((await auditEvents(t, org.id, "advisorNature.create")).length, 1);

      // The same name again (any case) and an empty name are refused at the field, with the typed value kept.
      const twice = await c.post(`${PAGE}/onderwerpen`, { "nature.labelNl": "PESTEN", "nature.labelEn": "" });
      assert.equal(twice.statusCode, 422);
      assert.match(twice.body, /href="#field-nature-labelNl"/);
      assert.match(twice.body, /Er is al een onderwerp met deze naam\./);
      assert.match(twice.body, /name="nature.labelNl"[^>]*value="PESTEN"/);
      const empty = await c.post(`${PAGE}/onderwerpen`, { "nature.labelNl": "  ", "nature.labelEn": "Empty" });
      assert.equal(empty.statusCode, 422);
      assert.match(empty.body, /href="#field-nature-labelNl"/);
      assert.match(empty.body, /Vul dit veld in\./);
      assert.equal((await advisorRepo.listNatures(t.ctx.db, [org.id])).length, 8);

      // Rename "Pesten", move it to the end, and switch it off (the checkbox left out): the code stays.
      const bullying = natures.find((n) => n.code === "bullying")!;
      const edit = await c.get(`${PAGE}/onderwerpen/${bullying.id}`);
      assert.equal(edit.statusCode, 200);
      assert.match(edit.body, /<h1[^>]*>Onderwerp Pesten wijzigen<\/h1>/);
      assert.match(edit.body, /name="active"[^>]*checked=""/);
      const bad = await c.post(`${PAGE}/onderwerpen/${bullying.id}`, { labelNl: "Pesten", labelEn: "Bullying", position: "1000", active: "1" });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /href="#field-position"/);
      assert.match(bad.body, /Vul een heel getal in van 1 tot en met 999\./);
      assert.match(bad.body, /name="position"[^>]*value="1000"/);
      const taken = await c.post(`${PAGE}/onderwerpen/${bullying.id}`, { labelNl: "discriminatie", labelEn: "", position: "1", active: "1" });
      assert.equal(taken.statusCode, 422);
      assert.match(taken.body, /Er is al een onderwerp met deze naam\./);
      const off = await c.post(`${PAGE}/onderwerpen/${bullying.id}`, { labelNl: "Pesten en buitensluiten", labelEn: "", position: "20" });
      assert.equal(off.statusCode, 303);
      const after = (await advisorRepo.listNatures(t.ctx.db, [org.id])).find((n) => n.id === bullying.id)!;
      assert.deepEqual([after.code, after.label_nl, after.label_en, after.position, after.active], ["bullying", "Pesten en buitensluiten", "Pesten en buitensluiten", 20, 0]);
      const updates = await auditEvents(t, org.id, "advisorNature.update");
      assert.equal(updates.length, 1);
      assert.deepEqual(JSON.parse(updates[0]!.details), { code: "bullying", changed: ["labelNl", "labelEn", "active", "position"], active: false, position: 20 });
      page = await c.get(PAGE);
      assert.deepEqual(natureRows(page.body).at(-1), { code: "bullying", label: "Pesten en buitensluiten", position: "20", active: "Nee" });
      // Switched off, it is no longer offered to advisors, but it is still there.
      assert.ok(!(await advisorRepo.listNatures(t.ctx.db, [org.id], true)).some((n) => n.id === bullying.id));
      assert.equal((await advisorRepo.listNatures(t.ctx.db, [org.id])).length, 8);

      // Switch every nature off but one: the last one cannot go.
      natures = await advisorRepo.listNatures(t.ctx.db, [org.id]);
      const last = natures.find((n) => n.code === "other")!;
      for (const n of natures.filter((x) => x.active && x.id !== last.id)) {
        assert.equal((await c.post(`${PAGE}/onderwerpen/${n.id}`, { labelNl: n.label_nl, labelEn: n.label_en, position: String(n.position) })).statusCode, 303);
      }
      const refused = await c.post(`${PAGE}/onderwerpen/${last.id}`, { labelNl: last.label_nl, labelEn: last.label_en, position: String(last.position) });
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /href="#field-active"/);
      assert.match(refused.body, /Er moet minstens één onderwerp in gebruik blijven\./);
      assert.deepEqual((await advisorRepo.listNatures(t.ctx.db, [org.id], true)).map((n) => n.code), ["other"]);
      // There is no way to delete one: no such route.
      assert.equal((await c.post(`${PAGE}/onderwerpen/${last.id}/verwijderen`, {})).statusCode, 404);
    });

    test("a coordinator, HR and an advisor get 403; an admin of another organisation gets 404 on a nature and changes nothing", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Scheiding");
      const other = await makeOrganisation(t.ctx, "Gemeente Elders");
      const admin = new Client(t.app, (await signedIn(t.ctx, "admin", org.id)).sessionToken);
      await admin.get(PAGE);
      const nature = (await advisorRepo.listNatures(t.ctx.db, [org.id]))[0]!;

      for (const role of ["coordinator", "hr", "advisor"] as const) {
        const c = new Client(t.app, (await signedIn(t.ctx, role, org.id)).sessionToken);
        await c.get("/");
        assert.equal((await c.get(PAGE)).statusCode, 403, role);
        assert.equal((await c.get(`${PAGE}/onderwerpen/${nature.id}`)).statusCode, 403, role);
        assert.equal((await c.post(`${PAGE}/instellingen`, { notesRetentionMonths: "1", suppressionThreshold: "3" })).statusCode, 403, role);
        assert.equal((await c.post(`${PAGE}/onderwerpen`, { "nature.labelNl": "Van " + role })).statusCode, 403, role);
        assert.equal((await c.post(`${PAGE}/onderwerpen/${nature.id}`, { labelNl: "Weg", labelEn: "", position: "1" })).statusCode, 403, role);
        assert.doesNotMatch((await c.get("/")).body, /href="\/beheer\/vertrouwenspersonen"/, `${role} has no link to the page`);
      }

      const otherAdmin = new Client(t.app, (await signedIn(t.ctx, "admin", other.id)).sessionToken);
      await otherAdmin.get(PAGE);
      assert.equal((await otherAdmin.get(`${PAGE}/onderwerpen/${nature.id}`)).statusCode, 404);
      assert.equal((await otherAdmin.post(`${PAGE}/onderwerpen/${nature.id}`, { labelNl: "Weg", labelEn: "", position: "1" })).statusCode, 404);
      // Their own page lists their own natures only.
      const own = await otherAdmin.get(PAGE);
      assert.ok(!own.body.includes(nature.id));

      const after = (await advisorRepo.listNatures(t.ctx.db, [org.id])).find((n) => n.id === nature.id)!;
      assert.deepEqual([after.label_nl, after.active], [nature.label_nl, 1]);
      assert.deepEqual(await settingsOf(t, org.id).then((s) => [s!.notes_retention_months, s!.suppression_threshold]), [12, 5]);
      assert.equal((await advisorRepo.listNatures(t.ctx.db, [org.id])).length, 7);
    });

    test("the page never shows a contact figure: it is the same before and after advisors register contacts", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Telling");
      const c = new Client(t.app, (await signedIn(t.ctx, "admin", org.id)).sessionToken);
      // The CSRF token differs per page; everything else must be identical.
      const normalised = async () => {
        const res = await c.get(PAGE);
        assert.equal(res.statusCode, 200);
        return res.body.replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value=""');
      };
      const before = await normalised();

      const advisor = await actorWith(t.ctx, "advisor", { type: "organisation", id: org.id, organisationId: org.id });
      const contact = (people: number, natures: string[]) => createContact(t.ctx, advisor, {
        contactOn: today(), organisationId: org.id, relation: "employee", natures, people: String(people), form: "in_person",
        conversations: "3", minutes: "97", followUp: "listening_advice",
      });
      await contact(17, ["bullying"]);
      await contact(4, ["bullying", "discrimination"]);
      await contact(1, ["integrity"]);
      const count = await t.ctx.db.selectFrom("advisor_contacts").select(t.ctx.db.fn.countAll().as("n")).where("organisation_id", "=", org.id).executeTakeFirst();
      assert.equal(Number(count!.n), 3, "the contacts are there");

      const afterContacts = await normalised();
      assert.equal(afterContacts, before);
      // And no trace of the figures the contacts hold.
      for (const figure of ["17", "97", "21"]) assert.ok(!new RegExp(`>\\s*${figure}\\s*<`).test(afterContacts), figure);

      // Changing the settings does not show or count anything either: the admin's audit events name no contact.
      assert.equal((await c.post(`${PAGE}/instellingen`, { notesRetentionMonths: "6", suppressionThreshold: "5" })).statusCode, 303);
      const contactIds = (await t.ctx.db.selectFrom("advisor_contacts").select("id").where("organisation_id", "=", org.id).execute()).map((r: { id: string }) => r.id);
      const events = await t.ctx.db.selectFrom("audit_events").select(["action", "details"]).where("organisation_id", "=", org.id)
        .where("action", "like", "advisor%").execute() as { action: string; details: string }[];
      for (const e of events.filter((x) => x.action.startsWith("advisorSettings") || x.action.startsWith("advisorNature"))) {
        for (const id of contactIds) assert.ok(!e.details.includes(id));
      }
    });
  });
}
