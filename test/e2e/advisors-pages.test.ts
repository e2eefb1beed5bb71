// axe on every page of the confidential advisors' module, in a real Chromium against the real server (SQLite;
// the markup does not depend on the database): every page, every state a page can be in, for every role that
// can see it. The first test reads the module's route registrations (src/advisors/*-routes.tsx, routes.tsx) and
// fails when a route is missing from ROUTES below, so a new page cannot slip past this file; the last test fails
// when a page route was never checked or an action route never exercised. The time the walk took and the number
// of pages checked are printed ("# ...").
//
// Accounts come from the demo loader (`intact demo --json`), all of Gemeente Duinrand except the regional
// coordinator and the regional advisor (group grants on the demo region). The Duinrand administrator adds a second
// advisor, who signs in for the first time and becomes the successor of a contact.
//
// The regional advisor is a pool: an advisor of every organisation in the region. Their pages have states nobody
// else's have — the organisation picker in the register and activity forms, an overview and an activity list with
// an organisation column, a contact nobody else could take over, the group's report as a draft waiting for its
// members, with its texts, and publishing it once every member is published — and the regional coordinator then
// reads the group's published report and its print view. Routes marked `pool` below must have a check of the pool
// advisor's (the last test holds the walk to it).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page, Response } from "playwright-core";
import { nextTotp } from "../helpers/totp.ts";
import { runCli, startServer, type TestServer } from "../helpers/server.ts";
import { checkA11y, recordRequests, signInByKeyboard as signIn, startServerAndBrowser, text } from "../helpers/browser.ts";
import { ACTIVITIES } from "../../src/advisors/views/activities.tsx";
import { REPORT_PATH } from "../../src/advisors/views/report.tsx";
import { ADVISOR_SETTINGS } from "../../src/advisors/views/settings.tsx";
import { DEMO_ORGANISATIONS } from "../../src/demo/generate.ts";

const ORG = "Gemeente Duinrand";
const NAV_TIMEOUT = 20_000;
const TEST_TIMEOUT = 180_000;
const POOL_TIMEOUT = 300_000;
const YEAR = new Date().getFullYear();
const LAST_YEAR = YEAR - 1;
const today = () => { const d = new Date(); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`; };

/** Every route of the module, and what this file does with it:
 *  page — an HTML page; every state listed is checked with axe;
 *  action — a POST that only redirects; it is exercised and the page it leads to is checked;
 *  download — not HTML (axe does not apply): the status and type are checked. */
const ROUTES: Record<string, { kind: "page" | "action" | "download"; states: string; pool?: true }> = {
  "GET /contacten": {
    kind: "page", pool: true,
    states: "open contacts (advisor with a register; second advisor, empty; pool advisor, with the organisation column); ?status=closed",
  },
  "GET /contacten/nieuw": { kind: "page", pool: true, states: "the empty register form; with the organisation picker (pool advisor)" },
  "POST /contacten/nieuw": { kind: "page", pool: true, states: "the form with errors (422), the pool advisor's with the organisation picker" },
  "GET /contacten/:id": {
    kind: "page", pool: true,
    states: "open, with the case-link form and the successor form; linked to a report; successor named; with a note; closed; "
      + "as seen by the successor; 404 for a coordinator who guesses the address; "
      + "the pool advisor's in another member organisation, with no other advisor to name as successor",
  },
  "POST /contacten/:id/notities": { kind: "page", states: "an empty note (422, error at the field)" },
  // The note with files (its page with axe, and the download) is walked in test/e2e/advisors.test.ts.
  "GET /contacten/:id/bestanden/:fileId": { kind: "download", states: "a note's file: test/e2e/advisors.test.ts downloads it" },
  "POST /contacten/:id/afsluiten": { kind: "page", states: "closing a contact closed meanwhile in another tab (409, the problem alert)" },
  "POST /contacten/:id/opvolger": { kind: "page", states: "a successor without the visitor's consent (422)" },
  "POST /contacten/:id/melding": { kind: "page", states: "an unknown report number (422)" },
  [`GET ${ACTIVITIES}`]: {
    kind: "page", pool: true,
    states: "this year's list; last year's (?jaar=); the list after deleting; empty (second advisor); last year's with the organisation column (pool advisor)",
  },
  [`GET ${ACTIVITIES}/nieuw`]: { kind: "page", pool: true, states: "the empty form; with the organisation choice (pool advisor)" },
  [`POST ${ACTIVITIES}/nieuw`]: { kind: "page", pool: true, states: "the form with errors (422); the pool advisor's, no organisation chosen" },
  [`POST ${ACTIVITIES}/:id/verwijderen`]: { kind: "action", states: "deleting the activity just registered" },
  [`GET ${REPORT_PATH}`]: {
    kind: "page",
    states: "advisor: this year's draft with the text form, last year's draft with 'vaststellen', published and drafted again; "
      + "second advisor: this year's draft; coordinator, secretary, auditor: not published yet, and the published year; "
      + "regional coordinator: the region (group) not published yet, and published; pool advisor: the group's draft this year, "
      + "last year's waiting for its members, a member's with 'vaststellen' and published, the group's with its texts saved, "
      + "with 'vaststellen', and published",
    pool: true,
  },
  [`POST ${REPORT_PATH}/teksten`]: { kind: "page", states: "a text over 20 000 characters (422); the pool advisor saves the group's texts (the report it leads to)" },
  [`POST ${REPORT_PATH}/vaststellen`]: { kind: "action", states: "publishing last year: Duinrand (advisor); the other members, then the group (pool advisor)" },
  [`GET ${REPORT_PATH}.html`]: {
    kind: "page", pool: true,
    states: "the advisor's draft; the published report (secretary); not published yet (404, coordinator and region); "
      + "the group's draft (pool advisor); the group published (regional coordinator)",
  },
  [`GET ${REPORT_PATH}.pdf`]: { kind: "download", states: "published (secretary): a PDF" },
  [`GET ${REPORT_PATH}.csv`]: { kind: "download", states: "published (auditor): CSV; not published (coordinator): 404" },
  [`GET ${REPORT_PATH}.docx`]: { kind: "download", states: "the advisor's draft: DOCX" },
  [`GET ${ADVISOR_SETTINGS}`]: { kind: "page", states: "the settings with the natures table" },
  [`POST ${ADVISOR_SETTINGS}/instellingen`]: { kind: "page", states: "settings with errors (422)" },
  [`POST ${ADVISOR_SETTINGS}/onderwerpen`]: { kind: "page", states: "a new nature without a name (422)" },
  [`GET ${ADVISOR_SETTINGS}/onderwerpen/:id`]: { kind: "page", states: "one nature's edit form" },
  [`POST ${ADVISOR_SETTINGS}/onderwerpen/:id`]: { kind: "page", states: "the edit form with errors (422)" },
};
/** Pages outside the module that belong to the advisors' work, checked as well. */
const EXTRA = "GET / (home) for the advisor, the second advisor, the coordinator, the secretary, the auditor, the regional coordinator "
  + "and the pool advisor";
/** The label ending of the pool advisor's checks: `pool` routes need one. */
const POOL = "(pool advisor)";

const routeRe = Object.keys(ROUTES).map((key) => {
  const [method, p] = key.split(" ") as [string, string];
  return { key, method, re: new RegExp(`^${p.replace(/[.?]/g, "\\$&").replace(/:id/g, "[^/]+")}$`) };
});
const routeOf = (method: string, url: string) => routeRe.find((r) => r.method === method && r.re.test(new URL(url).pathname))?.key ?? null;

/** The module's registrations, read from its source: app.get/app.post with a string, a template or a constant. */
function registeredRoutes(): string[] {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src/advisors");
  const constants: Record<string, string> = { ACTIVITIES, REPORT_PATH, ADVISOR_SETTINGS };
  const out: string[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => /routes\.tsx?$/.test(f))) {
    const source = fs.readFileSync(path.join(dir, file), "utf8");
    for (const m of source.matchAll(/app\.(get|post|put|patch|delete)\(\s*(?:"([^"]*)"|`([^`]*)`|([A-Z_]+)\s*,)/g)) {
      const raw = m[2] ?? m[3] ?? constants[m[4]!];
      assert.ok(raw !== undefined, `${file}: unknown route constant ${m[4]}`);
      out.push(`${m[1]!.toUpperCase()} ${raw!.replace(/\$\{([A-Z_]+)\}/g, (_, c: string) => constants[c] ?? `\${${c}}`)}`);
    }
  }
  return out;
}

type DemoAccount = { email: string; password: string; roles: string[]; organisation: string; totpSecret: string };


/** Clicks the submit button of the form matching `form` and waits for the document that answers. */
async function submit(page: Page, form: string): Promise<Response> {
  const [res] = await Promise.all([
    page.waitForNavigation({ waitUntil: "load", timeout: NAV_TIMEOUT }),
    page.locator(`${form} button[type="submit"]`).first().click(),
  ]);
  assert.ok(res, `submitting ${form} gave no document`);
  return res!;
}

const flash = async (page: Page) => ((await page.locator('main [role="status"]').first().textContent().catch(() => "")) ?? "").trim();

describe("axe on every page of the confidential advisors (sqlite)", () => {
  let server: TestServer;
  let browser: Browser;
  let demo: DemoAccount[] = [];
  const contexts: BrowserContext[] = [];
  const started = performance.now();
  /** Route key → the labels of the checks that covered it; "action" routes → the checks of the pages they led to. */
  const checked = new Map<string, string[]>();
  const exercised = new Set<string>();
  let pages = 0;
  let axeMs = 0;
  // What one test leaves for the next (the tests run in order and share the server).
  let reference = "";
  let contactUrl = "";
  let second: { email: string; password: string; name: string } | null = null;

  const account = (role: string, organisation = ORG) => {
    const a = demo.find((x) => x.organisation === organisation && x.roles.length === 1 && x.roles[0] === role)
      ?? (organisation === "region" ? demo.find((x) => x.organisation !== ORG && x.roles.length === 1 && x.roles[0] === role) : undefined);
    assert.ok(a, `the demo has no ${role} of ${organisation}`);
    return a!;
  };

  async function newPage(): Promise<Page> {
    const context = await browser.newContext();
    context.setDefaultTimeout(10_000);
    context.setDefaultNavigationTimeout(NAV_TIMEOUT);
    contexts.push(context);
    return context.newPage();
  }

  /** axe on the document `res` brought, recorded against the route that served it (and the actions that led there). */
  async function check(page: Page, res: Response | null, label: string, status = 200): Promise<void> {
    assert.ok(res, `${label}: no response`);
    if (res!.status() !== status) {
      const summary = await page.locator(".intact-error-summary, main [role=alert]").allTextContents();
      assert.fail(`${label}: status ${res!.status()}, not ${status}, at ${page.url()}${summary.length ? `: ${summary.join(" / ")}` : ""}`);
    }
    const t0 = performance.now();
    await checkA11y(page, label);
    axeMs += performance.now() - t0;
    pages++;
    const key = routeOf(res!.request().method(), res!.url());
    if (key) checked.set(key, [...(checked.get(key) ?? []), label]);
    for (let r = res!.request().redirectedFrom(); r; r = r.redirectedFrom()) {
      const from = routeOf(r.method(), r.url());
      if (from) exercised.add(from);
    }
  }
  const visit = async (page: Page, url: string, label: string, status = 200) => check(page, await page.goto(server.base + url), label, status);

  before(async () => {
    ({ server, browser } = await startServerAndBrowser(() => startServer("sqlite")));
    demo = JSON.parse(await runCli(server, ["demo", "--json"])) as DemoAccount[];
  });
  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.stop();
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(`# advisor pages: ${pages} pages checked with axe in ${s(performance.now() - started)} (axe itself ${s(axeMs)}, server start and demo included)`);
  });

  test("every route of the module is in this file's table", () => {
    const registered = registeredRoutes();
    assert.ok(registered.length >= 20, `only ${registered.length} routes found: is the pattern still right?`);
    assert.deepEqual([...new Set(registered)].sort(), Object.keys(ROUTES).sort(),
      "src/advisors registers other routes than ROUTES lists: add the new page (and check it) or remove the old one");
  });

  test("the administrator: advisor settings and one nature, with and without errors", { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage();
    await signIn(page, server.base, account("admin"));
    await visit(page, ADVISOR_SETTINGS, "settings");

    await page.locator("#field-notesRetentionMonths").fill("twaalf");
    await check(page, await submit(page, `form[action="${ADVISOR_SETTINGS}/instellingen"]`), "settings with errors", 422);
    assert.equal(await page.locator('.intact-error-summary a[href="#field-notesRetentionMonths"]').count(), 1);

    await page.goto(server.base + ADVISOR_SETTINGS);
    await check(page, await submit(page, `form[action="${ADVISOR_SETTINGS}/onderwerpen"]`), "new nature with errors", 422);
    assert.ok(await page.locator('.intact-error-summary a[href^="#field-nature-"]').count() >= 1);

    await page.goto(server.base + ADVISOR_SETTINGS);
    const natureHref = await page.locator(`main table a[href^="${ADVISOR_SETTINGS}/onderwerpen/"]`).first().getAttribute("href");
    assert.ok(natureHref);
    await visit(page, natureHref!, "one nature");
    await page.locator("#field-labelNl").fill("");
    await check(page, await submit(page, `main form[action="${natureHref}"]`), "one nature with errors", 422);
    assert.equal(await page.locator('.intact-error-summary a[href="#field-labelNl"]').count(), 1);

    // A second advisor for the successor form (and, later, the successor's view of a contact).
    const name = "Vera Vervanger";
    const email = "vera.vervanger@duinrand.example";
    await page.goto(server.base + "/beheer/accounts");
    await page.getByLabel("Naam", { exact: true }).fill(name);
    await page.getByLabel("E-mailadres", { exact: true }).fill(email);
    await page.getByLabel("Rol", { exact: true }).selectOption({ label: "Vertrouwenspersoon" });
    const res = await submit(page, 'main form[action="/beheer/accounts"]');
    assert.equal(res.status(), 201);
    second = { email, name, password: await text(page, '[data-testid="temporary-password"]') };
    assert.ok(second.password.length >= 12);
  });

  test("the coordinator before anything is published: home, the report not published yet, its print view 404", { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage();
    await signIn(page, server.base, account("coordinator"));
    await visit(page, "/", "home (coordinator)");
    // A report of the desk, for the advisor to link a contact to.
    await page.goto(server.base + "/meldingen");
    const references = await page.locator("main table tbody th a").allTextContents();
    reference = references.map((r) => r.trim()).find((r) => /^\d{4}-\d{1,6}$/.test(r)) ?? "";
    assert.ok(reference, `the coordinator's inbox shows no report number: ${references.join(", ")} at ${page.url()}`);

    await visit(page, REPORT_PATH, "report, not published yet (coordinator)");
    assert.equal(await page.locator("#niet-vastgesteld").count(), 1);
    await visit(page, `${REPORT_PATH}?jaar=${LAST_YEAR}`, "last year's report, not published yet (coordinator)");
    await visit(page, `${REPORT_PATH}.html?jaar=${LAST_YEAR}`, "print view, not published yet (coordinator)", 404);
    assert.equal((await page.request.get(`${server.base}${REPORT_PATH}.csv?jaar=${LAST_YEAR}`)).status(), 404);
  });

  test("the advisor: overview, register form, a contact in every state, activities, the report, and publishing", { timeout: TEST_TIMEOUT }, async () => {
    assert.ok(reference && second, "this test needs the report number and the second advisor from the tests before");
    const page = await newPage();
    const requests = recordRequests(page.context(), server.base);
    await signIn(page, server.base, account("advisor"));
    await check(page, await page.reload(), "home (advisor)");
    await visit(page, "/contacten", "contacts overview (advisor)");
    await visit(page, "/contacten?status=closed", "closed contacts");
    assert.equal(await text(page, "h1"), "Afgesloten contacten");

    // ---- the register form: empty, with errors, then a contact that became a formal report
    await visit(page, "/contacten/nieuw", "empty register form");
    await check(page, await submit(page, 'main form[action="/contacten/nieuw"]'), "register form with errors", 422);
    assert.equal(await page.locator('.intact-error-summary a[href="#field-relation"]').count(), 1);
    // Afresh: the form with errors keeps what was sent, and the defaults (people, minutes …) were sent empty.
    await page.goto(server.base + "/contacten/nieuw");
    await page.locator('input[name="relation"]').first().check();
    await page.locator('input[name="natures"]').first().check();
    await page.locator('input[name="form"]').first().check();
    await page.locator('input[name="followUp"][value="formal_complaint_or_report"]').check();
    await check(page, await submit(page, 'main form[action="/contacten/nieuw"]'), "open contact with the case-link and successor forms");
    contactUrl = page.url();
    assert.match(contactUrl, /\/contacten\/[0-9a-f-]{36}$/);
    const path_ = new URL(contactUrl).pathname;
    for (const id of ["#melding", "#opvolger", "#notities", "#afsluiten"]) assert.equal(await page.locator(id).count(), 1, `the contact page has no ${id}`);
    assert.equal(await page.locator("#field-successor-accountId option", { hasText: second.name }).count(), 1, "the second advisor is not offered");

    // ---- the case link: an unknown number, then the desk's report
    await page.locator("#field-link-reference").fill("1999-9999");
    await page.locator("#field-link-consentOn").fill(today());
    await page.locator("#field-link-consent").check();
    await check(page, await submit(page, `form[action="${path_}/melding"]`), "contact with a case-link error", 422);
    assert.equal(await page.locator('.intact-error-summary a[href="#field-link-reference"]').count(), 1);
    await page.locator("#field-link-reference").fill(reference);
    await page.locator("#field-link-consentOn").fill(today());
    await page.locator("#field-link-consent").check();
    await check(page, await submit(page, `form[action="${path_}/melding"]`), "contact linked to a report");
    assert.match(await text(page, "#melding"), new RegExp(reference));

    // ---- the successor: without consent, then with
    await page.locator("#field-successor-accountId").selectOption({ label: second.name });
    await page.locator("#field-successor-consentOn").fill(today());
    await check(page, await submit(page, `form[action="${path_}/opvolger"]`), "contact with a successor error", 422);
    assert.equal(await page.locator('.intact-error-summary a[href="#field-successor-consent"]').count(), 1);
    await page.locator("#field-successor-accountId").selectOption({ label: second.name });
    await page.locator("#field-successor-consentOn").fill(today());
    await page.locator("#field-successor-consent").check();
    await check(page, await submit(page, `form[action="${path_}/opvolger"]`), "contact with a successor named");
    assert.match(await text(page, "#opvolger"), new RegExp(second.name));

    // ---- notes: an empty one, then a real one
    await check(page, await submit(page, `form[action="${path_}/notities"]`), "contact with a note error", 422);
    assert.equal(await page.locator('.intact-error-summary a[href="#field-note-body"]').count(), 1);
    await page.locator("#field-note-body").fill("Bezoeker heeft de melding gedaan; volgende week bellen.");
    await check(page, await submit(page, `form[action="${path_}/notities"]`), "contact with a note");
    assert.equal(await flash(page), "De notitie is toegevoegd.");

    // ---- closing: in a second tab first, so the first tab's form is stale (409), then the closed contact
    const other = await page.context().newPage();
    await other.goto(contactUrl);
    await check(other, await submit(other, `form[action="${path_}/afsluiten"]`), "closed contact");
    assert.match(await text(other, "main"), /Afgesloten op/);
    await other.close();
    await check(page, await submit(page, `form[action="${path_}/afsluiten"]`), "contact closed meanwhile (problem alert)", 409);
    assert.match(await text(page, 'main [role="alert"]'), /Dit contact is al afgesloten\./);

    // ---- activities
    await visit(page, ACTIVITIES, "activities, this year");
    await visit(page, `${ACTIVITIES}?jaar=${LAST_YEAR}`, "activities, last year");
    await visit(page, `${ACTIVITIES}/nieuw`, "new activity form");
    await check(page, await submit(page, `main form[action="${ACTIVITIES}/nieuw"]`), "new activity form with errors", 422);
    assert.ok(await page.locator(".intact-error-summary a").count() >= 1);
    await page.locator("#field-activityOn").fill(today());
    await page.locator('input[name="kind"]').first().check();
    await page.locator("#field-peopleReached").fill("12");
    await check(page, await submit(page, `main form[action="${ACTIVITIES}/nieuw"]`), "activities with the new one");
    assert.match(await flash(page), /^De activiteit is geregistreerd\./);
    const del = page.locator(`main form[action^="${ACTIVITIES}/"][action$="/verwijderen"]`).first();
    const delAction = await del.getAttribute("action");
    await check(page, await submit(page, `main form[action="${delAction}"]`), "activities after deleting one");
    assert.match(await flash(page), /^De activiteit is verwijderd\./);

    // ---- the report: this year's draft, the texts too long, last year's draft, publishing, the exports
    await visit(page, REPORT_PATH, "report, this year's draft (advisor)");
    assert.equal(await page.locator("#concept").count(), 1);
    await page.evaluate('document.getElementById("field-interpretation").removeAttribute("maxlength")');
    await page.locator("#field-interpretation").fill("x".repeat(20_001));
    await check(page, await submit(page, `form[action="${REPORT_PATH}/teksten"]`), "report texts with errors", 422);
    assert.equal(await page.locator('.intact-error-summary a[href="#field-interpretation"]').count(), 1);
    await visit(page, `${REPORT_PATH}.html?jaar=${YEAR}`, "print view, draft (advisor)");
    const docx = await page.request.get(`${server.base}${REPORT_PATH}.docx?jaar=${YEAR}`);
    assert.equal(docx.status(), 200);
    assert.match(docx.headers()["content-type"] ?? "", /wordprocessingml/);

    await visit(page, `${REPORT_PATH}?jaar=${LAST_YEAR}`, "report, last year's draft with publishing (advisor)");
    await check(page, await submit(page, `form[action="${REPORT_PATH}/vaststellen"]`), "report published, as the advisor sees it");
    assert.equal(await flash(page), "Het jaarverslag is vastgesteld. Coördinatoren, de secretaris en auditors zien nu dit verslag.");
    requests.assertSameOrigin();
  });

  test("the second advisor: first sign-in, an empty register, and the contact as its successor", { timeout: TEST_TIMEOUT }, async () => {
    assert.ok(second && contactUrl, "this test needs the second advisor and the contact from the tests before");
    const page = await newPage();
    await page.goto(server.base + "/inloggen");
    await page.getByLabel("E-mailadres").fill(second.email);
    await page.getByLabel("Wachtwoord").fill(second.password);
    await Promise.all([page.waitForURL(/\/account\/nieuw-wachtwoord/, { timeout: NAV_TIMEOUT }), page.keyboard.press("Enter")]);
    await page.getByLabel("Nieuw wachtwoord").fill("een eigen lang wachtwoord voor Vera");
    await Promise.all([page.waitForURL((u) => !u.pathname.endsWith("/nieuw-wachtwoord"), { timeout: NAV_TIMEOUT }), page.keyboard.press("Enter")]);
    if (new URL(page.url()).pathname === "/account/tweestaps") {
      const secret = (await text(page, '[data-testid="totp-secret"]')).replace(/\s+/g, "");
      await page.getByLabel("Code van 6 cijfers").fill(await nextTotp(secret));
      await Promise.all([page.waitForURL(server.base + "/", { timeout: NAV_TIMEOUT }), page.keyboard.press("Enter")]);
    }
    assert.equal(new URL(page.url()).pathname, "/");
    await check(page, await page.reload(), "home (second advisor)");
    await visit(page, "/contacten", "contacts overview, empty (second advisor)");
    await visit(page, ACTIVITIES, "activities, empty (second advisor)");
    await visit(page, REPORT_PATH, "report, this year's draft (second advisor)");
    await visit(page, new URL(contactUrl).pathname, "closed contact as its successor");
    assert.match(await text(page, "#notities"), /Bezoeker heeft de melding gedaan/);
  });

  for (const role of ["secretary", "auditor"] as const) {
    test(`the ${role}: home, last year's published report and its exports, this year not published`, { timeout: TEST_TIMEOUT }, async () => {
      const page = await newPage();
      await signIn(page, server.base, account(role));
      await check(page, await page.reload(), `home (${role})`);
      await visit(page, `${REPORT_PATH}?jaar=${LAST_YEAR}`, `report, published (${role})`);
      assert.equal(await page.locator("#vastgesteld").count(), 1);
      await visit(page, `${REPORT_PATH}.html?jaar=${LAST_YEAR}`, `print view, published (${role})`);
      await visit(page, REPORT_PATH, `report, this year not published yet (${role})`);
      assert.equal(await page.locator("#niet-vastgesteld").count(), 1);
      if (role === "secretary") {
        // Chromium renders the PDF on the server: slow on a busy machine.
        const pdf = await page.request.get(`${server.base}${REPORT_PATH}.pdf?jaar=${LAST_YEAR}`, { timeout: 90_000 });
        assert.equal(pdf.status(), 200);
        assert.equal(pdf.headers()["content-type"], "application/pdf");
      } else {
        const csv = await page.request.get(`${server.base}${REPORT_PATH}.csv?jaar=${LAST_YEAR}`);
        assert.equal(csv.status(), 200);
        assert.match(csv.headers()["content-type"] ?? "", /^text\/csv/);
      }
    });
  }

  test("the regional coordinator: the region's report, not published yet", { timeout: TEST_TIMEOUT }, async () => {
    const page = await newPage();
    await signIn(page, server.base, account("coordinator", "region"));
    await check(page, await page.reload(), "home (regional coordinator)");
    await visit(page, `${REPORT_PATH}?jaar=${LAST_YEAR}`, "report of a member organisation (regional coordinator)");
    const group = await page.locator('#field-bereik option[value^="groep:"]').first().getAttribute("value");
    assert.ok(group, "the regional coordinator cannot choose the region");
    const id = group!.slice("groep:".length);
    await visit(page, `${REPORT_PATH}?jaar=${LAST_YEAR}&groep=${encodeURIComponent(id)}`, "the region's report, not published for every member");
    assert.match(await text(page, "#niet-vastgesteld"), /nog niet vastgesteld voor/);
    await visit(page, `${REPORT_PATH}.html?jaar=${LAST_YEAR}&groep=${encodeURIComponent(id)}`, "the region's print view, not published (404)", 404);
  });

  test("a pool advisor (several organisations): the organisation picker, a contact elsewhere, activities, the group's report and publishing it",
    { timeout: POOL_TIMEOUT }, async () => {
      assert.ok(contactUrl, "this test needs Duinrand's report over last year, published in the advisor's test");
      const members = DEMO_ORGANISATIONS.map((o) => o.name);
      const OTHER = "Gemeente Polderwijk";
      const THIRD = "Gemeente Maasoever";
      assert.ok(members.includes(OTHER) && members.includes(THIRD));
      const page = await newPage();
      const requests = recordRequests(page.context(), server.base);
      await signIn(page, server.base, account("advisor", "region"));
      await check(page, await page.reload(), `home ${POOL}`);

      // ---- the register form: the organisation picker, empty and with errors
      await visit(page, "/contacten/nieuw", `register form with the organisation picker ${POOL}`);
      const offered = await page.locator('#field-organisationId option:not([value=""])').allTextContents();
      assert.deepEqual(offered.map((o) => o.trim()).sort(), [...members].sort(), "the picker offers every organisation of the region");
      assert.equal(await page.locator("#field-organisationId").inputValue(), "", "no organisation is chosen beforehand");
      await check(page, await submit(page, 'main form[action="/contacten/nieuw"]'), `register form with errors ${POOL}`, 422);
      assert.equal(await page.locator('.intact-error-summary a[href="#field-organisationId"]').count(), 1);

      // ---- a contact last year in another member organisation than Duinrand, in one of its units
      await page.goto(server.base + "/contacten/nieuw");
      await page.locator("#field-contactOn").fill(`${LAST_YEAR}-06-15`);
      await page.locator("#field-organisationId").selectOption({ label: OTHER });
      const unit = page.locator(`#field-unitId optgroup[label="${OTHER}"] option`).first();
      const unitName = ((await unit.textContent()) ?? "").trim();
      const unitId = await unit.getAttribute("value");
      assert.ok(unitId, `${OTHER} has no units to choose from`);
      await page.locator("#field-unitId").selectOption(unitId!);
      await page.locator('input[name="relation"]').first().check();
      await page.locator('input[name="natures"]').first().check();
      await page.locator('input[name="form"]').first().check();
      await page.locator('input[name="followUp"]').first().check();
      await check(page, await submit(page, 'main form[action="/contacten/nieuw"]'), `contact in another member organisation ${POOL}`);
      assert.match(page.url(), /\/contacten\/[0-9a-f-]{36}$/);
      assert.equal(await flash(page), "Het contact is geregistreerd.");
      const details = await text(page, "#gegevens");
      assert.ok(details.includes(OTHER) && details.includes(unitName.replace(/^(— )+/, "")), `the contact's details: ${details}`);
      // Nobody else advises Polderwijk: no successor to name.
      assert.equal(await text(page, "#opvolger p"), "Er is geen andere vertrouwenspersoon in deze organisatie.");

      // ---- a second contact, this year in a third organisation: the overview then names each one's organisation
      await page.goto(server.base + "/contacten/nieuw");
      await page.locator("#field-organisationId").selectOption({ label: THIRD });
      await page.locator('input[name="relation"]').first().check();
      await page.locator('input[name="natures"]').first().check();
      await page.locator('input[name="form"]').first().check();
      await page.locator('input[name="followUp"]').first().check();
      assert.equal((await submit(page, 'main form[action="/contacten/nieuw"]')).status(), 200);
      await visit(page, "/contacten", `contacts overview with the organisation column ${POOL}`);
      assert.equal(await page.locator("main table thead th", { hasText: "Organisatie" }).count(), 1);
      for (const name of [OTHER, THIRD]) assert.equal(await page.locator("main table tbody td", { hasText: name }).count(), 1, name);

      // ---- activities: the organisation choice, none chosen, then one last year in Polderwijk
      await visit(page, `${ACTIVITIES}/nieuw`, `new activity form with the organisation choice ${POOL}`);
      const choices = await page.locator('#field-organisationId option:not([value=""])').allTextContents();
      assert.deepEqual(choices.map((o) => o.trim()).sort(), [...members].sort());
      await page.locator("#field-organisationId").selectOption("");
      await check(page, await submit(page, `main form[action="${ACTIVITIES}/nieuw"]`), `new activity form with errors ${POOL}`, 422);
      assert.equal(await page.locator('.intact-error-summary a[href="#field-organisationId"]').count(), 1);
      await page.locator("#field-activityOn").fill(`${LAST_YEAR}-03-10`);
      await page.locator('input[name="kind"]').first().check();
      await page.locator("#field-organisationId").selectOption({ label: OTHER });
      await page.locator("#field-peopleReached").fill("15");
      await check(page, await submit(page, `main form[action="${ACTIVITIES}/nieuw"]`), `activities of last year with the organisation column ${POOL}`);
      assert.match(await flash(page), /^De activiteit is geregistreerd\./);
      assert.equal(new URL(page.url()).searchParams.get("jaar"), String(LAST_YEAR));
      assert.equal(await page.locator('[data-testid="activity-table"] thead th', { hasText: "Organisatie" }).count(), 1);
      assert.equal(await page.locator('[data-testid="activity-table"] tbody td', { hasText: OTHER }).count(), 1);

      // ---- the group's report: this year's draft, last year's waiting for its members
      await page.goto(server.base + REPORT_PATH);
      const groupValue = await page.locator('#field-bereik option[value^="groep:"]').first().getAttribute("value");
      assert.ok(groupValue, "the pool advisor cannot choose the region");
      const groupId = encodeURIComponent(groupValue!.slice("groep:".length));
      const organisationIds = new Map<string, string>();
      for (const o of await page.locator('#field-bereik option[value^="organisatie:"]').all()) {
        organisationIds.set(((await o.textContent()) ?? "").trim(), (await o.getAttribute("value"))!.slice("organisatie:".length));
      }
      assert.deepEqual([...organisationIds.keys()].sort(), [...members].sort());
      const group = (year: number) => `${REPORT_PATH}?jaar=${year}&groep=${groupId}`;
      await visit(page, group(YEAR), `the group's report, this year's draft ${POOL}`);
      assert.equal(await page.locator("#concept").count(), 1);
      assert.match(await text(page, "main"), /Regio Groenhart \(samenwerkingsverband\)/);
      assert.match(await text(page, 'section[aria-labelledby="vaststellen"]'), new RegExp(`vaststellen vanaf 1 januari ${YEAR + 1}`));
      await visit(page, group(LAST_YEAR), `the group's report last year, waiting for its members ${POOL}`);
      const waiting = await text(page, 'section[aria-labelledby="vaststellen"]');
      const others = members.filter((m) => m !== ORG);
      for (const name of others) assert.ok(waiting.includes(name), `the group's page does not name ${name} as not published: ${waiting}`);
      assert.ok(!waiting.includes(ORG), "Duinrand's report over last year is published (the advisor's test)");
      assert.equal(await page.locator(`form[action="${REPORT_PATH}/vaststellen"]`).count(), 0, "publishing offered before every member is");

      // ---- each other member's report over last year published by the pool advisor (the first one checked)
      for (const [i, name] of others.entries()) {
        const url = `${REPORT_PATH}?jaar=${LAST_YEAR}&organisatie=${encodeURIComponent(organisationIds.get(name)!)}`;
        if (i === 0) await visit(page, url, `a member's report last year with 'vaststellen' ${POOL}`);
        else await page.goto(server.base + url);
        const res = await submit(page, `form[action="${REPORT_PATH}/vaststellen"]`);
        if (i === 0) await check(page, res, `a member's report published ${POOL}`);
        else assert.equal(res.status(), 200, name);
        assert.equal(await flash(page), "Het jaarverslag is vastgesteld. Coördinatoren, de secretaris en auditors zien nu dit verslag.", name);
      }

      // ---- the group's texts, then publishing the group
      await page.goto(server.base + group(LAST_YEAR));
      const interpretation = "In de regio kwamen weinig mensen; de vertrouwenspersoon was op elke locatie te vinden.";
      await page.locator("#field-interpretation").fill(interpretation);
      await check(page, await submit(page, `form[action="${REPORT_PATH}/teksten"]`), `the group's report with its texts saved and 'vaststellen' ${POOL}`);
      assert.match(await flash(page), /^De teksten zijn opgeslagen in het concept\./);
      assert.equal(await page.locator(`form[action="${REPORT_PATH}/vaststellen"] input[name="scope"][value="group"]`).count(), 1);
      await check(page, await submit(page, `form[action="${REPORT_PATH}/vaststellen"]`), `the group's report published, as the pool advisor sees it ${POOL}`);
      assert.equal(await flash(page), "Het jaarverslag is vastgesteld. Coördinatoren, de secretaris en auditors zien nu dit verslag.");
      assert.equal(new URL(page.url()).searchParams.get("groep"), decodeURIComponent(groupId));
      await visit(page, `${REPORT_PATH}.html?jaar=${LAST_YEAR}&groep=${groupId}`, `the group's print view, draft ${POOL}`);
      assert.match(await text(page, "main"), new RegExp(interpretation.slice(0, 30)));
      requests.assertSameOrigin();

      // ---- the regional coordinator reads the group's published report and its print view
      const reader = await newPage();
      await signIn(reader, server.base, account("coordinator", "region"));
      await visit(reader, group(LAST_YEAR), "the region's report, published (regional coordinator)");
      assert.equal(await reader.locator("#vastgesteld").count(), 1);
      assert.equal(await reader.locator("#concept").count(), 0);
      assert.match(await text(reader, "#duiding + p"), new RegExp(interpretation.slice(0, 30)));
      await visit(reader, `${REPORT_PATH}.html?jaar=${LAST_YEAR}&groep=${groupId}`, "the region's print view, published (regional coordinator)");
      assert.match(await text(reader, "main"), new RegExp(interpretation.slice(0, 30)));
    });

  test("a coordinator who guesses the contact's address gets the 404 page", { timeout: TEST_TIMEOUT }, async () => {
    assert.ok(contactUrl, "this test needs the contact registered by the advisor's test");
    const page = await newPage();
    await signIn(page, server.base, account("coordinator"));
    assert.equal(await page.locator('nav a[href="/contacten"]').count(), 0, "the coordinator has Contacten in the menu");
    await visit(page, new URL(contactUrl).pathname, "404 for a coordinator", 404);
    assert.equal(await text(page, "h1"), "Niet gevonden");
    assert.doesNotMatch(await text(page, "main"), /Bezoeker|melding gedaan|Opvolger/i);
  });

  test("every page route was checked and every action exercised", () => {
    const missing = Object.entries(ROUTES).filter(([key, r]) =>
      r.kind === "page" ? !checked.has(key) : r.kind === "action" ? !exercised.has(key) : false).map(([key]) => key);
    assert.deepEqual(missing, [], "routes this walk never checked");
    const noPool = Object.entries(ROUTES).filter(([key, r]) => r.pool && !(checked.get(key) ?? []).some((l) => l.endsWith(POOL))).map(([key]) => key);
    assert.deepEqual(noPool, [], "routes this walk never checked for an advisor of several organisations");
    console.log(`# covered: ${[...checked].map(([k, labels]) => `${k} (${labels.length})`).join("; ")}; and ${EXTRA}`);
  });
});
