import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { strFromU8, unzipSync } from "fflate";
import { currentYear, publishReport } from "../../src/advisors/report.ts";
import { ensureAdvisorSetup } from "../../src/advisors/service.ts";
import { createApiToken } from "../../src/auth/service.ts";
import { chromiumAvailable } from "../../src/documents/pdf.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { testApp } from "../helpers/app.ts";
import { Client } from "../helpers/client.ts";
import { newId, now } from "../../src/crypto/tokens.ts";
import { makeGroup, makeOrganisation, signedIn } from "../helpers/fixtures.ts";
import { actorOf } from "../helpers/reports.ts";

// The yearly advisors' report through HTTP: the page for the roles that see aggregates, and its exports
// (CSV, DOCX, PDF, print view) and the API, all showing the page's suppressed values; the advisor's draft and
// publication ("vaststellen"), and what coordinators see before and after.

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const Y = currentYear() - 1;
const INTEGRITY = "Vermoeden van een integriteitsschending";

const decode = (s: string) => s.replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, "&").trim();

/** The rows of one table on the page: each row's header cell, then its data cells, as text. */
function tableRows(html: string, id: string): string[][] {
  const table = new RegExp(`<table[^>]*id="${id}"[^>]*>([\\s\\S]*?)</table>`).exec(html)?.[1] ?? "";
  return [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => decode(c[1]!)));
}

for (const { kind, skip } of DB_KINDS) {
  describe(`advisors' yearly report pages and exports (${kind})`, { skip }, () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    let org: { id: string; name: string; slug: string };
    let coordinator: Awaited<ReturnType<typeof signedIn>>, advisor: Awaited<ReturnType<typeof signedIn>>;
    const page = () => `/vertrouwenspersonen/jaarverslag?jaar=${Y}&organisatie=${org.id}`;
    const exportUrl = (ext: string) => `/vertrouwenspersonen/jaarverslag.${ext}?jaar=${Y}&organisatie=${org.id}`;

    /** Contacts straight into the register (the service refuses dates before last year). */
    const add = async (organisationId: string, natures: string[], times: number, year: number) => {
      await ensureAdvisorSetup(t.ctx, organisationId);
      for (let i = 0; i < times; i++) {
        const id = newId();
        await t.ctx.db.insertInto("advisor_contacts").values({
          id, organisation_id: organisationId, unit_id: null, advisor_account_id: advisor.id, successor_account_id: null, contact_on: `${year}-0${1 + (i % 9)}-1${i % 10}`,
          relation: "employee", form: "in_person", people: 1, conversations: 1, minutes: 30, follow_up: "listening_advice", report_id: null, consent_on: null,
          status: "open", closed_on: null, notes_destroy_on: null, notes_destroyed_at: null, version: 1, created_at: now(), updated_at: now(),
        }).execute();
        await t.ctx.db.insertInto("advisor_contact_natures").values(natures.map((code) => ({ contact_id: id, code }))).execute();
      }
    };

    before(async () => {
      t = await testApp(kind, { CHROMIUM_PATH: CHROMIUM });
      org = await makeOrganisation(t.ctx, "Gemeente Verslag");
      coordinator = await signedIn(t.ctx, "coordinator", org.id);
      advisor = await signedIn(t.ctx, "advisor", org.id);
      await add(org.id, ["bullying"], 7, Y);
      await add(org.id, ["sexual_harassment"], 2, Y);
      await add(org.id, ["aggression", "other"], 6, Y);
      await add(org.id, ["bullying"], 5, Y - 2);
      // The advisor published last year's report: that is what the coordinator reads.
      await publishReport(t.ctx, await actorOf(t.ctx, advisor.id, org.id), { scope: "organisation", id: org.id, year: Y });
    });
    after(async () => { await t?.close(); });

    test("the coordinator sees the aggregates with small counts protected; administrators and HR get 403", async () => {
      const c = new Client(t.app, coordinator.sessionToken);
      const res = await c.get(page());
      assert.equal(res.statusCode, 200);
      assert.match(res.body, new RegExp(`<h1[^>]*>Jaarverslag vertrouwenspersonen ${Y}</h1>`));
      assert.match(res.body, /<caption[^>]*>Contacten met vertrouwenspersonen per onderwerp/);
      const rows = tableRows(res.body, "vijf-jaar");
      assert.deepEqual(rows[0], ["Onderwerp", ...[4, 3, 2, 1, 0].map((i) => String(Y - i))]);
      assert.deepEqual(rows.find((r) => r[0] === "Pesten"), ["Pesten", "0", "0", "5", "0", "7"]);
      assert.deepEqual(rows.find((r) => r[0] === "Seksuele intimidatie"), ["Seksuele intimidatie", "0", "0", "0", "0", "< 5"]);
      assert.deepEqual(rows.find((r) => r[0] === "Totaal aantal contacten"), ["Totaal aantal contacten", "0", "0", "5", "0", "15"]);
      assert.deepEqual(rows.find((r) => r[0] === "Totaal aantal personen"), ["Totaal aantal personen", "0", "0", "5", "0", "15"]);
      // The 2 is hidden and so is one partner in its column (the smallest non-zero: 6 of aggression and of other).
      assert.equal(rows.filter((r) => r.at(-1) === "×").length, 1);
      assert.match(res.body, /een aantal van 1 tot en met 4/, "the legend explains < 5");
      assert.match(res.body, /Vastgesteld op \d+ [a-z]+ \d{4} door/, "the published report says when");
      assert.ok(!res.body.includes("Concept — nog niet vastgesteld") && !res.body.includes("Jaarverslag vaststellen"), "no draft, no button");
      assert.ok(!res.body.includes("Duiding en aanbevelingen schrijven"), "no text form for the coordinator");
      for (const ext of ["html", "pdf", "docx", "csv"]) assert.ok(res.body.includes(`/vertrouwenspersonen/jaarverslag.${ext}?jaar=${Y}&amp;organisatie=${org.id}`), ext);
      assert.match((await c.get("/")).body, /href="\/vertrouwenspersonen\/jaarverslag"/, "a link on the home page");

      for (const role of ["admin", "hr"] as const) {
        const other = await signedIn(t.ctx, role, org.id);
        const client = new Client(t.app, other.sessionToken);
        assert.equal((await client.get(page())).statusCode, 403, role);
        assert.equal((await client.get(exportUrl("csv"))).statusCode, 403, `${role} csv`);
      }
      const elsewhere = await signedIn(t.ctx, "coordinator", (await makeOrganisation(t.ctx, "Gemeente Elders")).id);
      assert.equal((await new Client(t.app, elsewhere.sessionToken).get(page())).statusCode, 404);
    });

    test("the choice of scope and year works without script: it redirects to the report's address", async () => {
      const c = new Client(t.app, coordinator.sessionToken);
      const res = await c.get(`/vertrouwenspersonen/jaarverslag?bereik=organisatie:${org.id}&jaar=${Y}`);
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, page());
      const plain = await c.get("/vertrouwenspersonen/jaarverslag");
      assert.equal(plain.statusCode, 200, "without a query: this year, the active organisation");
    });

    test("CSV, DOCX and the print view carry the page's values and nothing hidden", async () => {
      const c = new Client(t.app, coordinator.sessionToken);
      const pageRows = tableRows((await c.get(page())).body, "vijf-jaar").slice(1);

      const csv = await c.get(exportUrl("csv"));
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers["content-type"]), /^text\/csv/);
      assert.match(String(csv.headers["content-disposition"]), new RegExp(`attachment; filename="jaarverslag-vertrouwenspersonen-${Y}\\.csv"`));
      const records = parse(csv.body, { bom: true }) as string[][];
      assert.deepEqual(records[0], ["Onderdeel", "Code", "Omschrijving", ...[4, 3, 2, 1, 0].map((i) => String(Y - i))]);
      const fromCsv = records.filter((r) => r[0] === "nature" || r[0] === "total").map((r) => [r[2], ...r.slice(3)]);
      assert.deepEqual(fromCsv, pageRows, "the CSV's five-year table is the page's, cell for cell");
      const followUpCsv = records.filter((r) => r[0] === "follow_up").map((r) => [r[2], r.at(-1)]);
      assert.deepEqual(followUpCsv, tableRows((await c.get(page())).body, "vervolg-tabel").slice(1));

      const docx = await c.get(exportUrl("docx"));
      assert.equal(docx.statusCode, 200);
      assert.equal(docx.rawPayload.subarray(0, 2).toString(), "PK");
      const xml = strFromU8(unzipSync(new Uint8Array(docx.rawPayload))["word/document.xml"]!);
      const texts = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]!.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&"));
      for (const row of pageRows) {
        const at = texts.indexOf(row[0]!);
        assert.ok(at >= 0, `${row[0]} in the document`);
        assert.deepEqual(texts.slice(at, at + row.length), row, `${row[0]}: the same values as the page`);
      }

      const html = await c.get(exportUrl("html"));
      assert.equal(html.statusCode, 200);
      assert.match(html.body, /<link rel="stylesheet" href="\/assets\/print.css">/);
      assert.deepEqual(tableRows(html.body, "vijf-jaar").slice(1), pageRows);
    });

    test("the PDF is a PDF", { skip: chromiumAvailable(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}` }, async () => {
      const res = await new Client(t.app, coordinator.sessionToken).get(exportUrl("pdf"));
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers["content-type"], "application/pdf");
      assert.equal(res.rawPayload.subarray(0, 5).toString(), "%PDF-");
    });

    test("a year not published yet: the page says so plainly, the downloads and the API answer 404 with the same sentence", async () => {
      const c = new Client(t.app, coordinator.sessionToken);
      const sentence = `Het jaarverslag over ${Y - 1} is nog niet vastgesteld door de vertrouwenspersoon.`;
      const res = await c.get(`/vertrouwenspersonen/jaarverslag?jaar=${Y - 1}&organisatie=${org.id}`);
      assert.equal(res.statusCode, 200, "the page, with the choice of scope and year");
      assert.ok(res.body.includes(sentence));
      assert.deepEqual(tableRows(res.body, "vijf-jaar"), [], "no table");
      assert.ok(!res.body.includes(".csv?"), "no downloads");
      for (const ext of ["csv", "docx", "html"]) {
        const dl = await c.get(`/vertrouwenspersonen/jaarverslag.${ext}?jaar=${Y - 1}&organisatie=${org.id}`);
        assert.equal(dl.statusCode, 404, ext);
        assert.ok(dl.body.includes(sentence), ext);
      }
      const thisYear = await c.get("/vertrouwenspersonen/jaarverslag");
      assert.ok(thisYear.body.includes(`Het jaarverslag over ${Y + 1} is nog niet vastgesteld door de vertrouwenspersoon.`), "this year: never published yet");
      const token = (await createApiToken(t.ctx, { type: "system", id: "test" }, coordinator.id, "test", 1)).token;
      const api = await t.app.inject({ method: "GET", url: `/api/v1/advisors/yearly-report?scope=organisation&id=${org.id}&year=${Y - 1}`, headers: { authorization: `Bearer ${token}` } });
      assert.equal(api.statusCode, 404);
      assert.equal(api.json().code, "not_published");
      assert.deepEqual(api.json().invalidParams, [{ name: "year", code: "advisorReport.notPublished.year", reason: sentence }]);
      // A group: readers are told which member has not been published, by name only.
      const other = await makeOrganisation(t.ctx, "Gemeente Tweede");
      const region = await makeGroup(t.ctx, "Regio Verslag", [org.id, other.id]);
      const regional = await signedIn(t.ctx, null, org.id);
      await t.ctx.db.insertInto("role_assignments").values({ id: newId(), account_id: regional.id, role: "coordinator", scope_type: "group", scope_id: region.id, organisation_id: null, created_at: now() }).execute();
      const g = await new Client(t.app, regional.sessionToken).get(`/vertrouwenspersonen/jaarverslag?jaar=${Y}&groep=${region.id}`);
      assert.equal(g.statusCode, 200);
      assert.ok(g.body.includes(`Het is nog niet vastgesteld voor: Gemeente Tweede.`), "the missing member by name");
      assert.ok(!g.body.includes("Gemeente Verslag.</p>"));
      // Once every member is published: the group's table, with the same legend as an organisation's ("< 5" too:
      // a member's small count is one of the numbers the group hides) and the note on how it adds up.
      const otherAdvisor = await signedIn(t.ctx, "advisor", other.id);
      await publishReport(t.ctx, await actorOf(t.ctx, otherAdvisor.id, other.id), { scope: "organisation", id: other.id, year: Y });
      const published = (await new Client(t.app, regional.sessionToken).get(`/vertrouwenspersonen/jaarverslag?jaar=${Y}&groep=${region.id}`)).body;
      assert.deepEqual(tableRows(published, "vijf-jaar").find((r) => r[0] === "Seksuele intimidatie"), ["Seksuele intimidatie", "0", "0", "0", "0", "×"]);
      assert.match(published, /<dt>&lt; 5<\/dt><dd>een aantal van 1 tot en met 4\./);
      assert.match(published, /<dt>×<\/dt>/);
      assert.match(published, /Een aantal dat een van die verslagen niet toont, ook een aantal van 1 tot en met 4 \(&lt; 5\), tonen we hier ook niet \(×\)\./);
      assert.match(published, /Een aantal van 1 tot en met 4 tonen we niet precies/);
    });

    test("the advisor sees the live draft, publishes a completed year, and coordinators then read that", async () => {
      // An organisation without publications: a year's column, once published, is fixed for every later report.
      const org = await makeOrganisation(t.ctx, "Gemeente Concept");
      const advisor = await signedIn(t.ctx, "advisor", org.id);
      const coordinator = await signedIn(t.ctx, "coordinator", org.id);
      await add(org.id, ["bullying"], 7, Y);
      const a = new Client(t.app, advisor.sessionToken);
      const c = new Client(t.app, coordinator.sessionToken);
      const y1 = `/vertrouwenspersonen/jaarverslag?jaar=${Y - 1}&organisatie=${org.id}`;
      const draft = await a.get(y1);
      assert.match(draft.body, /Concept — nog niet vastgesteld/);
      assert.match(draft.body, /<form[^>]*action="\/vertrouwenspersonen\/jaarverslag\/vaststellen"/);
      assert.match(draft.body, />Jaarverslag vaststellen</);
      const current = await a.get(`/vertrouwenspersonen/jaarverslag?jaar=${Y + 1}&organisatie=${org.id}`);
      assert.match(current.body, /Concept — nog niet vastgesteld/);
      assert.ok(!current.body.includes('action="/vertrouwenspersonen/jaarverslag/vaststellen"'), "not this year: it is not over");
      const draftCsv = parse((await a.get(`/vertrouwenspersonen/jaarverslag.csv?jaar=${Y - 1}&organisatie=${org.id}`)).body, { bom: true }) as string[][];
      assert.deepEqual(draftCsv[1]!.slice(0, 3), ["status", "draft", "Concept — nog niet vastgesteld"]);

      await add(org.id, ["integrity"], 6, Y - 1);
      await c.get(y1);
      assert.equal((await c.post("/vertrouwenspersonen/jaarverslag/vaststellen", { scope: "organisation", id: org.id, year: String(Y - 1) })).statusCode, 403);
      await a.get(y1);
      const res = await a.post("/vertrouwenspersonen/jaarverslag/vaststellen", { scope: "organisation", id: org.id, year: String(Y - 1) });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, y1);
      assert.equal((await a.post("/vertrouwenspersonen/jaarverslag/vaststellen", { scope: "organisation", id: org.id, year: String(Y + 1) })).statusCode, 422, "not this year");

      const seen = await c.get(y1);
      assert.match(seen.body, /Vastgesteld op/);
      assert.deepEqual(tableRows(seen.body, "vijf-jaar").find((r) => r[0] === INTEGRITY), [INTEGRITY, "0", "0", "0", "0", "6"]);
      const csv = parse((await c.get(`/vertrouwenspersonen/jaarverslag.csv?jaar=${Y - 1}&organisatie=${org.id}`)).body, { bom: true }) as string[][];
      assert.deepEqual(csv[1]!.slice(0, 2), ["status", "published"]);
      // A late entry: the advisor's draft shows it, the published report does not, on the page and in the downloads.
      await add(org.id, ["integrity"], 1, Y - 1);
      assert.deepEqual(tableRows((await a.get(y1)).body, "vijf-jaar").find((r) => r[0] === INTEGRITY)!.at(-1), "7");
      assert.deepEqual(tableRows((await c.get(y1)).body, "vijf-jaar").find((r) => r[0] === INTEGRITY)!.at(-1), "6");
      assert.deepEqual(tableRows((await c.get(`/vertrouwenspersonen/jaarverslag.html?jaar=${Y - 1}&organisatie=${org.id}`)).body, "vijf-jaar").find((r) => r[0] === INTEGRITY)!.at(-1), "6");
      // The report over Y shows Y-1 again: as published, not with the late entry (the two side by side would show it).
      await a.get(`/vertrouwenspersonen/jaarverslag?jaar=${Y}&organisatie=${org.id}`);
      assert.equal((await a.post("/vertrouwenspersonen/jaarverslag/vaststellen", { scope: "organisation", id: org.id, year: String(Y) })).statusCode, 303);
      const next = tableRows((await c.get(`/vertrouwenspersonen/jaarverslag?jaar=${Y}&organisatie=${org.id}`)).body, "vijf-jaar");
      assert.deepEqual(next.find((r) => r[0] === INTEGRITY), [INTEGRITY, "0", "0", "0", "6", "0"]);
      assert.deepEqual(next.find((r) => r[0] === "Pesten"), ["Pesten", "0", "0", "0", "0", "7"]);
    });

    test("the advisor writes the texts on the page (303 back); a coordinator may not post them", async () => {
      const a = new Client(t.app, advisor.sessionToken);
      const form = await a.get(page());
      assert.match(form.body, /Duiding en aanbevelingen schrijven/);
      const res = await a.post("/vertrouwenspersonen/jaarverslag/teksten", {
        scope: "organisation", id: org.id, year: String(Y), interpretation: "Meer contacten over pesten dan vorig jaar.", recommendations: "Voorlichting in teams.",
      });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `${page()}#duiding`);
      // Saved in the draft only: readers see the texts once the report is published (again), and the flash says so.
      assert.match((await a.get(res.headers.location as string)).body, /De teksten zijn opgeslagen in het concept\. Lezers zien ze pas als u het jaarverslag \(opnieuw\) vaststelt\./);
      const c = new Client(t.app, coordinator.sessionToken);
      assert.ok(!(await c.get(page())).body.includes("Meer contacten over pesten dan vorig jaar."), "published texts stay until the report is published again");
      await a.get(page());
      assert.equal((await a.post("/vertrouwenspersonen/jaarverslag/vaststellen", { scope: "organisation", id: org.id, year: String(Y) })).statusCode, 303);
      const after = await c.get(page());
      assert.match(after.body, /Meer contacten over pesten dan vorig jaar\./);
      await c.get(page());
      assert.equal((await c.post("/vertrouwenspersonen/jaarverslag/teksten", { scope: "organisation", id: org.id, year: String(Y), interpretation: "x", recommendations: "y" })).statusCode, 403);
      const csv = parse((await c.get(exportUrl("csv"))).body, { bom: true }) as string[][];
      assert.ok(csv.length > 10);
      const docx = await c.get(exportUrl("docx"));
      assert.match(strFromU8(unzipSync(new Uint8Array(docx.rawPayload))["word/document.xml"]!), /Voorlichting in teams\./);
    });

    test("getAdvisorYearlyReport: the five-year table per nature, totals of contacts and people, published or draft", async () => {
      const token = (await createApiToken(t.ctx, { type: "system", id: "test" }, coordinator.id, "test", 1)).token;
      const res = await t.app.inject({ method: "GET", url: `/api/v1/advisors/yearly-report?scope=organisation&id=${org.id}&year=${Y}`, headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.deepEqual(Object.keys(body).sort(), ["activities", "draft", "followUps", "forms", "generatedAt", "natures", "published", "scope", "texts", "threshold", "totals", "unprotectable", "withheldYears", "year", "years"]);
      assert.deepEqual(body.withheldYears, []);
      assert.equal(body.draft, false);
      assert.match(body.published.at, /^\d{4}-\d{2}-\d{2}T/);
      assert.equal(typeof body.published.by, "string");
      assert.deepEqual(body.years, [4, 3, 2, 1, 0].map((i) => Y - i));
      const bullying = body.natures.find((n: { code: string }) => n.code === "bullying");
      assert.deepEqual(bullying.label, "Pesten");
      assert.deepEqual(bullying.contacts.at(-1), { year: Y, value: 7, display: "7", hidden: null });
      const sh = body.natures.find((n: { code: string }) => n.code === "sexual_harassment");
      assert.deepEqual(sh.contacts.at(-1), { year: Y, value: null, display: "< 5", hidden: "primary" });
      assert.deepEqual(body.totals.contacts.at(-1), { year: Y, value: 15, display: "15", hidden: null });
      assert.deepEqual(body.totals.people.at(-3), { year: Y - 2, value: 5, display: "5", hidden: null });
      assert.equal(body.scope.name, "Gemeente Verslag");
      const english = await t.app.inject({ method: "GET", url: `/api/v1/advisors/yearly-report?scope=organisation&id=${org.id}&year=${Y}`, headers: { authorization: `Bearer ${token}`, "accept-language": "en" } });
      assert.equal(english.json().natures[0].label, "Bullying");
      const doc = (await t.app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json();
      assert.equal(doc.paths["/advisors/yearly-report"].get.operationId, "getAdvisorYearlyReport");
      const hr = await signedIn(t.ctx, "hr", org.id);
      const hrToken = (await createApiToken(t.ctx, { type: "system", id: "test" }, hr.id, "test", 1)).token;
      assert.equal((await t.app.inject({ method: "GET", url: `/api/v1/advisors/yearly-report?scope=organisation&id=${org.id}&year=${Y}`, headers: { authorization: `Bearer ${hrToken}` } })).statusCode, 403);
      // The advisor gets the live draft; a year after this one, or 2100, is no report year.
      const advisorToken = (await createApiToken(t.ctx, { type: "system", id: "test" }, advisor.id, "test", 1)).token;
      const live = await t.app.inject({ method: "GET", url: `/api/v1/advisors/yearly-report?scope=organisation&id=${org.id}&year=${Y + 1}`, headers: { authorization: `Bearer ${advisorToken}` } });
      assert.equal(live.statusCode, 200);
      assert.equal(live.json().draft, true);
      assert.equal(live.json().published, null);
      // A year with too few contacts is withheld whole; the API says which, as the page does under the table.
      const small = await makeOrganisation(t.ctx, "Gemeente Klein");
      await add(small.id, ["bullying"], 2, Y - 1);
      await add(small.id, ["bullying"], 6, Y);
      const smallAdvisor = await signedIn(t.ctx, "advisor", small.id);
      await publishReport(t.ctx, await actorOf(t.ctx, smallAdvisor.id, small.id), { scope: "organisation", id: small.id, year: Y });
      const smallReader = await signedIn(t.ctx, "coordinator", small.id);
      const smallToken = (await createApiToken(t.ctx, { type: "system", id: "test" }, smallReader.id, "test", 1)).token;
      const withheld = (await t.app.inject({ method: "GET", url: `/api/v1/advisors/yearly-report?scope=organisation&id=${small.id}&year=${Y}`, headers: { authorization: `Bearer ${smallToken}` } })).json();
      assert.deepEqual(withheld.withheldYears, [Y - 1]);
      assert.deepEqual(withheld.totals.contacts.at(-2), { year: Y - 1, value: null, display: "×", hidden: "secondary" });
      for (const year of [Y + 2, 2100, 1999]) {
        const bad = await t.app.inject({ method: "GET", url: `/api/v1/advisors/yearly-report?scope=organisation&id=${org.id}&year=${year}`, headers: { authorization: `Bearer ${advisorToken}` } });
        assert.equal(bad.statusCode, 422, String(year));
      }
    });
  });
}
