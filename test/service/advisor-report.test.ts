import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Actor } from "../../src/access/actor.ts";
import { countReport, currentYear, saveReportTexts, yearlyReport, type YearlyReport } from "../../src/advisors/report.ts";
import { createContact } from "../../src/advisors/service.ts";
import type { FollowUp, Form } from "../../src/advisors/vocabulary.ts";
import { newId, now } from "../../src/crypto/tokens.ts";
import { Forbidden, NotFound } from "../../src/http/errors.ts";
import { DB_KINDS, freshDatabase, type TestDb } from "../helpers/db.ts";
import { makeGroup, makeOrganisation } from "../helpers/fixtures.ts";
import { actorWith, orgRole } from "../helpers/reports.ts";

// The yearly advisors' report rebuilt from contacts registered through the real service, on both databases:
// every cell of the five-year table, the totals of contacts and people, the distributions and activities are
// compared with a table written out by hand below; then suppression, groups and access.

const Y = currentYear() - 1; // the last whole year: every contact lies in the past
const YEARS = [Y - 4, Y - 3, Y - 2, Y - 1, Y];
const CODES = ["bullying", "sexual_harassment", "aggression", "discrimination", "integrity", "work_situation", "other"];

type Batch = { year: number; natures: string[]; times: number; people?: number; form?: Form; followUp?: FollowUp };

/** Organisation A: groups of identical contacts; multi-nature contacts and contacts with several people. */
const A: Batch[] = [
  { year: Y - 5, natures: ["bullying"], times: 1 }, // before the window
  { year: Y - 4, natures: ["bullying"], times: 6 },
  { year: Y - 4, natures: ["aggression"], times: 5 },
  { year: Y - 4, natures: ["work_situation"], times: 5, people: 2 },
  { year: Y - 3, natures: ["bullying"], times: 7 },
  { year: Y - 3, natures: ["aggression", "work_situation"], times: 6 },
  { year: Y - 3, natures: ["other"], times: 5 },
  { year: Y - 2, natures: ["bullying"], times: 8 },
  { year: Y - 2, natures: ["sexual_harassment"], times: 5 },
  { year: Y - 2, natures: ["aggression"], times: 6, people: 3 },
  { year: Y - 2, natures: ["discrimination"], times: 5 },
  { year: Y - 1, natures: ["bullying"], times: 9 },
  { year: Y - 1, natures: ["bullying", "aggression"], times: 5 },
  { year: Y - 1, natures: ["integrity"], times: 5 },
  { year: Y - 1, natures: ["work_situation"], times: 6 },
  { year: Y, natures: ["bullying"], times: 6, form: "in_person", followUp: "listening_advice" },
  { year: Y, natures: ["bullying"], times: 4, form: "phone", followUp: "referral_hr" },
  { year: Y, natures: ["sexual_harassment"], times: 2, form: "in_person", followUp: "informal_solution" },
  { year: Y, natures: ["aggression"], times: 7, people: 2, form: "in_person", followUp: "listening_advice" },
  { year: Y, natures: ["discrimination", "other"], times: 5, form: "video", followUp: "mediation" },
  { year: Y, natures: ["other"], times: 1, form: "in_person", followUp: "mediation" },
  { year: Y, natures: ["work_situation"], times: 6, form: "in_person", followUp: "referral_company_doctor" },
  { year: Y + 1, natures: ["bullying"], times: 1 }, // after the report year (1 January of this year)
];

/** Organisation B, in the same group: small on its own, it fills organisation A's small cell in the group. */
const B: Batch[] = [
  { year: Y - 4, natures: ["bullying"], times: 2 },
  { year: Y, natures: ["sexual_harassment"], times: 3, form: "email", followUp: "none" },
];

// The expected five-year table of organisation A, by hand (rows in CODES order, columns Y-4 .. Y).
const EXPECTED_A: Record<string, number[]> = {
  bullying: [6, 7, 8, 14, 10],
  sexual_harassment: [0, 0, 5, 0, 2],
  aggression: [5, 6, 6, 5, 7],
  discrimination: [0, 0, 5, 0, 5],
  integrity: [0, 0, 0, 5, 0],
  work_situation: [5, 6, 0, 6, 6],
  other: [0, 5, 0, 0, 6],
};
const CONTACTS_A = [16, 18, 24, 25, 31];
const PEOPLE_A = [21, 18, 36, 25, 38];
// As published: the 2 is primary ("< 5"); its cheapest partner in that year's column is discrimination (5).
const DISPLAY_A: Record<string, string[]> = {
  bullying: ["6", "7", "8", "14", "10"],
  sexual_harassment: ["0", "0", "5", "0", "< 5"],
  aggression: ["5", "6", "6", "5", "7"],
  discrimination: ["0", "0", "5", "0", "×"],
  integrity: ["0", "0", "0", "5", "0"],
  work_situation: ["5", "6", "0", "6", "6"],
  other: ["0", "5", "0", "0", "6"],
};
// Group (A + B): B's 3 contacts make the 2 a 5, so nothing is hidden.
const EXPECTED_GROUP: Record<string, number[]> = {
  ...EXPECTED_A, bullying: [8, 7, 8, 14, 10], sexual_harassment: [0, 0, 5, 0, 5],
};
const CONTACTS_GROUP = [18, 18, 24, 25, 34];
const PEOPLE_GROUP = [23, 18, 36, 25, 41];

const shown = (r: YearlyReport) => Object.fromEntries(r.natures.map((n) => [n.code, n.cells.map((c) => c.display)]));

async function register(db: TestDb, advisor: Actor, organisationId: string, batches: Batch[]) {
  let i = 0;
  for (const b of batches) {
    for (let k = 0; k < b.times; k++, i++) {
      const day = b.year > Y ? `${b.year}-01-01` : `${b.year}-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}`;
      await createContact(db.ctx, advisor, {
        contactOn: day, organisationId, unitId: null, relation: "employee", natures: b.natures, people: b.people ?? 1,
        form: b.form ?? "in_person", conversations: 1, minutes: 45, followUp: b.followUp ?? "listening_advice",
      });
    }
  }
}

for (const { kind, skip } of DB_KINDS) {
  describe(`advisors' yearly report (${kind})`, { skip }, () => {
    let db: TestDb;
    let orgA: { id: string; name: string }, orgB: { id: string; name: string }, group: { id: string; name: string };
    let advisor: Actor;

    before(async () => {
      db = await freshDatabase(kind);
      orgA = await makeOrganisation(db.ctx, "Gemeente Aalsdijk");
      orgB = await makeOrganisation(db.ctx, "Gemeente Beekveld");
      group = await makeGroup(db.ctx, "Regio Rivierenland", [orgA.id, orgB.id]);
      // One pool: the advisor's grant on the group covers both organisations.
      advisor = await actorWith(db.ctx, "advisor", { type: "group", id: group.id, organisationId: null }, orgA.id);
      await register(db, advisor, orgA.id, A);
      await register(db, advisor, orgB.id, B);
      const activity = (organisation_id: string, activity_on: string, kind: string, people_reached: number) => ({
        id: newId(), organisation_id, unit_id: null, advisor_account_id: advisor.accountId, activity_on, kind, people_reached, created_at: now(),
      });
      await db.ctx.db.insertInto("advisor_activities").values([
        activity(orgA.id, `${Y}-02-10`, "team_presentation", 20), activity(orgA.id, `${Y}-05-12`, "team_presentation", 15),
        activity(orgA.id, `${Y}-09-01`, "team_presentation", 10), activity(orgA.id, `${Y}-10-03`, "workshop", 12),
        activity(orgA.id, `${Y - 1}-10-03`, "workshop", 99), // another year
        activity(orgB.id, `${Y}-03-03`, "workshop", 8),
      ]).execute();
    });
    after(async () => { await db?.drop(); });

    test("the database counts every cell of the five-year table, and the totals of contacts and of people", async () => {
      const counts = await countReport(db.ctx.db, [orgA.id], Y);
      for (const code of CODES) {
        assert.deepEqual(YEARS.map((y) => counts.natures.get(code)?.get(y) ?? 0), EXPECTED_A[code], `${code}`);
      }
      assert.deepEqual(YEARS.map((y) => counts.contacts.get(y) ?? 0), CONTACTS_A);
      assert.deepEqual(YEARS.map((y) => counts.people.get(y) ?? 0), PEOPLE_A);
      assert.ok(!counts.contacts.has(Y - 5) && !counts.contacts.has(Y + 1), "only the five years");
      // A contact with two natures counts in both rows: a year's column adds up to more than its contacts.
      assert.equal(CODES.reduce((s, c) => s + EXPECTED_A[c]![1]!, 0), 24);
      assert.equal(CONTACTS_A[1], 18);
    });

    test("the report publishes the table with small counts protected, the real totals, distributions and activities", async () => {
      const coordinator = await orgRole(db.ctx, "coordinator", orgA.id);
      const r = await yearlyReport(db.ctx, coordinator, { scope: "organisation", id: orgA.id, year: Y });
      assert.deepEqual(r.years, YEARS);
      assert.equal(r.threshold, 5);
      assert.deepEqual(r.natures.map((n) => n.code), CODES, "the preset's natures in their order");
      assert.equal(r.natures[0]!.labelNl, "Pesten");
      assert.deepEqual(shown(r), DISPLAY_A);
      // Every shown value is the true count; hidden ones carry no value at all.
      for (const n of r.natures) {
        n.cells.forEach((c, i) => assert.equal(c.value, c.hidden ? null : EXPECTED_A[n.code]![i]));
      }
      const sh = r.natures.find((n) => n.code === "sexual_harassment")!.cells[4]!;
      const partner = r.natures.find((n) => n.code === "discrimination")!.cells[4]!;
      assert.deepEqual(sh, { value: null, display: "< 5", hidden: "primary" });
      assert.deepEqual(partner, { value: null, display: "×", hidden: "secondary" });
      assert.deepEqual(r.totals.contacts.map((f) => f.value), CONTACTS_A, "the real totals of contacts, not the column sums");
      assert.deepEqual(r.totals.people.map((f) => f.value), PEOPLE_A);
      assert.deepEqual(r.totals.contacts.map((f) => f.display), CONTACTS_A.map(String));

      assert.deepEqual(r.followUps.rows.map((x) => [x.code, x.figure.display]), [
        ["listening_advice", "13"], ["informal_solution", "< 5"], ["mediation", "6"], ["referral_company_doctor", "6"], ["referral_hr", "< 5"],
        ["referral_social_work", "0"], ["referral_other_helpline", "0"], ["formal_complaint_or_report", "0"], ["none", "0"],
      ]);
      assert.equal(r.followUps.total.display, "31");
      // One small form (phone 4) gets the smallest non-zero partner (video 5).
      assert.deepEqual(r.forms.rows.map((x) => [x.code, x.figure.display]), [["in_person", "22"], ["phone", "< 5"], ["video", "×"], ["email", "0"]]);
      assert.equal(r.forms.total.display, "31");
      assert.deepEqual(r.activities.rows.filter((a) => a.count).map((a) => [a.kind, a.count, a.peopleReached]), [["team_presentation", 3, 45], ["workshop", 1, 12]]);
      assert.deepEqual(r.activities.total, { count: 4, peopleReached: 57 });
      assert.equal(r.unprotectable, false);
      assert.equal(r.can.editTexts, false);
      assert.equal(JSON.stringify(r).includes("advisor_account_id"), false);
    });

    test("a group report adds the organisations; its threshold is the highest of its members'", async () => {
      const regional = await actorWith(db.ctx, "coordinator", { type: "group", id: group.id, organisationId: null }, orgA.id);
      const r = await yearlyReport(db.ctx, regional, { scope: "group", id: group.id, year: Y });
      assert.deepEqual(r.scope.organisations.map((o) => o.id), [orgA.id, orgB.id]);
      const counts = await countReport(db.ctx.db, [orgA.id, orgB.id], Y);
      for (const code of CODES) {
        assert.deepEqual(YEARS.map((y) => counts.natures.get(code)?.get(y) ?? 0), EXPECTED_GROUP[code], code);
        assert.deepEqual(r.natures.find((n) => n.code === code)!.cells.map((c) => c.value), EXPECTED_GROUP[code], `${code} published`);
      }
      assert.deepEqual(r.totals.contacts.map((f) => f.value), CONTACTS_GROUP);
      assert.deepEqual(r.totals.people.map((f) => f.value), PEOPLE_GROUP);
      assert.deepEqual(r.activities.total, { count: 5, peopleReached: 65 });

      await db.ctx.db.updateTable("advisor_settings").set({ suppression_threshold: 6 }).where("organisation_id", "=", orgB.id).execute();
      try {
        const strict = await yearlyReport(db.ctx, regional, { scope: "group", id: group.id, year: Y });
        assert.equal(strict.threshold, 6);
        assert.equal(strict.natures.find((n) => n.code === "sexual_harassment")!.cells[2]!.display, "< 6");
      } finally {
        await db.ctx.db.updateTable("advisor_settings").set({ suppression_threshold: 5 }).where("organisation_id", "=", orgB.id).execute();
      }
    });

    test("where the solver hides a year's column sum, the total of contacts published in its place is hidden too", async () => {
      // Five contacts, five different natures: five 1s that cannot cover each other (none can go below 1),
      // so the solver hides the column sum, and the real total (5) may not be shown instead.
      const orgC = await makeOrganisation(db.ctx, "Gemeente Klein");
      const advisorC = await orgRole(db.ctx, "advisor", orgC.id);
      const five = ["bullying", "sexual_harassment", "aggression", "discrimination", "integrity"];
      await register(db, advisorC, orgC.id, five.map((code) => ({ year: Y - 1, natures: [code], times: 1 })));
      // In the report year the same, all by phone and with the same follow-up: the distributions' rows (5 and 5)
      // would add up to the hidden total, so they are withheld too.
      await register(db, advisorC, orgC.id, five.map((code) => ({ year: Y, natures: [code], times: 1, form: "phone", followUp: "referral_hr" })));
      const r = await yearlyReport(db.ctx, await orgRole(db.ctx, "auditor", orgC.id), { scope: "organisation", id: orgC.id, year: Y });
      assert.deepEqual(r.natures.map((n) => n.cells[3]!.display), ["< 5", "< 5", "< 5", "< 5", "< 5", "0", "0"]);
      assert.deepEqual(r.totals.contacts.map((f) => f.display), ["0", "0", "0", "×", "×"]);
      assert.deepEqual(r.totals.people.map((f) => f.display), ["0", "0", "0", "×", "×"], "and the people, close to the contacts, with it");
      for (const d of [r.forms, r.followUps]) assert.deepEqual(d, { rows: [], total: { value: null, display: "×", hidden: "secondary" }, withheld: true });
    });

    test("a distribution whose own total would need hiding is withheld, and the year's total stays published", async () => {
      // Five contacts, one nature, five different follow-ups: five 1s with a total of 5 pin each other.
      const orgE = await makeOrganisation(db.ctx, "Gemeente Eenmaal");
      const advisorE = await orgRole(db.ctx, "advisor", orgE.id);
      const followUps = ["listening_advice", "informal_solution", "mediation", "referral_hr", "none"] as const;
      await register(db, advisorE, orgE.id, followUps.map((followUp) => ({ year: Y, natures: ["bullying"], times: 1, followUp })));
      const r = await yearlyReport(db.ctx, await orgRole(db.ctx, "secretary", orgE.id), { scope: "organisation", id: orgE.id, year: Y });
      assert.equal(r.natures[0]!.cells[4]!.display, "5");
      assert.equal(r.totals.contacts[4]!.display, "5");
      assert.equal(r.followUps.withheld, true);
      assert.deepEqual(r.followUps.rows, []);
      assert.equal(r.forms.withheld, false);
      assert.deepEqual(r.forms.rows.map((x) => x.figure.display), ["5", "0", "0", "0"]);
      assert.equal(r.forms.total.display, "5");
    });

    test("only whole scopes: another organisation, a group not wholly covered, and roles without the permission get 404", async () => {
      const other = await makeOrganisation(db.ctx, "Gemeente Elders");
      const elsewhere = await orgRole(db.ctx, "coordinator", other.id);
      await assert.rejects(yearlyReport(db.ctx, elsewhere, { scope: "organisation", id: orgA.id, year: Y }), NotFound);
      const coordinatorA = await orgRole(db.ctx, "coordinator", orgA.id);
      await assert.rejects(yearlyReport(db.ctx, coordinatorA, { scope: "group", id: group.id, year: Y }), NotFound, "A alone does not cover the group");
      for (const role of ["employee", "admin", "hr", "manager", "investigator"] as const) {
        const actor = await orgRole(db.ctx, role, orgA.id);
        await assert.rejects(yearlyReport(db.ctx, actor, { scope: "organisation", id: orgA.id, year: Y }), NotFound, role);
      }
      for (const role of ["secretary", "auditor", "advisor"] as const) {
        const actor = await orgRole(db.ctx, role, orgA.id);
        assert.deepEqual(shown(await yearlyReport(db.ctx, actor, { scope: "organisation", id: orgA.id, year: Y })), DISPLAY_A, role);
      }
    });

    test("the advisor writes the texts (audited); a coordinator may read but not write them", async () => {
      await saveReportTexts(db.ctx, advisor, { scope: "group", id: group.id, year: Y, interpretation: "  Meer meldingen over pesten.\r\n\r\nVooral bij teams met veel wisselingen.  ", recommendations: "Meer voorlichting." });
      const regional = await actorWith(db.ctx, "coordinator", { type: "group", id: group.id, organisationId: null }, orgA.id);
      const r = await yearlyReport(db.ctx, regional, { scope: "group", id: group.id, year: Y });
      assert.equal(r.texts.interpretation, "Meer meldingen over pesten.\n\nVooral bij teams met veel wisselingen.");
      assert.equal(r.texts.recommendations, "Meer voorlichting.");
      assert.ok(r.texts.updatedBy);
      assert.equal((await yearlyReport(db.ctx, advisor, { scope: "group", id: group.id, year: Y })).can.editTexts, true);
      await assert.rejects(saveReportTexts(db.ctx, regional, { scope: "group", id: group.id, year: Y, interpretation: "x", recommendations: "y" }), Forbidden);
      // Saved again: one row, replaced.
      await saveReportTexts(db.ctx, advisor, { scope: "group", id: group.id, year: Y, interpretation: "Nieuw.", recommendations: "" });
      assert.equal((await yearlyReport(db.ctx, regional, { scope: "group", id: group.id, year: Y })).texts.interpretation, "Nieuw.");
      const events = await db.ctx.db.selectFrom("audit_events").select(["organisation_id", "details"]).where("action", "=", "advisorReport.texts").execute();
      assert.equal(events.length, 4, "two saves, each in the log of both member organisations");
      assert.deepEqual(new Set(events.map((e) => e.organisation_id)), new Set([orgA.id, orgB.id]));
      assert.ok(events.every((e) => !e.details.includes("pesten")), "the log says who changed the texts, not what they say");
    });
  });
}
