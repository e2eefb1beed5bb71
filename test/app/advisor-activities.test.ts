import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startSession } from "../../src/auth/service.ts";
import { newId } from "../../src/crypto/tokens.ts";
import { today } from "../../src/reports/deadlines.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { testApp } from "../helpers/app.ts";
import { Client } from "../helpers/client.ts";
import { grant, makeAccount, makeGroup, makeOrganisation, makeUnit, selectOptions, signedIn } from "../helpers/fixtures.ts";

// A confidential advisor's activities besides contacts (issue 4): talks in team meetings, workshops, meetings with
// new staff, intervision and training — date, organisation (and perhaps a unit), kind, people reached. Only
// advisors register them, each sees and corrects (deletes, in the current year) only their own.

const LIST = "/activiteiten";
const NEW = "/activiteiten/nieuw";

/** The rows of the activities table: the cells as text, and the delete form's action if there is one. */
function activityRows(html: string): { cells: string[]; deleteAction: string | null }[] {
  const table = /data-testid="activity-table"[\s\S]*?<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? "";
  return [...table.matchAll(/<tr[^>]*data-activity="[^"]+"[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => ({
    cells: [...m[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, "").trim()),
    deleteAction: /<form[^>]*action="([^"]+\/verwijderen)"/.exec(m[1]!)?.[1] ?? null,
  }));
}
const total = (html: string) => /data-testid="activity-total"[^>]*>([^<]*)</.exec(html)?.[1] ?? null;

type T = { ctx: { db: any } };
const activitiesOf = (t: T, accountId: string) =>
  t.ctx.db.selectFrom("advisor_activities").selectAll().where("advisor_account_id", "=", accountId).orderBy("activity_on").execute() as
    Promise<{ id: string; organisation_id: string; unit_id: string | null; activity_on: string; kind: string; people_reached: number }[]>;
const auditEvents = (t: T, organisationId: string, action: string) =>
  t.ctx.db.selectFrom("audit_events").select(["object_type", "object_id", "actor_id", "details"]).where("organisation_id", "=", organisationId)
    .where("action", "=", action).orderBy("seq").execute() as Promise<{ object_type: string; object_id: string; actor_id: string; details: string }[]>;

const year = Number(today().slice(0, 4));
const lastYear = `${year - 1}-12-15`;
const tomorrow = new Date(Date.now() + 36 * 3600_000).toISOString().slice(0, 10);

for (const { kind, skip } of DB_KINDS) {
  describe(`advisors' activities (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    before(async () => { t = await testApp(kind); });
    after(async () => { await t?.close(); });

    test("an advisor registers activities; the list shows this year's with the people reached in total; one audit event each", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Activiteit");
      const unit = await makeUnit(t.ctx, org.id, "Publiekszaken");
      const team = await makeUnit(t.ctx, org.id, "Team Balie", unit);
      const account = await signedIn(t.ctx, "advisor", org.id);
      const c = new Client(t.app, account.sessionToken);

      let list = await c.get(LIST);
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /<h1[^>]*>Mijn activiteiten<\/h1>/);
      assert.match(list.body, new RegExp(`data-testid="activity-empty"[^>]*>U heeft in ${year} nog geen activiteiten geregistreerd\\.`));
      assert.match(list.body, /href="\/activiteiten\/nieuw"[^>]*>Activiteit registreren<\/a>/);
      assert.match(list.body, /href="\/activiteiten"[^>]*>Mijn activiteiten<\/a>/, "in the nav");
      assert.match((await c.get("/")).body, /href="\/activiteiten"/, "on the advisor's home card");

      const form = await c.get(NEW);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /<h1[^>]*>Activiteit registreren<\/h1>/);
      assert.match(form.body, new RegExp(`name="activityOn"[^>]*value="${today()}"`), "today by default");
      assert.deepEqual([...form.body.matchAll(/name="kind"[^>]*value="([^"]+)"/g)].map((m) => m[1]),
        ["team_presentation", "workshop", "intake_talk", "intervision", "training"]);
      assert.match(form.body, /Voorlichting in een teamoverleg/);
      // One organisation: not asked, sent along.
      assert.match(form.body, new RegExp(`<input type="hidden" name="organisationId" value="${org.id}"`));
      assert.deepEqual(selectOptions(form.body, "unitId"), ["Publiekszaken", "— Team Balie"]);

      const saved = await c.post(NEW, { activityOn: today(), kind: "team_presentation", organisationId: org.id, unitId: team.id, peopleReached: "23" });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, LIST);
      assert.equal((await c.post(NEW, { activityOn: today(), kind: "training", organisationId: org.id, unitId: "", peopleReached: "0" })).statusCode, 303);
      assert.equal((await c.post(NEW, { activityOn: today(), kind: "workshop", organisationId: org.id, unitId: "", peopleReached: " 1200 " })).statusCode, 303);

      const rows = await activitiesOf(t, account.id);
      assert.equal(rows.length, 3);
      const presentation = rows.find((r) => r.kind === "team_presentation")!;
      assert.deepEqual([presentation.organisation_id, presentation.unit_id, presentation.activity_on, presentation.people_reached], [org.id, team.id, today(), 23]);
      assert.equal(rows.find((r) => r.kind === "workshop")!.people_reached, 1200);
      assert.equal(rows.find((r) => r.kind === "training")!.unit_id, null);

      list = await c.get(LIST);
      assert.match(list.body, /De activiteit is geregistreerd\./);
      const shown = activityRows(list.body);
      assert.equal(shown.length, 3);
      assert.ok(shown.some((r) => r.cells[1] === "Voorlichting in een teamoverleg" && r.cells[2] === "Team Balie" && r.cells[3] === "23"));
      assert.ok(shown.some((r) => r.cells[1] === "Training of opleiding voor uzelf" && r.cells[2] === "Hele organisatie" && r.cells[3] === "0"));
      assert.ok(shown.some((r) => r.cells[1] === "Workshop" && r.cells[3] === "1.200"));
      assert.equal(total(list.body), "1.223");
      assert.match(list.body, new RegExp(`In ${year} registreerde u 3 activiteiten\\. Daarmee bereikte u in totaal 1\\.223 mensen\\.`));
      assert.ok(shown.every((r) => r.deleteAction), "this year's activities can be deleted");

      const events = await auditEvents(t, org.id, "advisorActivity.create");
      assert.equal(events.length, 3);
      assert.ok(events.every((e) => e.object_type === "advisorActivity" && e.actor_id === account.id));
      assert.deepEqual(events.map((e) => JSON.parse(e.details)), [{ kind: "team_presentation" }, { kind: "training" }, { kind: "workshop" }]);

      // Last year's activity goes to last year's list; this year's total stays.
      const late = await c.post(NEW, { activityOn: lastYear, kind: "intake_talk", organisationId: org.id, unitId: "", peopleReached: "7" });
      assert.equal(late.statusCode, 303);
      assert.equal(late.headers.location, `${LIST}?jaar=${year - 1}`);
      list = await c.get(LIST);
      assert.equal(total(list.body), "1.223");
      assert.match(list.body, new RegExp(`href="/activiteiten\\?jaar=${year - 1}"[^>]*>Activiteiten in ${year - 1}<`));
      const previous = await c.get(`${LIST}?jaar=${year - 1}`);
      assert.equal(previous.statusCode, 200);
      const old = activityRows(previous.body);
      assert.equal(old.length, 1);
      assert.equal(old[0]!.cells[1], "Kennismaking met nieuwe medewerkers");
      assert.equal(old[0]!.deleteAction, null, "an earlier year's activity cannot be deleted");
      assert.equal(total(previous.body), "7");
    });

    test("wrong input is refused with 422, the message at the field and what was typed; nothing is written", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Fout");
      const other = await makeOrganisation(t.ctx, "Gemeente Naast");
      const otherUnit = await makeUnit(t.ctx, other.id, "Elders");
      await makeUnit(t.ctx, org.id, "Hier");
      const account = await signedIn(t.ctx, "advisor", org.id);
      const c = new Client(t.app, account.sessionToken);
      await c.get(NEW);
      const good = { activityOn: today(), kind: "workshop", organisationId: org.id, unitId: "", peopleReached: "12" };

      const cases: [Record<string, string>, string, RegExp][] = [
        [{ activityOn: tomorrow }, "activityOn", /De datum van de activiteit kan niet in de toekomst liggen\./],
        [{ activityOn: "2025-02-30" }, "activityOn", /Vul een datum in als jjjj-mm-dd/],
        [{ activityOn: "" }, "activityOn", /Vul een datum in als jjjj-mm-dd/],
        [{ kind: "" }, "kind", /Kies wat voor activiteit het was\./],
        [{ kind: "party" }, "kind", /Kies wat voor activiteit het was\./],
        [{ peopleReached: "" }, "peopleReached", /Vul het aantal mensen in als heel getal van 0 tot en met 100\.000\./],
        [{ peopleReached: "-1" }, "peopleReached", /Vul het aantal mensen in als heel getal van 0 tot en met 100\.000\./],
        [{ peopleReached: "100001" }, "peopleReached", /Vul het aantal mensen in als heel getal van 0 tot en met 100\.000\./],
        [{ peopleReached: "twaalf" }, "peopleReached", /Vul het aantal mensen in als heel getal van 0 tot en met 100\.000\./],
        [{ peopleReached: "2.5" }, "peopleReached", /Vul het aantal mensen in als heel getal van 0 tot en met 100\.000\./],
        [{ unitId: otherUnit.id }, "unitId", /Kies een afdeling van de gekozen organisatie, of kies geen afdeling\./],
        [{ organisationId: other.id }, "organisationId", /Kies de organisatie waar de activiteit was\./],
        // Not back-dated: the same earliest day as a contact (1 January of last year).
        [{ activityOn: `${year - 2}-12-31` }, "activityOn", /Een activiteit kan niet eerder dan 1 januari van vorig jaar liggen\./],
      ];
      for (const [change, field, message] of cases) {
        const res = await c.post(NEW, { ...good, ...change });
        const what = JSON.stringify(change);
        assert.equal(res.statusCode, 422, what);
        assert.match(res.body, /Er is een probleem/, what);
        if (field !== "organisationId") assert.match(res.body, new RegExp(`href="#field-${field}"`), what);
        assert.match(res.body, message, what);
        // What was typed comes back.
        if (change.peopleReached !== undefined) assert.match(res.body, new RegExp(`name="peopleReached"[^>]*value="${change.peopleReached}"`), what);
        if (change.activityOn !== undefined) assert.match(res.body, new RegExp(`name="activityOn"[^>]*value="${change.activityOn}"`), what);
      }
      // Several at once: every one in the summary.
      const many = await c.post(NEW, { activityOn: tomorrow, kind: "", organisationId: org.id, unitId: "", peopleReached: "x" });
      assert.equal(many.statusCode, 422);
      assert.match(many.body, /href="#field-kind"/);
      assert.match(many.body, /href="#field-peopleReached"/);
      assert.deepEqual(await activitiesOf(t, account.id), []);
      assert.equal((await auditEvents(t, org.id, "advisorActivity.create")).length, 0);

      // The hint gives the format with today as the example, and the earliest day.
      const form = await c.get(NEW);
      assert.match(form.body, new RegExp(`Schrijf de datum als jaar-maand-dag, bijvoorbeeld ${today()}\\. Niet in de toekomst en niet eerder dan 1 januari ${year - 1}\\.`));

      // Not into a year whose yearly report is published (for the organisation, or for a group it is in): the next
      // report shows that year again, and the difference would be this activity.
      const grouped = await makeOrganisation(t.ctx, "Gemeente Vastgesteld");
      const region = await makeGroup(t.ctx, "Regio Vastgesteld", [grouped.id, other.id]);
      await grant(t.ctx, account.id, "advisor", "organisation", grouped.id, grouped.id);
      const snapshot = (scope_type: string, scope_id: string) => t.ctx.db.insertInto("advisor_report_snapshots").values({
        scope_type, scope_id, year: year - 1, data: "{}", published_by: account.id, published_at: new Date().toISOString(),
      }).execute();
      await snapshot("organisation", org.id);
      await snapshot("group", region.id);
      for (const organisationId of [org.id, grouped.id]) {
        const res = await c.post(NEW, { ...good, organisationId, activityOn: lastYear });
        assert.equal(res.statusCode, 422, organisationId);
        assert.match(res.body, new RegExp(`Het jaarverslag over ${year - 1} is al vastgesteld\\. Daarom kunt u geen activiteit uit ${year - 1} meer registreren`), organisationId);
        assert.match(res.body, /href="#field-activityOn"/);
      }
      assert.deepEqual(await activitiesOf(t, account.id), []);
      assert.equal((await auditEvents(t, org.id, "advisorActivity.create")).length, 0);

      // The bounds themselves are fine.
      assert.equal((await c.post(NEW, { ...good, peopleReached: "100000" })).statusCode, 303);
      assert.equal((await c.post(NEW, { ...good, peopleReached: "0" })).statusCode, 303);
    });

    test("an advisor deletes their own activity of this year; not an earlier year's, not another advisor's", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Correctie");
      const mine = await signedIn(t.ctx, "advisor", org.id);
      const colleague = await signedIn(t.ctx, "advisor", org.id);
      const c = new Client(t.app, mine.sessionToken);
      const other = new Client(t.app, colleague.sessionToken);
      await c.get(NEW);
      await other.get(NEW);
      assert.equal((await c.post(NEW, { activityOn: today(), kind: "workshop", organisationId: org.id, peopleReached: "500" })).statusCode, 303);
      assert.equal((await c.post(NEW, { activityOn: lastYear, kind: "workshop", organisationId: org.id, peopleReached: "5" })).statusCode, 303);
      const [old, wrong] = await activitiesOf(t, mine.id);

      // The colleague sees none of them and cannot delete them.
      assert.deepEqual(activityRows((await other.get(LIST)).body), []);
      assert.equal((await other.post(`${LIST}/${wrong!.id}/verwijderen`, {})).statusCode, 404);
      assert.equal((await other.post(`${LIST}/${newId()}/verwijderen`, {})).statusCode, 404);

      const list = await c.get(LIST);
      assert.equal(activityRows(list.body)[0]!.deleteAction, `${LIST}/${wrong!.id}/verwijderen`);
      const gone = await c.post(`${LIST}/${wrong!.id}/verwijderen`, {});
      assert.equal(gone.statusCode, 303);
      assert.equal(gone.headers.location, LIST);
      const after = await c.get(LIST);
      assert.match(after.body, /De activiteit is verwijderd\./);
      assert.match(after.body, /data-testid="activity-empty"/);
      assert.deepEqual((await activitiesOf(t, mine.id)).map((a) => a.id), [old!.id]);
      const events = await auditEvents(t, org.id, "advisorActivity.delete");
      assert.equal(events.length, 1);
      assert.deepEqual([events[0]!.object_id, events[0]!.actor_id, JSON.parse(events[0]!.details)], [wrong!.id, mine.id, { kind: "workshop" }]);

      // Last year's stays: its figures are fixed.
      const refused = await c.post(`${LIST}/${old!.id}/verwijderen`, {});
      assert.equal(refused.statusCode, 409);
      assert.match(refused.body, /De cijfers van dat jaar liggen vast\./);
      assert.equal((await activitiesOf(t, mine.id)).length, 1);
      // Deleted twice: it no longer exists.
      assert.equal((await c.post(`${LIST}/${wrong!.id}/verwijderen`, {})).statusCode, 404);
    });

    test("an advisor of a pool chooses the organisation; units are grouped per organisation", async () => {
      const a = await makeOrganisation(t.ctx, "Gemeente Aa");
      const b = await makeOrganisation(t.ctx, "Gemeente Bee");
      const outside = await makeOrganisation(t.ctx, "Gemeente Buiten");
      const group = await makeGroup(t.ctx, "Regio Pool", [a.id, b.id]);
      await makeUnit(t.ctx, a.id, "Afdeling Aa");
      const unitB = await makeUnit(t.ctx, b.id, "Afdeling Bee");
      const account = await makeAccount(t.ctx, `pool-${newId().slice(0, 6)}@example.test`);
      await grant(t.ctx, account.id, "advisor", "group", group.id, null);
      const c = new Client(t.app, await startSession(t.ctx, account.id, "full", { type: "account", id: account.id }));

      const form = await c.get(NEW);
      assert.equal(form.statusCode, 200);
      assert.deepEqual(selectOptions(form.body, "organisationId"), ["Gemeente Aa", "Gemeente Bee"]);
      assert.match(form.body, /<optgroup label="Gemeente Aa">[\s\S]*Afdeling Aa[\s\S]*<\/optgroup>/);
      assert.match(form.body, /<optgroup label="Gemeente Bee">[\s\S]*Afdeling Bee[\s\S]*<\/optgroup>/);

      const mismatch = await c.post(NEW, { activityOn: today(), kind: "intervision", organisationId: a.id, unitId: unitB.id, peopleReached: "4" });
      assert.equal(mismatch.statusCode, 422);
      assert.match(mismatch.body, /href="#field-unitId"/);
      const notMine = await c.post(NEW, { activityOn: today(), kind: "intervision", organisationId: outside.id, unitId: "", peopleReached: "4" });
      assert.equal(notMine.statusCode, 422);
      assert.match(notMine.body, /href="#field-organisationId"/);
      assert.match(notMine.body, /Kies de organisatie waar de activiteit was\./);

      assert.equal((await c.post(NEW, { activityOn: today(), kind: "intervision", organisationId: b.id, unitId: unitB.id, peopleReached: "4" })).statusCode, 303);
      const list = await c.get(LIST);
      const rows = activityRows(list.body);
      assert.deepEqual(rows.map((r) => r.cells.slice(1, 5)), [["Intervisie met andere vertrouwenspersonen", "Gemeente Bee", "Afdeling Bee", "4"]]);
      assert.equal((await auditEvents(t, b.id, "advisorActivity.create")).length, 1);
    });

    test("nobody but an advisor reaches the activities (403)", async () => {
      const org = await makeOrganisation(t.ctx, "Gemeente Alleen");
      const advisor = await signedIn(t.ctx, "advisor", org.id);
      const ac = new Client(t.app, advisor.sessionToken);
      await ac.get(NEW);
      assert.equal((await ac.post(NEW, { activityOn: today(), kind: "workshop", organisationId: org.id, peopleReached: "9" })).statusCode, 303);
      const [activity] = await activitiesOf(t, advisor.id);

      for (const role of ["coordinator", "admin", "hr", "employee", "secretary", "auditor"] as const) {
        const c = new Client(t.app, (await signedIn(t.ctx, role, org.id)).sessionToken);
        await c.get("/");
        assert.equal((await c.get(LIST)).statusCode, 403, role);
        assert.equal((await c.get(NEW)).statusCode, 403, role);
        assert.equal((await c.post(NEW, { activityOn: today(), kind: "workshop", organisationId: org.id, peopleReached: "9" })).statusCode, 403, role);
        assert.equal((await c.post(`${LIST}/${activity!.id}/verwijderen`, {})).statusCode, 403, role);
        assert.doesNotMatch((await c.get("/")).body, /href="\/activiteiten"/, `${role} has no link`);
      }
      assert.equal((await activitiesOf(t, advisor.id)).length, 1);
      const count = await t.ctx.db.selectFrom("advisor_activities").select(t.ctx.db.fn.countAll().as("n")).where("organisation_id", "=", org.id).executeTakeFirst();
      assert.equal(Number(count!.n), 1);
    });
  });
}
