import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Role } from "../../src/access/permissions.ts";
import { ensureAdvisorSetup } from "../../src/advisors/service.ts";
import { createApiToken, startSession } from "../../src/auth/service.ts";
import { newId, now } from "../../src/crypto/tokens.ts";
import type { Context } from "../../src/context.ts";
import { addDays, addMonths, today } from "../../src/reports/deadlines.ts";
import { formatDate } from "../../src/ui/format.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { testApp } from "../helpers/app.ts";
import { Client } from "../helpers/client.ts";
import { grant, makeAccount, makeGroup, makeOrganisation, makeUnit, signedIn } from "../helpers/fixtures.ts";

// The confidential advisor's pages and API through the real app: registering a contact on the one-page form
// (no name asked), the form's errors, notes and closing, the overview with this year's figures; and that a
// contact exists for its own advisor only — another advisor, and every other role, gets 404 (never 200).

type Problem = { status: number; code: string; invalidParams?: { name: string; code: string; reason: string }[] };

const day = (d: string) => formatDate(`${d}T12:00:00Z`, "nl");
const version = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? "";

/** A typical contact on the form: two natures, by phone, 45 minutes. */
const contactForm = (organisationId: string, over: Record<string, string | string[]> = {}): Record<string, string | string[]> => ({
  contactOn: today(), organisationId, unitId: "", relation: "employee", people: "1", natures: ["bullying", "work_situation"],
  form: "phone", conversations: "1", minutes: "45", followUp: "listening_advice", ...over,
});

/** Every id on a page is unique, and every label and aria reference points at one. */
function assertUniqueIds(html: string, label: string) {
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
  assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], `duplicate ids on ${label}`);
  for (const m of html.matchAll(/(?:for|aria-labelledby|aria-describedby)="([^"]+)"/g)) {
    for (const ref of m[1]!.split(" ")) assert.ok(ids.includes(ref), `${label}: reference to a missing id ${ref}`);
  }
}

/** The names of the fields in <main>'s forms. */
const fieldNames = (html: string) => {
  const main = /<main[^>]*>(.*)<\/main>/s.exec(html)?.[1] ?? "";
  return [...new Set([...main.matchAll(/<(?:input|select|textarea)[^>]*\sname="([^"]+)"/g)].map((m) => m[1]!))].sort();
};

/** The rows of the contacts table: the link of each row's header cell. */
const rowLinks = (html: string) => [...html.matchAll(/<th scope="row"[^>]*><a href="(\/contacten\/[^"]+)"/g)].map((m) => m[1]!);

async function tokenFor(ctx: Context, role: Role, organisationId: string) {
  const s = await signedIn(ctx, role, organisationId);
  return (await createApiToken(ctx, { type: "system", id: "test" }, s.id, "test", 1)).token;
}

for (const { kind, skip } of DB_KINDS) {
  describe(`confidential advisor: contacts (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    let org = { id: "", name: "", slug: "" };
    let unitId = "";
    let advisor: Client;
    let advisorId = "";
    before(async () => {
      t = await testApp(kind);
      org = await makeOrganisation(t.ctx, "Gemeente Vertrouwen");
      unitId = (await makeUnit(t.ctx, org.id, "Afdeling Wijken")).id;
      const a = await signedIn(t.ctx, "advisor", org.id);
      advisorId = a.id;
      advisor = new Client(t.app, a.sessionToken);
    });
    after(async () => { await t?.close(); });

    /** Registers a contact through the form; returns its id. */
    async function register(c: Client, over: Record<string, string | string[]> = {}): Promise<string> {
      await c.get("/contacten/nieuw");
      const res = await c.post("/contacten/nieuw", contactForm(org.id, over));
      assert.equal(res.statusCode, 303, res.body.slice(0, 500));
      const m = /^\/contacten\/([0-9a-f-]+)$/.exec(String(res.headers.location));
      assert.ok(m, `unexpected redirect ${res.headers.location}`);
      return m![1]!;
    }

    test("the form: one page, defaults for a typical contact, nothing that asks for a name; linked first from the overview and the home page", async () => {
      const page = await advisor.get("/contacten/nieuw");
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h1[^>]*>Contact registreren<\/h1>/);
      // Only counts and codes: no field for a name, an e-mail address, a phone number or free text.
      assert.deepEqual(fieldNames(page.body), ["_csrf", "contactOn", "conversations", "followUp", "form", "minutes", "natures", "organisationId", "people", "relation", "unitId"]);
      assert.doesNotMatch(page.body, /<textarea/);
      assert.match(page.body, new RegExp(`name="contactOn"[^>]*value="${today()}"`));
      assert.match(page.body, new RegExp(`type="hidden" name="organisationId" value="${org.id}"`), "the only organisation is chosen already");
      assert.match(page.body, /Organisatie: Gemeente Vertrouwen/);
      assert.match(page.body, /name="people"[^>]*value="1"/);
      assert.match(page.body, /name="conversations"[^>]*value="1"/);
      assert.match(page.body, /name="minutes"[^>]*value="60"/);
      assert.doesNotMatch(page.body, /checked=""/, "who came, what about, how and what next are chosen, never defaulted");
      // The natures of the organisation's list (the Rotterdam preset), several at once.
      assert.equal((page.body.match(/type="checkbox"[^>]*name="natures"|name="natures"[^>]*type="checkbox"/g) ?? []).length, 7);
      assert.match(page.body, />Pesten</);
      assert.match(page.body, />Werksituatie \(arbeidsconflict\)</);
      assert.match(page.body, new RegExp(`<option value="${unitId}"[^>]*>Afdeling Wijken</option>`));
      assert.ok((page.body.match(/<fieldset/g) ?? []).length >= 4);
      assertUniqueIds(page.body, "the contact form");

      const overview = await advisor.get("/contacten");
      assert.equal(overview.statusCode, 200);
      const main = /<main[^>]*>(.*)<\/main>/s.exec(overview.body)![1]!;
      assert.match(main, /^(?:(?!<a ).)*<a [^>]*href="\/contacten\/nieuw"[^>]*>Contact registreren<\/a>/s, "the first link on the overview registers a contact");
      assert.match(overview.body, /<a href="\/contacten" aria-current="page">Contacten<\/a>/, "the menu has Contacten");
      const home = await advisor.get("/");
      assert.match(home.body, /href="\/contacten\/nieuw"[^>]*>Contact registreren/);
      assert.match(home.body, /href="\/contacten"[^>]*>Mijn contacten/);
      assert.doesNotMatch(home.body, /volgende versie/);
    });

    test("registering: 303 to the contact, which shows the counts and the natures", async () => {
      await advisor.get("/contacten/nieuw");
      const res = await advisor.post("/contacten/nieuw", contactForm(org.id, { unitId, people: "2", conversations: "3", minutes: "45" }));
      assert.equal(res.statusCode, 303);
      const id = /^\/contacten\/(.+)$/.exec(String(res.headers.location))![1]!;
      const row = await t.ctx.db.selectFrom("advisor_contacts").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
      assert.equal(row.advisor_account_id, advisorId);
      assert.deepEqual([row.people, row.conversations, row.minutes, row.relation, row.form, row.follow_up, row.unit_id], [2, 3, 45, "employee", "phone", "listening_advice", unitId]);

      const page = await advisor.get(`/contacten/${id}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Het contact is geregistreerd\./);
      assert.match(page.body, new RegExp(`<h1[^>]*>Contact van ${day(today())}</h1>`));
      for (const text of ["Gemeente Vertrouwen", "Afdeling Wijken", "Medewerker", "Pesten", "Werksituatie (arbeidsconflict)", "Telefoon", "45 minuten", "Geluisterd en advies gegeven", "Open"]) {
        assert.ok(page.body.includes(text), `the contact page does not show ${text}`);
      }
      assert.match(page.body, /Aantal personen<\/dt><dd[^>]*>2</);
      assert.match(page.body, /Aantal gesprekken<\/dt><dd[^>]*>3</);
      assert.match(page.body, /Er zijn nog geen notities/);
      assert.match(page.body, /href="\/contacten\/nieuw"[^>]*>Nog een contact registreren/);
      assertUniqueIds(page.body, "the contact page");
    });

    test("a bad form: 422, an error summary that links to each field, what was typed kept, nothing stored", async () => {
      const before = (await t.ctx.db.selectFrom("advisor_contacts").select("id").execute()).length;
      await advisor.get("/contacten/nieuw");
      const bad = await advisor.post("/contacten/nieuw", contactForm(org.id, { natures: [], people: "0", contactOn: addDays(today(), 2), minutes: "75", relation: "intern" }));
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /Er is een probleem/);
      for (const [field, text] of [
        ["natures", "Kies waar het contact over ging"], ["people", "Vul het aantal personen in als heel getal van 1 tot en met 500"],
      ] as const) {
        assert.match(bad.body, new RegExp(`href="#field-${field}">[^<]*<!-- -->[^<]*${text}`), field);
      }
      assert.match(bad.body, /name="minutes"[^>]*value="75"/);
      assert.match(bad.body, /name="relation" checked="" value="intern"/);
      assertUniqueIds(bad.body, "the contact form with errors");

      // The date in the future is checked once the fields themselves are right.
      const future = await advisor.post("/contacten/nieuw", contactForm(org.id, { contactOn: addDays(today(), 2) }));
      assert.equal(future.statusCode, 422);
      assert.match(future.body, /href="#field-contactOn">[^<]*<!-- -->[^<]*De datum van het contact kan niet in de toekomst liggen/);
      assert.match(future.body, /name="natures" value="bullying" checked=""|name="natures" checked="" value="bullying"|value="bullying" checked=""/);
      const unknown = await advisor.post("/contacten/nieuw", contactForm(org.id, { natures: ["bullying", "astrology"] }));
      assert.equal(unknown.statusCode, 422);
      assert.match(unknown.body, /Kies alleen onderwerpen uit de lijst/);
      assert.equal((await t.ctx.db.selectFrom("advisor_contacts").select("id").execute()).length, before);

      // The hint gives the format with today as the example, and the earliest day (1 January of last year).
      const lastYear = Number(today().slice(0, 4)) - 1;
      assert.match((await advisor.get("/contacten/nieuw")).body,
        new RegExp(`Schrijf de datum als jaar-maand-dag, bijvoorbeeld ${today()}\\. Niet in de toekomst en niet eerder dan 1 januari ${lastYear}\\.`));
      // Not into a year whose yearly report is published: the next report shows that year again, and the
      // difference would be this contact. On the page and in the API, with the year; nothing stored.
      const closed = await makeOrganisation(t.ctx, "Gemeente Vastgesteld");
      const closedAdvisor = await signedIn(t.ctx, "advisor", closed.id);
      await t.ctx.db.insertInto("advisor_report_snapshots").values({
        scope_type: "organisation", scope_id: closed.id, year: lastYear, data: "{}", published_by: closedAdvisor.id, published_at: now(),
      }).execute();
      const c = new Client(t.app, closedAdvisor.sessionToken);
      await c.get("/contacten/nieuw");
      const late = await c.post("/contacten/nieuw", contactForm(closed.id, { contactOn: `${lastYear}-12-31` }));
      assert.equal(late.statusCode, 422);
      const sentence = `Het jaarverslag over ${lastYear} is al vastgesteld. Daarom kunt u geen contact uit ${lastYear} meer registreren`;
      assert.match(late.body, new RegExp(`href="#field-contactOn">[^<]*<!-- -->[^<]*${sentence}`));
      assert.match(late.body, new RegExp(`name="contactOn"[^>]*value="${lastYear}-12-31"`));
      const closedToken = (await createApiToken(t.ctx, { type: "system", id: "test" }, closedAdvisor.id, "test", 1)).token;
      const api = await t.app.inject({
        method: "POST", url: "/api/v1/advisors/contacts", headers: { authorization: `Bearer ${closedToken}`, "content-type": "application/json" },
        payload: JSON.stringify({ contactOn: `${lastYear}-06-30`, organisationId: closed.id, relation: "employee", natures: ["bullying"], people: 1, form: "phone", conversations: 1, minutes: 30, followUp: "none" }),
      });
      assert.equal(api.statusCode, 422);
      assert.deepEqual(api.json().invalidParams.map((p: { name: string; code: string }) => [p.name, p.code]), [["contactOn", "advisor.yearPublished"]]);
      assert.match(api.json().invalidParams[0].reason, new RegExp(sentence));
      assert.equal((await t.ctx.db.selectFrom("advisor_contacts").select("id").execute()).length, before);
    });

    test("notes: added, shown to the advisor, sealed in the database; closing keeps the counts and sets the day the notes go", async () => {
      const id = await register(advisor);
      const page = await advisor.get(`/contacten/${id}`);
      const empty = await advisor.post(`/contacten/${id}/notities`, { "note.body": "  " });
      assert.equal(empty.statusCode, 422);
      assert.match(empty.body, /href="#field-note-body">[^<]*<!-- -->[^<]*Schrijf een notitie of kies een bestand/);

      const note = "Tweede gesprek afgesproken; bezoeker denkt na over een melding.";
      const added = await advisor.post(`/contacten/${id}/notities`, { "note.body": note });
      assert.equal(added.statusCode, 303);
      assert.equal(added.headers.location, `/contacten/${id}`);
      const withNote = await advisor.get(`/contacten/${id}`);
      assert.match(withNote.body, /De notitie is toegevoegd/);
      assert.ok(withNote.body.includes(note), "the note is not shown");
      const sealed = await t.ctx.db.selectFrom("advisor_notes").select("sealed").where("contact_id", "=", id).executeTakeFirstOrThrow();
      assert.ok(!sealed.sealed.includes("bezoeker"), "the note is stored in the clear");

      // Closing: the page says when the notes go (12 months, the organisation's setting).
      assert.match(page.body, new RegExp(`Uw notities vernietigt Intact 12 maanden na het afsluiten: op ${day(addMonths(today(), 12))}`));
      const stale = await advisor.post(`/contacten/${id}/afsluiten`, { version: String(Number(version(page.body))) });
      assert.equal(stale.statusCode, 409, "the version from before the note is stale");
      assert.match(stale.body, /Dit contact is intussen gewijzigd/);
      const closed = await advisor.post(`/contacten/${id}/afsluiten`, { version: version(withNote.body) });
      assert.equal(closed.statusCode, 303);
      const after = await advisor.get(`/contacten/${id}`);
      assert.match(after.body, /Het contact is afgesloten/);
      assert.match(after.body, new RegExp(`Afgesloten op ${day(today())}`));
      assert.match(after.body, new RegExp(`Intact vernietigt de notities op ${day(addMonths(today(), 12))}`));
      assert.doesNotMatch(after.body, /action="\/contacten\/[^"]+\/afsluiten"/, "a closed contact offers no closing");
      assert.ok(after.body.includes("Pesten"), "the counts stay");
      const again = await advisor.post(`/contacten/${id}/afsluiten`, { version: version(after.body) });
      assert.equal(again.statusCode, 409);
      assert.match(again.body, /Dit contact is al afgesloten/);
      const row = await t.ctx.db.selectFrom("advisor_contacts").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
      assert.equal(row.status, "closed");
      assert.equal(row.notes_destroy_on, addMonths(today(), 12));
    });

    test("the overview: my open contacts, my figures this year, the closed ones one link away", async () => {
      const o = await makeOrganisation(t.ctx, "Gemeente Overzicht");
      const s = await signedIn(t.ctx, "advisor", o.id);
      const c = new Client(t.app, s.sessionToken);
      const empty = await c.get("/contacten");
      assert.match(empty.body, /U heeft geen open contacten/);
      const reg = async (over: Record<string, string | string[]>) => {
        await c.get("/contacten/nieuw");
        const r = await c.post("/contacten/nieuw", contactForm(o.id, over));
        assert.equal(r.statusCode, 303);
        return String(r.headers.location);
      };
      const first = await reg({ people: "3", minutes: "60" });
      const second = await reg({ people: "1", minutes: "30", natures: "discrimination" });
      const third = await reg({ people: "2", minutes: "45" });
      const page = await c.get(`${third}`);
      await c.post(`${third}/afsluiten`, { version: version(page.body) });

      const overview = await c.get("/contacten");
      assert.equal(overview.statusCode, 200);
      assert.match(overview.body, /<caption[^>]*>Open contacten: 2<\/caption>/);
      assert.deepEqual(rowLinks(overview.body).sort(), [first, second].sort());
      assert.match(overview.body, />Discriminatie</);
      assert.match(overview.body, new RegExp(`Mijn cijfers ${today().slice(0, 4)}`));
      const figures = /data-testid="figures"[^>]*>(.*?)<\/dl>/s.exec(overview.body)![1]!;
      const value = (label: string) => new RegExp(`${label}</dt><dd[^>]*>([^<]+)<`).exec(figures)?.[1];
      assert.equal(value("Contacten"), "3");
      assert.equal(value("Personen"), "6");
      assert.equal(value("Nog open"), "2");
      assert.equal(value("Uren"), "2,3");
      assert.match(overview.body, /href="\/contacten\?status=closed"/);
      const closed = await c.get("/contacten?status=closed");
      assert.match(closed.body, /<h1[^>]*>Afgesloten contacten<\/h1>/);
      assert.deepEqual(rowLinks(closed.body), [third]);
    });

    test("a pool of two organisations: the organisation is chosen, units under each, a nature only one of them has says so", async () => {
      const north = await makeOrganisation(t.ctx, "Gemeente Noord");
      const south = await makeOrganisation(t.ctx, "Gemeente Zuid");
      const group = await makeGroup(t.ctx, "Regio Kust", [north.id, south.id]);
      const southUnit = await makeUnit(t.ctx, south.id, "Havenbedrijf");
      await ensureAdvisorSetup(t.ctx, north.id);
      await ensureAdvisorSetup(t.ctx, south.id);
      await t.ctx.db.insertInto("advisor_natures").values({
        id: newId(), organisation_id: south.id, code: "workload", label_nl: "Werkdruk", label_en: "Workload", position: 8, active: 1, created_at: now(),
      }).execute();
      const account = await makeAccount(t.ctx, "regio-vp@example.test");
      await grant(t.ctx, account.id, "advisor", "group", group.id, null);
      const c = new Client(t.app, await startSession(t.ctx, account.id, "full", { type: "account", id: account.id }));
      const page = await c.get("/contacten/nieuw");
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<select[^>]*name="organisationId"/);
      assert.match(page.body, /<option value=""[^>]*selected="">Kies een organisatie<\/option>/, "no organisation is chosen for the advisor");
      assert.match(page.body, new RegExp(`<optgroup label="Gemeente Zuid"><option value="${southUnit.id}"[^>]*>Havenbedrijf</option></optgroup>`));
      assert.equal((page.body.match(/name="natures"/g) ?? []).length, 8, "the shared list once, plus the one nature of Zuid");
      assert.match(page.body, />Werkdruk \(alleen bij Gemeente Zuid\)</);
      assertUniqueIds(page.body, "the contact form of a pool");

      const noOrg = await c.post("/contacten/nieuw", contactForm("", {}));
      assert.equal(noOrg.statusCode, 422);
      assert.match(noOrg.body, /href="#field-organisationId">[^<]*<!-- -->[^<]*Kies de organisatie van de bezoeker/);
      const wrongNature = await c.post("/contacten/nieuw", contactForm(north.id, { natures: ["workload"] }));
      assert.equal(wrongNature.statusCode, 422);
      assert.match(wrongNature.body, /Kies alleen onderwerpen uit de lijst/);
      const wrongUnit = await c.post("/contacten/nieuw", contactForm(north.id, { unitId: southUnit.id }));
      assert.equal(wrongUnit.statusCode, 422);
      assert.match(wrongUnit.body, /href="#field-unitId"/);
      const saved = await c.post("/contacten/nieuw", contactForm(south.id, { natures: ["workload", "bullying"], unitId: southUnit.id }));
      assert.equal(saved.statusCode, 303);
      const shown = await c.get(String(saved.headers.location));
      assert.match(shown.body, /Gemeente Zuid/);
      assert.match(shown.body, />Werkdruk</);
      assert.match(shown.body, />Havenbedrijf</);
    });

    test("a contact exists for its advisor only: another advisor of the organisation and every other role get 404, never 200", async () => {
      const id = await register(advisor);
      const other = new Client(t.app, (await signedIn(t.ctx, "advisor", org.id)).sessionToken);
      await other.get("/contacten");
      assert.equal((await other.get(`/contacten/${id}`)).statusCode, 404);
      assert.equal((await other.post(`/contacten/${id}/notities`, { "note.body": "Nieuwsgierig" })).statusCode, 404);
      assert.equal((await other.post(`/contacten/${id}/afsluiten`, { version: "1" })).statusCode, 404);
      assert.ok(!(await other.get("/contacten")).body.includes(id), "another advisor's overview lists the contact");
      for (const role of ["coordinator", "secretary", "admin", "hr", "auditor", "investigator", "employee", "manager"] as const) {
        const c = new Client(t.app, (await signedIn(t.ctx, role, org.id)).sessionToken);
        await c.get("/");
        const res = await c.get(`/contacten/${id}`);
        assert.equal(res.statusCode, 404, `${role} on the contact page`);
        assert.match(res.body, /Niet gevonden/);
        assert.equal((await c.post(`/contacten/${id}/notities`, { "note.body": "x" })).statusCode, 404, `${role} adding a note`);
        assert.equal((await c.post(`/contacten/${id}/afsluiten`, { version: "1" })).statusCode, 404, `${role} closing`);
        assert.equal((await c.get("/contacten")).statusCode, 403, `${role} on the overview`);
        assert.equal((await c.get("/contacten/nieuw")).statusCode, 403, `${role} on the form`);
        assert.doesNotMatch((await c.get("/")).body, /href="\/contacten"/, `${role} has Contacten in the menu`);
      }
      // An unknown address answers the same as someone else's contact.
      assert.equal((await advisor.get("/contacten/00000000-0000-4000-8000-000000000000")).statusCode, 404);
      assert.equal((await advisor.get("/contacten/geen-contact")).statusCode, 404);
      // The contact is untouched.
      const row = await t.ctx.db.selectFrom("advisor_contacts").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
      assert.equal(row.status, "open");
      assert.equal((await t.ctx.db.selectFrom("advisor_notes").select("id").where("contact_id", "=", id).execute()).length, 0);
    });

    test("API: categories, 201 on create, 422 with the fields, my contacts, one contact without its notes; 404 for anyone else's", async () => {
      const token = await tokenFor(t.ctx, "advisor", org.id);
      const call = (method: string, url: string, opts: { token?: string; body?: unknown } = {}) => t.app.inject({
        method: method as "GET", url, payload: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        headers: { authorization: `Bearer ${opts.token ?? token}`, ...(opts.body === undefined ? {} : { "content-type": "application/json" }) },
      });
      const categories = await call("GET", "/api/v1/advisors/categories");
      assert.equal(categories.statusCode, 200);
      const cats = categories.json();
      assert.equal(cats.organisations.length, 1);
      assert.equal(cats.organisations[0].id, org.id);
      assert.deepEqual(cats.organisations[0].natures[0], { code: "bullying", labelNl: "Pesten", labelEn: "Bullying" });
      assert.deepEqual(cats.organisations[0].units, [{ id: unitId, name: "Afdeling Wijken" }]);
      assert.deepEqual(cats.relations.map((r: { code: string }) => r.code), ["employee", "manager", "hired", "intern", "former_employee", "other"]);
      assert.deepEqual(cats.forms[1], { code: "phone", labelNl: "Telefoon", labelEn: "Phone" });
      assert.equal(cats.followUps.length, 9);
      assert.equal((await call("GET", `/api/v1/advisors/categories?organisationId=${org.id}`)).statusCode, 200);
      const elsewhere = await makeOrganisation(t.ctx, "Gemeente Elders");
      assert.equal((await call("GET", `/api/v1/advisors/categories?organisationId=${elsewhere.id}`)).statusCode, 404);

      const body = {
        contactOn: today(), organisationId: org.id, unitId: null, relation: "manager", natures: ["integrity", "other"], people: 1,
        form: "video", conversations: 2, minutes: 90, followUp: "referral_hr",
      };
      const created = await call("POST", "/api/v1/advisors/contacts", { body });
      assert.equal(created.statusCode, 201, created.body);
      const c = created.json();
      assert.deepEqual({ ...c, id: "" }, { id: "", contactOn: today(), organisationId: org.id, natures: ["integrity", "other"], status: "open" });

      const bad = await call("POST", "/api/v1/advisors/contacts", { body: { ...body, natures: [], people: 0, contactOn: "gisteren" } });
      assert.equal(bad.statusCode, 422);
      const problem = bad.json() as Problem;
      assert.deepEqual(problem.invalidParams!.map((p) => p.name).sort(), ["contactOn", "natures", "people"]);
      assert.equal((await call("POST", "/api/v1/advisors/contacts", { body: { ...body, organisationId: elsewhere.id } })).statusCode, 422);

      const list = await call("GET", "/api/v1/advisors/contacts?status=open");
      assert.equal(list.statusCode, 200);
      assert.ok(list.json().items.some((i: { id: string }) => i.id === c.id));
      assert.equal((await call("GET", "/api/v1/advisors/contacts?status=lost")).statusCode, 422);

      // The API answers the counts and natures, never the notes, and records no reading of notes.
      const one = await call("GET", `/api/v1/advisors/contacts/${c.id}`);
      assert.equal(one.statusCode, 200);
      const v = one.json();
      assert.equal(v.relation, "manager");
      assert.equal(v.minutes, 90);
      assert.equal(v.conversations, 2);
      assert.deepEqual(v.natures.map((n: { code: string }) => n.code), ["integrity", "other"]);
      assert.equal("notes" in v, false);
      const reads = await t.ctx.db.selectFrom("audit_events").select("id").where("action", "=", "advisorContact.readNotes").where("object_id", "=", c.id).execute();
      assert.equal(reads.length, 0);

      const otherAdvisor = await tokenFor(t.ctx, "advisor", org.id);
      assert.equal((await call("GET", `/api/v1/advisors/contacts/${c.id}`, { token: otherAdvisor })).statusCode, 404);
      assert.ok(!(await call("GET", "/api/v1/advisors/contacts", { token: otherAdvisor })).json().items.some((i: { id: string }) => i.id === c.id));
      for (const role of ["coordinator", "secretary", "admin", "hr", "auditor"] as const) {
        const res = await call("GET", `/api/v1/advisors/contacts/${c.id}`, { token: await tokenFor(t.ctx, role, org.id) });
        assert.ok([403, 404].includes(res.statusCode), `${role}: ${res.statusCode}`);
      }
      const doc = (await call("GET", "/api/v1/openapi.json")).json();
      const ops = Object.values(doc.paths as Record<string, Record<string, { operationId: string }>>).flatMap((p) => Object.values(p).map((o) => o.operationId));
      for (const op of ["listAdvisorCategories", "createAdvisorContact", "listMyAdvisorContacts", "getAdvisorContact"]) assert.ok(ops.includes(op), op);
    });
  });
}
