// An administrator's first jobs, in a real browser against the real server (SQLite): import people
// from an HR export with one bad row, then create an account and grant it a role. axe on every page.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { nextTotp } from "../helpers/totp.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { checkA11y, startServerAndBrowser, recordRequests, setUpInstance, text } from "../helpers/browser.ts";

// The pages under test exist only once their module registers its routes; until then that part is
// skipped with the reason (never silently passing).
const routesSource = fs.readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src/http/routes.ts"), "utf8");
const registered = (fn: string) => new RegExp(`^\\s*${fn}\\(app, ctx\\)`, "m").test(routesSource);
const skipPeople = registered("peopleRoutes") ? false : "peopleRoutes is not registered in src/http/routes.ts yet";
const skipAccounts = registered("accountRoutes") ? false : "accountRoutes is not registered in src/http/routes.ts yet";

const ADMIN = { org: "Gemeente Duinrand", name: "Anna Admin", email: "anna@duinrand.example", password: "lang genoeg wachtwoord" };

// Line 1 is the header; line 4 has an employment type Intact does not know.
const CSV = [
  "personeelsnummer;voornaam;achternaam;email;dienstverband",
  "1001;Piet;Jansen;piet.jansen@duinrand.example;medewerker",
  "1002;Karin;de Vries;karin.devries@duinrand.example;inhuur",
  "1003;Bert;Fout;bert.fout@duinrand.example;zzp",
].join("\n") + "\n";

describe("an administrator's first jobs in the browser (sqlite)", { skip: skipPeople && skipAccounts ? skipAccounts : false }, () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let requests: ReturnType<typeof recordRequests>;

  before(async () => {
    ({ server, browser } = await startServerAndBrowser(() => startServer("sqlite")));
    context = await browser.newContext();
    context.setDefaultTimeout(10_000);
    requests = recordRequests(context, server.base);
    page = await context.newPage();
    assert.ok(server.setupUrl, `the server printed no setup link:\n${server.output()}`);
    await setUpInstance(page, server.setupUrl!, server.base, ADMIN, nextTotp);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("importing people: the preview names the bad line, and only the good rows are imported", { skip: skipPeople }, async () => {
    const res = await page.goto(server.base + "/beheer/medewerkers/import");
    assert.equal(res?.status(), 200);
    assert.equal(await text(page, "h1"), "Medewerkers importeren");
    await checkA11y(page, "people import");

    await page.getByLabel("CSV-bestand").setInputFiles({ name: "hr-export.csv", mimeType: "text/csv", buffer: Buffer.from(CSV, "utf8") });
    await page.getByRole("button", { name: "Voorbeeld bekijken" }).click();
    await page.waitForLoadState();
    // The preview: one line per row, the bad one (line 4) rejected with the reason.
    const table = page.locator("table", { has: page.locator("caption", { hasText: "Wat Intact per regel doet" }) });
    assert.equal(await table.count(), 1, "no preview table");
    const bad = table.locator("tbody tr", { hasText: "1003" });
    assert.equal(await bad.count(), 1);
    const badText = (await bad.textContent()) ?? "";
    assert.equal(((await bad.locator("th, td").first().textContent()) ?? "").trim(), "4", "the rejected row does not name line 4");
    assert.match(badText, /Afgekeurd/);
    assert.match(badText, /Onbekend dienstverband/);
    for (const n of ["1001", "1002"]) assert.match((await table.locator("tbody tr", { hasText: n }).textContent()) ?? "", /Nieuw/);
    assert.match(await text(page, "main"), /2 nieuw, 0 gewijzigd, 0 ongewijzigd, 1 afgekeurd/);
    await checkA11y(page, "people import preview");

    await page.getByRole("button", { name: "Alleen de goede regels importeren" }).click();
    await page.waitForLoadState();
    assert.match(await text(page, "main"), /Import klaar: 2 nieuw, 0 gewijzigd/);
    await checkA11y(page, "people import done");

    await page.goto(server.base + "/beheer/medewerkers");
    assert.equal(await text(page, "h1"), "Medewerkers");
    const list = await text(page, "main");
    assert.match(list, /Jansen/);
    assert.match(list, /de Vries/);
    assert.doesNotMatch(list, /Fout/, "the rejected row was imported");
    await checkA11y(page, "people list");
  });

  test("creating an account and granting it a role", { skip: skipAccounts }, async () => {
    const res = await page.goto(server.base + "/beheer/accounts");
    assert.equal(res?.status(), 200);
    assert.equal(await text(page, "h1"), "Accounts en rollen");
    assert.match(await text(page, "main table"), new RegExp(ADMIN.email));
    await checkA11y(page, "accounts");

    // First without a role: the error summary, axe-clean.
    await page.getByLabel("Naam", { exact: true }).fill("Henk Hulp");
    await page.getByLabel("E-mailadres", { exact: true }).fill("henk.hulp@duinrand.example");
    await page.getByRole("button", { name: "Account toevoegen" }).click();
    await page.waitForLoadState();
    assert.equal(await page.locator('.intact-error-summary a[href="#field-role"]').count(), 1);
    assert.equal(await page.getByLabel("E-mailadres", { exact: true }).inputValue(), "henk.hulp@duinrand.example");
    await checkA11y(page, "accounts with errors");

    await page.getByLabel("Rol", { exact: true }).selectOption({ label: "HR" });
    const [created] = await Promise.all([
      page.waitForResponse((r) => r.url() === server.base + "/beheer/accounts" && r.request().method() === "POST"),
      page.getByRole("button", { name: "Account toevoegen" }).click(),
    ]);
    assert.equal(created.status(), 201);
    await page.waitForLoadState();
    assert.equal(await text(page, "h1"), "Henk Hulp");
    const temporary = await text(page, '[data-testid="temporary-password"]');
    assert.ok(temporary.length >= 12, `unexpected temporary password: ${temporary}`);
    assert.match(await text(page, "main table"), /HR/);
    await checkA11y(page, "new account");

    await page.getByLabel("Rol", { exact: true }).selectOption({ label: "Vertrouwenspersoon" });
    await page.getByRole("button", { name: "Rol toekennen" }).click();
    await page.waitForURL(/\/beheer\/accounts\/[^/]+#rollen$/);
    assert.match(await text(page, '[role="status"]'), /De rol is toegekend/);
    const roles = await text(page, "main table");
    assert.match(roles, /HR/);
    assert.match(roles, /Vertrouwenspersoon/);
    assert.ok(!(await page.content()).includes(temporary), "the temporary password is shown again");
    await checkA11y(page, "account with a granted role");

    await page.getByRole("link", { name: "Terug naar accounts en rollen" }).click();
    await page.waitForURL(server.base + "/beheer/accounts");
    const row = page.locator("main table tbody tr", { hasText: "Henk Hulp" });
    assert.match((await row.textContent()) ?? "", /HR.*Vertrouwenspersoon|Vertrouwenspersoon.*HR/s);
    requests.assertSameOrigin();
  });
});
