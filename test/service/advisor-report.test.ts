import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Actor } from "../../src/access/actor.ts";
import {
  countReport, currentYear, NotPublished, protectDistribution, publishReport, reportFor, saveReportTexts, yearlyReport, type Figure, type YearlyReport,
} from "../../src/advisors/report.ts";
import { recordActivity } from "../../src/advisors/activities.ts";
import { createContact, ensureAdvisorSetup } from "../../src/advisors/service.ts";
import { FOLLOW_UPS, FORMS, type FollowUp, type Form } from "../../src/advisors/vocabulary.ts";
import { newId, now } from "../../src/crypto/tokens.ts";
import { Forbidden, Invalid, NotFound } from "../../src/http/errors.ts";
import { DB_KINDS, freshDatabase, type TestDb } from "../helpers/db.ts";
import { makeGroup, makeOrganisation } from "../helpers/fixtures.ts";
import { actorWith, orgRole } from "../helpers/reports.ts";

// The yearly advisors' report rebuilt from contacts in the register, on both databases: every cell of the
// five-year table, the totals of contacts and people, the distributions and activities are compared with a
// table written out by hand below; then suppression, what a column says about one person, groups derived from
// their members (no differencing), publication, and access. Contacts are put in the register directly: the
// service refuses dates before last year, and the report needs five years.

const Y = currentYear() - 1; // the last whole year: every contact lies in the past, and it can be published
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

/** Organisation B, in the same group: small on its own (2 contacts in Y-4, 3 in Y). */
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
// The group's raw counts (A + B): what a group report computed from the counts would show. B's 3 contacts make
// A's hidden 2 a 5, so such a report would hide nothing, and next to A's and B's own reports give both away.
const EXPECTED_GROUP: Record<string, number[]> = {
  ...EXPECTED_A, bullying: [8, 7, 8, 14, 10], sexual_harassment: [0, 0, 5, 0, 5],
};

const shown = (r: YearlyReport) => Object.fromEntries(r.natures.map((n) => [n.code, n.cells.map((c) => c.display)]));
const HIDDEN: Figure = { value: null, display: "×", hidden: "secondary" };

/** Contacts straight into the register (as the service stores them), the natures in their own table. */
async function register(db: TestDb, advisorId: string, organisationId: string, batches: Batch[]) {
  await ensureAdvisorSetup(db.ctx, organisationId);
  let i = 0;
  for (const b of batches) {
    for (let k = 0; k < b.times; k++, i++) {
      const day = b.year > Y ? `${b.year}-01-01` : `${b.year}-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}`;
      const id = newId();
      await db.ctx.db.insertInto("advisor_contacts").values({
        id, organisation_id: organisationId, unit_id: null, advisor_account_id: advisorId, successor_account_id: null, contact_on: day,
        relation: "employee", form: b.form ?? "in_person", people: b.people ?? 1, conversations: 1, minutes: 45, follow_up: b.followUp ?? "listening_advice",
        report_id: null, consent_on: null, status: "open", closed_on: null, notes_destroy_on: null, notes_destroyed_at: null, version: 1,
        created_at: now(), updated_at: now(),
      }).execute();
      await db.ctx.db.insertInto("advisor_contact_natures").values(b.natures.map((code) => ({ contact_id: id, code }))).execute();
    }
  }
}

// ---- differencing: what a group publishes next to its members' reports ----

/** Every published entry of a report by key, its value or null when hidden. A nature a report does not list
 *  has none (a report lists every nature it counted); a row of a withheld distribution is hidden. */
function entries(r: YearlyReport): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const n of r.natures) n.cells.forEach((f, j) => out.set(`nature ${n.code} ${r.years[j]}`, f.value));
  r.years.forEach((y, j) => { out.set(`contacts ${y}`, r.totals.contacts[j]!.value); out.set(`people ${y}`, r.totals.people[j]!.value); });
  for (const [name, d] of [["followUp", r.followUps], ["form", r.forms]] as const) {
    for (const x of d.rows) out.set(`${name} ${x.code}`, x.figure.value);
    out.set(`${name} total`, d.total.value);
  }
  return out;
}
function valueOf(r: YearlyReport, all: Map<string, number | null>, key: string): number | null {
  if (all.has(key)) return all.get(key)!;
  if (key.startsWith("followUp ")) return r.followUps.withheld ? null : 0;
  if (key.startsWith("form ")) return r.forms.withheld ? null : 0;
  return 0;
}

/** For every member M and every entry M hides: the group minus the others' shown values must not give it. And
 *  stronger: whatever the group shows, every member shows, and the group's value is their sum. */
function assertNoDifferencing(group: YearlyReport, members: YearlyReport[]) {
  const g = entries(group), ms = members.map(entries);
  const keys = new Set([...g.keys(), ...ms.flatMap((m) => [...m.keys()])]);
  const leaks: string[] = [], added: string[] = [];
  for (const key of keys) {
    const gv = valueOf(group, g, key);
    const mv = members.map((m, i) => valueOf(m, ms[i]!, key));
    members.forEach((m, i) => {
      const others = mv.filter((_, k) => k !== i);
      if (mv[i] === null && gv !== null && others.every((v) => v !== null)) {
        leaks.push(`${key}: group ${gv} minus the others' ${others.join(" + ")} gives ${m.scope.name}'s hidden value ${gv - others.reduce((s, v) => s + v!, 0)}`);
      }
    });
    if (gv !== null && (mv.some((v) => v === null) || gv !== mv.reduce((s, v) => s! + v!, 0))) added.push(`${key}: the group shows ${gv}, the members ${mv.join(", ")}`);
  }
  assert.deepEqual(leaks, [], "differencing gives hidden counts away");
  assert.deepEqual(added, [], "the group shows something its members do not");
  // The group's own lines: a shown total never stands over exactly one hidden entry.
  group.years.forEach((y, j) => {
    if (group.totals.contacts[j]!.value === null) return;
    const hidden = group.natures.filter((n) => n.cells[j]!.hidden).length;
    assert.ok(hidden !== 1, `${y}: one hidden nature under a shown total`);
  });
  for (const d of [group.followUps, group.forms]) {
    if (!d.withheld && d.total.value !== null) assert.ok(d.rows.filter((x) => x.figure.hidden).length !== 1, "one hidden row under a shown total");
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
      await register(db, advisor.accountId, orgA.id, A);
      await register(db, advisor.accountId, orgB.id, B);
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
      assert.deepEqual(r.withheldYears, []);
      // Every shown value is the true count; hidden ones carry no value at all.
      for (const n of r.natures) {
        n.cells.forEach((c, i) => assert.equal(c.value, c.hidden ? null : EXPECTED_A[n.code]![i]));
      }
      const sh = r.natures.find((n) => n.code === "sexual_harassment")!.cells[4]!;
      const partner = r.natures.find((n) => n.code === "discrimination")!.cells[4]!;
      assert.deepEqual(sh, { value: null, display: "< 5", hidden: "primary" });
      assert.deepEqual(partner, HIDDEN);
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
      assert.equal(r.draft, true, "the live report is a draft");
      assert.deepEqual(r.can, { editTexts: false, publish: false });
      assert.equal(JSON.stringify(r).includes("advisor_account_id"), false);
    });

    test("a group report is derived from its members' reports: a member's hidden entry or withheld year is hidden in the group", async () => {
      const regional = await actorWith(db.ctx, "coordinator", { type: "group", id: group.id, organisationId: null }, orgA.id);
      const r = await yearlyReport(db.ctx, regional, { scope: "group", id: group.id, year: Y });
      assert.deepEqual(r.scope.organisations.map((o) => o.id), [orgA.id, orgB.id]);
      // The raw counts of the group, for reference: a report from them would have shown 5 sexual harassment contacts in Y.
      const counts = await countReport(db.ctx.db, [orgA.id, orgB.id], Y);
      for (const code of CODES) assert.deepEqual(YEARS.map((y) => counts.natures.get(code)?.get(y) ?? 0), EXPECTED_GROUP[code], code);
      // B had 2 contacts in Y-4 and 3 in Y: B withholds those years, and so does the group; in between B has none.
      const b = await yearlyReport(db.ctx, regional, { scope: "organisation", id: orgB.id, year: Y });
      assert.deepEqual(b.withheldYears, [Y - 4, Y]);
      assert.deepEqual(r.withheldYears, [Y - 4, Y]);
      for (const code of CODES) {
        assert.deepEqual(r.natures.find((n) => n.code === code)!.cells.map((c) => c.display),
          ["×", ...DISPLAY_A[code]!.slice(1, 4), "×"], `${code}: A's values where B shows 0, hidden where B withholds`);
      }
      assert.deepEqual(r.totals.contacts.map((f) => f.display), ["×", ...CONTACTS_A.slice(1, 4).map(String), "×"]);
      assert.deepEqual(r.totals.people.map((f) => f.display), ["×", ...PEOPLE_A.slice(1, 4).map(String), "×"]);
      assert.equal(r.followUps.withheld, true);
      assert.equal(r.forms.withheld, true);
      assert.deepEqual(r.activities.total, { count: 5, peopleReached: 65 }, "activities are added up exactly");
      assertNoDifferencing(r, [await yearlyReport(db.ctx, regional, { scope: "organisation", id: orgA.id, year: Y }), b]);

      // Each member keeps its own threshold; the group's is the lowest, and every count it shows is 0 or at least that.
      await db.ctx.db.updateTable("advisor_settings").set({ suppression_threshold: 6 }).where("organisation_id", "=", orgB.id).execute();
      try {
        const strict = await yearlyReport(db.ctx, regional, { scope: "group", id: group.id, year: Y });
        assert.equal(strict.threshold, 5);
        assert.equal(strict.natures.find((n) => n.code === "sexual_harassment")!.cells[2]!.display, "5", "A's 5 and B's 0, both published");
      } finally {
        await db.ctx.db.updateTable("advisor_settings").set({ suppression_threshold: 5 }).where("organisation_id", "=", orgB.id).execute();
      }
    });

    test("differencing: no group of two or three members gives away a count one member hides", async () => {
      // The review's probe: A 6 contacts about sexual harassment, B 1 ("< 5"); computed from the counts the group
      // showed 7, and 7 - 6 = 1. In the year before, B's 3 contacts: group 15 - A 12 = 3.
      const P = await makeOrganisation(db.ctx, "Gemeente Polder");
      const Q = await makeOrganisation(db.ctx, "Gemeente Kwelder");
      const R = await makeOrganisation(db.ctx, "Gemeente Rietland");
      const pair = await makeGroup(db.ctx, "Regio Twee", [P.id, Q.id]);
      const trio = await makeGroup(db.ctx, "Regio Drie", [P.id, Q.id, R.id]);
      const pool = await actorWith(db.ctx, "advisor", { type: "group", id: trio.id, organisationId: null }, P.id);
      await register(db, pool.accountId, P.id, [
        { year: Y, natures: ["sexual_harassment"], times: 6, form: "phone", followUp: "mediation" },
        { year: Y, natures: ["bullying"], times: 6, form: "in_person" },
        { year: Y - 1, natures: ["bullying"], times: 12 },
        { year: Y - 2, natures: ["aggression"], times: 3 }, { year: Y - 2, natures: ["work_situation"], times: 9, people: 2 },
        { year: Y - 3, natures: ["integrity"], times: 7 },
      ]);
      await register(db, pool.accountId, Q.id, [
        { year: Y, natures: ["sexual_harassment"], times: 1, form: "email", followUp: "formal_complaint_or_report" },
        { year: Y, natures: ["bullying"], times: 5, form: "in_person" }, { year: Y, natures: ["aggression"], times: 5, form: "video" },
        { year: Y - 1, natures: ["bullying"], times: 3 },
        { year: Y - 2, natures: ["aggression"], times: 2 }, { year: Y - 2, natures: ["discrimination"], times: 6 },
        { year: Y - 3, natures: ["integrity", "other"], times: 5 },
      ]);
      await register(db, pool.accountId, R.id, [
        { year: Y, natures: ["sexual_harassment"], times: 2, form: "phone" }, { year: Y, natures: ["work_situation"], times: 7 },
        { year: Y, natures: ["other"], times: 1, followUp: "none" },
        { year: Y - 1, natures: ["bullying"], times: 8 }, { year: Y - 1, natures: ["aggression"], times: 4 },
        { year: Y - 2, natures: ["aggression"], times: 4 }, { year: Y - 2, natures: ["integrity"], times: 4 },
        { year: Y - 4, natures: ["discrimination"], times: 1 },
      ]);
      const member = (o: { id: string }) => yearlyReport(db.ctx, pool, { scope: "organisation", id: o.id, year: Y });
      const [p, q, r] = [await member(P), await member(Q), await member(R)];
      assert.equal(q.natures.find((n) => n.code === "sexual_harassment")!.cells[4]!.display, "< 5", "the probe: Q hides its 1");
      const two = await yearlyReport(db.ctx, pool, { scope: "group", id: pair.id, year: Y });
      assert.deepEqual(two.natures.find((n) => n.code === "sexual_harassment")!.cells[4], HIDDEN, "not 7");
      assert.deepEqual(two.totals.contacts[3], HIDDEN, "not 15");
      assertNoDifferencing(two, [p, q]);
      assertNoDifferencing(await yearlyReport(db.ctx, pool, { scope: "group", id: trio.id, year: Y }), [p, q, r]);
      // And once published: the groups derived from the members' publications.
      for (const o of [P, Q, R]) await publishReport(db.ctx, pool, { scope: "organisation", id: o.id, year: Y });
      const reader = await actorWith(db.ctx, "auditor", { type: "group", id: trio.id, organisationId: null }, P.id);
      const published = (scope: "organisation" | "group", id: string) => reportFor(db.ctx, reader, { scope, id, year: Y });
      const members = [await published("organisation", P.id), await published("organisation", Q.id), await published("organisation", R.id)];
      assertNoDifferencing(await published("group", pair.id), members.slice(0, 2));
      assertNoDifferencing(await published("group", trio.id), members);
    });

    test("a member's report does not depend on the groups it is in", async () => {
      const strip = (r: YearlyReport) => ({ ...r, generatedAt: "" });
      const before = strip(await yearlyReport(db.ctx, advisor, { scope: "organisation", id: orgB.id, year: Y }));
      const other = await makeOrganisation(db.ctx, "Gemeente Groot");
      await register(db, advisor.accountId, other.id, [{ year: Y, natures: ["sexual_harassment"], times: 40 }]);
      await makeGroup(db.ctx, "Regio Nieuw", [orgB.id, other.id]);
      assert.deepEqual(strip(await yearlyReport(db.ctx, advisor, { scope: "organisation", id: orgB.id, year: Y })), before);
    });

    test("a year whose contacts sit in one hidden row is withheld whole, its zeros and totals too; so are its distributions", async () => {
      // The probe: two contacts, both about sexual harassment, formal complaint, in person. Shown, the column would
      // say "< 5" there and 0 everywhere else: whoever knows a colleague went to the advisor that year knows why.
      const orgP = await makeOrganisation(db.ctx, "Gemeente Twee");
      await register(db, advisor.accountId, orgP.id, [
        { year: Y, natures: ["sexual_harassment"], times: 2, form: "in_person", followUp: "formal_complaint_or_report" },
        { year: Y - 1, natures: ["bullying"], times: 7 },
        // Three contacts about two subjects: fewer than the threshold in the year, so withheld as well.
        { year: Y - 2, natures: ["bullying"], times: 2 }, { year: Y - 2, natures: ["aggression"], times: 1 },
      ]);
      const r = await yearlyReport(db.ctx, await orgRole(db.ctx, "auditor", orgP.id), { scope: "organisation", id: orgP.id, year: Y });
      assert.deepEqual(r.withheldYears, [Y - 2, Y]);
      for (const j of [2, 4]) {
        assert.deepEqual(r.natures.map((n) => n.cells[j]), r.natures.map(() => HIDDEN), `${YEARS[j]}: every subject hidden, the zeros too`);
        assert.deepEqual([r.totals.contacts[j], r.totals.people[j]], [HIDDEN, HIDDEN]);
      }
      assert.deepEqual(r.natures.map((n) => n.cells[3]!.display), ["7", "0", "0", "0", "0", "0", "0"], "seven contacts on one subject: shown");
      assert.equal(r.totals.contacts[3]!.display, "7");
      assert.deepEqual(r.followUps, { rows: [], total: HIDDEN, withheld: true }, "not: formal complaint < 5, others 0");
      assert.deepEqual(r.forms, { rows: [], total: HIDDEN, withheld: true }, "not: in person < 5");
      assert.equal(JSON.stringify(r).includes("formal_complaint_or_report"), false);
    });

    test("a distribution whose count sits in one hidden row is withheld; two hidden rows are not", () => {
      // The probe's distributions on their own: the year's column rule withholds them too, but each stands alone.
      assert.deepEqual(protectDistribution(FOLLOW_UPS, new Map([["formal_complaint_or_report", 2]]), 5),
        { rows: [], total: HIDDEN, withheld: true, unprotectable: false }, "not: formal complaint < 5, others 0");
      assert.equal(protectDistribution(FORMS, new Map([["in_person", 2]]), 5).withheld, true, "not: in person < 5");
      const two = protectDistribution(FORMS, new Map([["in_person", 2], ["phone", 3]]), 5);
      assert.equal(two.withheld, false);
      assert.deepEqual(two.rows.map((x) => x.figure.display), ["< 5", "< 5", "0", "0"]);
      assert.equal(protectDistribution(FORMS, new Map([["in_person", 7]]), 5).rows[0]!.figure.display, "7", "one row of 7: shown");
    });

    test("where the solver hides a year's column sum, the total of contacts published in its place is hidden too", async () => {
      // Five contacts, five different natures: five 1s that cannot cover each other (none can go below 1),
      // so the solver hides the column sum, and the real total (5) may not be shown instead.
      const orgC = await makeOrganisation(db.ctx, "Gemeente Klein");
      const five = ["bullying", "sexual_harassment", "aggression", "discrimination", "integrity"];
      await register(db, advisor.accountId, orgC.id, five.map((code) => ({ year: Y - 1, natures: [code], times: 1 })));
      // In the report year the same, all by phone and with the same follow-up: the distributions' rows (5 and 5)
      // would add up to the hidden total, so they are withheld too.
      await register(db, advisor.accountId, orgC.id, five.map((code) => ({ year: Y, natures: [code], times: 1, form: "phone", followUp: "referral_hr" })));
      const r = await yearlyReport(db.ctx, await orgRole(db.ctx, "auditor", orgC.id), { scope: "organisation", id: orgC.id, year: Y });
      assert.deepEqual(r.natures.map((n) => n.cells[3]!.display), ["< 5", "< 5", "< 5", "< 5", "< 5", "0", "0"]);
      assert.deepEqual(r.totals.contacts.map((f) => f.display), ["0", "0", "0", "×", "×"]);
      assert.deepEqual(r.totals.people.map((f) => f.display), ["0", "0", "0", "×", "×"], "and the people, close to the contacts, with it");
      for (const d of [r.forms, r.followUps]) assert.deepEqual(d, { rows: [], total: HIDDEN, withheld: true });
    });

    test("a distribution whose own total would need hiding is withheld, and the year's total stays published", async () => {
      // Five contacts, one nature, five different follow-ups: five 1s with a total of 5 pin each other.
      const orgE = await makeOrganisation(db.ctx, "Gemeente Eenmaal");
      const followUps = ["listening_advice", "informal_solution", "mediation", "referral_hr", "none"] as const;
      await register(db, advisor.accountId, orgE.id, followUps.map((followUp) => ({ year: Y, natures: ["bullying"], times: 1, followUp })));
      const r = await yearlyReport(db.ctx, await orgRole(db.ctx, "secretary", orgE.id), { scope: "organisation", id: orgE.id, year: Y });
      assert.equal(r.natures[0]!.cells[4]!.display, "5");
      assert.equal(r.totals.contacts[4]!.display, "5");
      assert.equal(r.followUps.withheld, true);
      assert.deepEqual(r.followUps.rows, []);
      assert.equal(r.forms.withheld, false);
      assert.deepEqual(r.forms.rows.map((x) => x.figure.display), ["5", "0", "0", "0"]);
      assert.equal(r.forms.total.display, "5");
    });

    test("the report year runs from 2000 to this year", async () => {
      for (const year of [1999, currentYear() + 1, 2100, "20x5"]) {
        await assert.rejects(yearlyReport(db.ctx, advisor, { scope: "organisation", id: orgA.id, year }), Invalid, String(year));
        await assert.rejects(reportFor(db.ctx, advisor, { scope: "organisation", id: orgA.id, year }), Invalid, String(year));
      }
      assert.equal((await yearlyReport(db.ctx, advisor, { scope: "organisation", id: orgA.id, year: currentYear() })).year, currentYear());
      assert.equal((await yearlyReport(db.ctx, advisor, { scope: "organisation", id: orgA.id, year: "2000" })).year, 2000);
    });

    test("only whole scopes: another organisation, a group not wholly covered, and roles without the permission get 404", async () => {
      const other = await makeOrganisation(db.ctx, "Gemeente Elders");
      const elsewhere = await orgRole(db.ctx, "coordinator", other.id);
      await assert.rejects(yearlyReport(db.ctx, elsewhere, { scope: "organisation", id: orgA.id, year: Y }), NotFound);
      await assert.rejects(reportFor(db.ctx, elsewhere, { scope: "organisation", id: orgA.id, year: Y }), NotFound);
      const coordinatorA = await orgRole(db.ctx, "coordinator", orgA.id);
      await assert.rejects(yearlyReport(db.ctx, coordinatorA, { scope: "group", id: group.id, year: Y }), NotFound, "A alone does not cover the group");
      for (const role of ["employee", "admin", "hr", "manager", "investigator"] as const) {
        const actor = await orgRole(db.ctx, role, orgA.id);
        await assert.rejects(yearlyReport(db.ctx, actor, { scope: "organisation", id: orgA.id, year: Y }), NotFound, role);
        await assert.rejects(publishReport(db.ctx, actor, { scope: "organisation", id: orgA.id, year: Y }), NotFound, role);
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

    test("publication: readers see only what an advisor published for a completed year; late entries change nothing until republished", async () => {
      const orgK = await makeOrganisation(db.ctx, "Gemeente Kade");
      const advisorK = await orgRole(db.ctx, "advisor", orgK.id);
      const coordinator = await orgRole(db.ctx, "coordinator", orgK.id);
      await register(db, advisorK.accountId, orgK.id, [
        { year: Y, natures: ["bullying"], times: 6, form: "phone" }, { year: Y, natures: ["aggression"], times: 6, followUp: "mediation" },
        { year: Y - 1, natures: ["bullying"], times: 9 },
      ]);
      const scope = { scope: "organisation" as const, id: orgK.id, year: Y };

      // Nothing published yet: the reader is told so; the advisor sees the live draft.
      const pending = await reportFor(db.ctx, coordinator, scope).then(() => null, (e: unknown) => e);
      assert.ok(pending instanceof NotPublished);
      assert.deepEqual([pending.status, pending.year, pending.missing], [404, Y, []]);
      const draft = await reportFor(db.ctx, advisorK, scope);
      assert.deepEqual([draft.draft, draft.published, draft.can], [true, null, { editTexts: true, publish: true }]);
      assert.equal((await reportFor(db.ctx, advisorK, { ...scope, year: currentYear() })).can.publish, false, "not this year: it is not over");

      // Only the scope's advisors publish, and only a completed year.
      await assert.rejects(publishReport(db.ctx, coordinator, scope), Forbidden);
      await assert.rejects(publishReport(db.ctx, advisorK, { ...scope, year: currentYear() }), Invalid);
      await saveReportTexts(db.ctx, advisorK, { ...scope, interpretation: "Rustig jaar.", recommendations: "" });
      const first = await publishReport(db.ctx, advisorK, scope);

      const seen = await reportFor(db.ctx, coordinator, scope);
      assert.equal(seen.draft, false);
      assert.deepEqual(seen.published, { at: first.at, by: advisorK.displayName });
      assert.deepEqual(seen.can, { editTexts: false, publish: false });
      assert.equal(seen.texts.interpretation, "Rustig jaar.");
      assert.deepEqual(shown(seen), shown(draft));
      assert.deepEqual(seen.totals, draft.totals);
      assert.deepEqual([seen.followUps, seen.forms], [draft.followUps, draft.forms]);
      assert.deepEqual((await reportFor(db.ctx, advisorK, scope)).published, seen.published, "the advisor's draft says when it was published");

      // The stored report holds what it shows, never a hidden count.
      const row = await db.ctx.db.selectFrom("advisor_report_snapshots").selectAll().where("scope_id", "=", orgK.id).executeTakeFirstOrThrow();
      const figures: Figure[] = [];
      JSON.parse(row.data, (k, v) => { if (v && typeof v === "object" && "display" in v && "hidden" in v) figures.push(v as Figure); return v; });
      assert.ok(figures.length > 40);
      for (const f of figures) assert.ok(f.hidden ? f.value === null : f.value !== null && f.display === String(f.value), JSON.stringify(f));

      // A late entry (a contact of last year registered now), and a text changed afterwards: the draft changes,
      // the published report does not — no "6 became 7, and by phone" between two versions.
      await register(db, advisorK.accountId, orgK.id, [{ year: Y, natures: ["bullying"], times: 1, form: "phone", followUp: "formal_complaint_or_report" }]);
      await saveReportTexts(db.ctx, advisorK, { ...scope, interpretation: "Toch een melding.", recommendations: "" });
      assert.equal((await reportFor(db.ctx, advisorK, scope)).natures[0]!.cells[4]!.display, "7");
      const again = await reportFor(db.ctx, coordinator, scope);
      assert.equal(again.natures[0]!.cells[4]!.display, "6");
      assert.equal(again.texts.interpretation, "Rustig jaar.");
      assert.deepEqual({ ...again, generatedAt: "" }, { ...seen, generatedAt: "" }, "the same report, download after download");

      // Publishing again replaces it, and is audited like the first time.
      const second = await publishReport(db.ctx, advisorK, scope);
      const now2 = await reportFor(db.ctx, coordinator, scope);
      assert.equal(now2.natures[0]!.cells[4]!.display, "7");
      assert.equal(now2.texts.interpretation, "Toch een melding.");
      assert.equal(now2.published!.at, second.at);
      assert.equal((await db.ctx.db.selectFrom("advisor_report_snapshots").select("year").where("scope_id", "=", orgK.id).execute()).length, 1);
      const events = await db.ctx.db.selectFrom("audit_events").select(["organisation_id", "object_id", "details"])
        .where("action", "=", "advisorReport.publish").where("organisation_id", "=", orgK.id).orderBy("occurred_at").execute();
      assert.deepEqual(events.map((e) => [e.object_id, JSON.parse(e.details).republished]).sort(), [[`organisation:${orgK.id}:${Y}`, false], [`organisation:${orgK.id}:${Y}`, true]]);
      // Another year stays unpublished.
      await assert.rejects(reportFor(db.ctx, coordinator, { ...scope, year: Y - 1 }), NotPublished);
    });

    test("a published year is closed: no late contact or activity goes in, and the next report shows that year's column as published", async () => {
      const orgL = await makeOrganisation(db.ctx, "Gemeente Laat");
      const advisorL = await orgRole(db.ctx, "advisor", orgL.id);
      const coordinator = await orgRole(db.ctx, "coordinator", orgL.id);
      await register(db, advisorL.accountId, orgL.id, [
        { year: Y - 1, natures: ["bullying"], times: 7 }, { year: Y - 1, natures: ["aggression"], times: 2 }, { year: Y - 1, natures: ["other"], times: 5 },
        { year: Y, natures: ["bullying"], times: 6 }, { year: Y, natures: ["sexual_harassment"], times: 2 }, { year: Y, natures: ["integrity"], times: 5 },
      ]);
      await publishReport(db.ctx, advisorL, { scope: "organisation", id: orgL.id, year: Y });
      const P = await reportFor(db.ctx, coordinator, { scope: "organisation", id: orgL.id, year: Y });

      // A contact or an activity dated in the published year is refused, with the year, and nothing is written.
      const contacts = () => db.ctx.db.selectFrom("advisor_contacts").select("id").where("organisation_id", "=", orgL.id).execute().then((r) => r.length);
      const before = await contacts();
      const late = { contactOn: `${Y}-12-30`, organisationId: orgL.id, relation: "employee", natures: ["sexual_harassment"], people: 1, form: "phone", conversations: 1, minutes: 30, followUp: "formal_complaint_or_report" };
      const refused = await createContact(db.ctx, advisorL, late).then(() => null, (e: unknown) => e);
      assert.ok(refused instanceof Invalid);
      assert.deepEqual([refused.fields, refused.params], [{ contactOn: "advisor.yearPublished" }, { year: Y, next: Y + 1 }]);
      assert.equal(await contacts(), before);
      const activity = await recordActivity(db.ctx, advisorL, { activityOn: `${Y}-12-30`, organisationId: orgL.id, kind: "workshop", peopleReached: 3 }).then(() => null, (e: unknown) => e);
      assert.ok(activity instanceof Invalid);
      assert.deepEqual(activity.fields, { activityOn: "advisorActivity.yearPublished" });
      // This year stays open.
      await createContact(db.ctx, advisorL, { ...late, contactOn: `${Y + 1}-01-01` });

      // The report over the next year shows Y-3 .. Y again: exactly as the published report over Y shows them, even
      // when the register changed under it (a contact put in directly, as an import or an older version would).
      await register(db, advisorL.accountId, orgL.id, [{ year: Y, natures: ["bullying"], times: 1 }, { year: Y - 1, natures: ["aggression"], times: 4 }]);
      const next = await reportFor(db.ctx, advisorL, { scope: "organisation", id: orgL.id, year: Y + 1 });
      const column = (r: YearlyReport, year: number) => {
        const j = r.years.indexOf(year);
        return {
          natures: Object.fromEntries(r.natures.map((n) => [n.code, n.cells[j]!.display]).filter(([, d]) => d !== "0")),
          contacts: r.totals.contacts[j]!.display, people: r.totals.people[j]!.display, withheld: r.withheldYears.includes(year),
        };
      };
      for (const year of [Y - 3, Y - 2, Y - 1, Y]) assert.deepEqual(column(next, year), column(P, year), `${year}`);
      assert.equal(column(P, Y).natures.bullying, "6");
      assert.equal(column(P, Y).natures.sexual_harassment, "< 5");
      // The live count did move (the advisor's draft of Y says so), the next report's column did not.
      assert.equal(column(await reportFor(db.ctx, advisorL, { scope: "organisation", id: orgL.id, year: Y }), Y).natures.bullying, "7");
    });

    test("a group's published report comes from its members' publications; a member without one keeps it from readers, by name", async () => {
      const orgM = await makeOrganisation(db.ctx, "Gemeente Maas");
      const orgN = await makeOrganisation(db.ctx, "Gemeente Noordwaard");
      const region = await makeGroup(db.ctx, "Regio Delta", [orgM.id, orgN.id]);
      const pool = await actorWith(db.ctx, "advisor", { type: "group", id: region.id, organisationId: null }, orgM.id);
      const reader = await actorWith(db.ctx, "coordinator", { type: "group", id: region.id, organisationId: null }, orgM.id);
      await register(db, pool.accountId, orgM.id, [{ year: Y, natures: ["bullying"], times: 8 }, { year: Y, natures: ["aggression"], times: 2 }, { year: Y, natures: ["other"], times: 6 }]);
      await register(db, pool.accountId, orgN.id, [{ year: Y, natures: ["bullying"], times: 5 }, { year: Y, natures: ["integrity"], times: 9 }]);
      const scope = { scope: "group" as const, id: region.id, year: Y };

      await publishReport(db.ctx, pool, { scope: "organisation", id: orgM.id, year: Y });
      const missing = await reportFor(db.ctx, reader, scope).then(() => null, (e: unknown) => e);
      assert.ok(missing instanceof NotPublished);
      assert.deepEqual(missing.missing, ["Gemeente Noordwaard"], "only the name of the member that is missing");
      assert.equal(missing.params.names, "Gemeente Noordwaard");
      const draft = await reportFor(db.ctx, pool, scope);
      assert.deepEqual([draft.draft, draft.published, draft.unpublishedMembers], [true, null, ["Gemeente Noordwaard"]]);
      await assert.rejects(publishReport(db.ctx, pool, scope), Invalid, "a group is published from its members' publications");

      const n = await publishReport(db.ctx, pool, { scope: "organisation", id: orgN.id, year: Y });
      const r = await reportFor(db.ctx, reader, scope);
      assert.equal(r.draft, false);
      assert.equal(r.published!.at, n.at, "the latest publication it is made of");
      assert.deepEqual(r.natures.find((x) => x.code === "bullying")!.cells[4]!.display, "13");
      assert.deepEqual(r.natures.find((x) => x.code === "aggression")!.cells[4], HIDDEN, "M hides its 2");
      assert.equal(r.texts.interpretation, "", "no group texts until the group itself is published");
      const members = [await reportFor(db.ctx, reader, { scope: "organisation", id: orgM.id, year: Y }), await reportFor(db.ctx, reader, { scope: "organisation", id: orgN.id, year: Y })];
      assertNoDifferencing(r, members);

      // A late entry in a member: the group's published report does not move either.
      await register(db, pool.accountId, orgN.id, [{ year: Y, natures: ["bullying"], times: 1 }]);
      assert.equal((await reportFor(db.ctx, reader, scope)).natures.find((x) => x.code === "bullying")!.cells[4]!.display, "13");
      assert.equal((await reportFor(db.ctx, pool, scope)).natures.find((x) => x.code === "bullying")!.cells[4]!.display, "14", "the advisor's draft does");

      // Publishing the group fixes its texts.
      await saveReportTexts(db.ctx, pool, { ...scope, interpretation: "Samen bekeken.", recommendations: "" });
      assert.equal((await reportFor(db.ctx, reader, scope)).texts.interpretation, "");
      const g = await publishReport(db.ctx, pool, scope);
      const withTexts = await reportFor(db.ctx, reader, scope);
      assert.equal(withTexts.texts.interpretation, "Samen bekeken.");
      assert.equal(withTexts.published!.at, g.at);
      assert.deepEqual(shown(withTexts), shown(r));
      const events = await db.ctx.db.selectFrom("audit_events").select("organisation_id").where("action", "=", "advisorReport.publish").where("object_id", "=", `group:${region.id}:${Y}`).execute();
      assert.deepEqual(new Set(events.map((e) => e.organisation_id)), new Set([orgM.id, orgN.id]), "in the log of each member");
    });
  });
}
