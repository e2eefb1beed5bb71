// The confidential advisor in a real Chromium against the real server: the advisor signs in and registers
// a contact by keyboard only (Tab, Space, the arrow keys, typing and Enter; no mouse), adds a note, adds a
// note of files only (two files in the one chooser) and downloads one, and closes the contact; axe finds nothing on any of the advisor's pages; a coordinator who types the
// contact's address gets the 404 page. The time from opening the form to the contact page, and the key
// presses it took, are printed ("# ...").
//
// Accounts come from the demo loader (`intact demo --json`): the advisor and the coordinator of Gemeente
// Duinrand, TOTP on. On PostgreSQL the same walk runs without axe (the markup does not depend on the database).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { DB_KINDS } from "../helpers/db.ts";
import { runCli, startServer, type TestServer } from "../helpers/server.ts";
import { checkA11y, checkReflow, recordRequests, signInByKeyboard as signIn, startServerAndBrowser, text } from "../helpers/browser.ts";

const ORG = "Gemeente Duinrand";
const NOTE = "Tweede gesprek over twee weken afgesproken.";
const NAV_TIMEOUT = 20_000;
const TEST_TIMEOUT = 120_000;

type DemoAccount = { email: string; password: string; roles: string[]; organisation: string; totpSecret: string };


/** Counts the keys pressed, so the report can say how much work a registration is, not only how fast a robot is. */
function keyboard(page: Page) {
  let presses = 0;
  return {
    get presses() { return presses; },
    async press(key: string) { presses++; await page.keyboard.press(key); },
    async type(s: string) { presses += s.length; await page.keyboard.type(s); },
    /** Tab until the element matching `selector` has the focus (at most 60 stops). */
    async tabTo(selector: string) {
      for (let i = 0; i < 60; i++) {
        if (await page.evaluate(`!!document.activeElement && document.activeElement.matches(${JSON.stringify(selector)})`)) return;
        presses++;
        await page.keyboard.press("Tab");
      }
      assert.fail(`Tab never reached ${selector}`);
    },
  };
}

/** Presses a key that submits a form or follows a link, and waits for the new document (a form may post to its own address). */
async function navigate(page: Page, action: () => Promise<unknown>) {
  const [res] = await Promise.all([page.waitForNavigation({ waitUntil: "load", timeout: NAV_TIMEOUT }), action()]);
  return res;
}

const flash = async (page: Page) => ((await page.locator('main [role="status"]').first().textContent().catch(() => "")) ?? "").trim();

for (const { kind, skip } of DB_KINDS) {
  describe(`the confidential advisor in the browser (${kind})`, { skip }, () => {
    const pageChecks = kind === "sqlite";
    let server: TestServer;
    let browser: Browser;
    let accounts: Record<"advisor" | "coordinator", DemoAccount>;
    let contactUrl = "";
    const a11y = async (page: Page, label: string) => { if (pageChecks) await checkA11y(page, label); };
    const reflow = async (page: Page, label: string) => { if (pageChecks) await checkReflow(page, label); };

    before(async () => {
      ({ server, browser } = await startServerAndBrowser(() => startServer(kind)));
      const loaded = JSON.parse(await runCli(server, ["demo", "--json"])) as DemoAccount[];
      const find = (role: string) => {
        const a = loaded.find((x) => x.organisation === ORG && x.roles.length === 1 && x.roles[0] === role);
        assert.ok(a, `the demo has no ${role} of ${ORG}`);
        return a!;
      };
      accounts = { advisor: find("advisor"), coordinator: find("coordinator") };
    });
    after(async () => {
      await browser?.close();
      await server?.stop();
    });

    test("an advisor registers a contact by keyboard only, adds a note and closes it; axe on every page", { timeout: TEST_TIMEOUT }, async () => {
      const context = await browser.newContext();
      context.setDefaultTimeout(10_000);
      context.setDefaultNavigationTimeout(NAV_TIMEOUT);
      const requests = recordRequests(context, server.base);
      const page = await context.newPage();
      await signIn(page, server.base, accounts.advisor);
      const card = page.locator("section", { has: page.getByRole("heading", { name: "Vertrouwenspersoon" }) });
      assert.equal(await card.getByRole("link").first().textContent(), "Contact registreren", "the advisor's card starts with registering");
      await a11y(page, "home (advisor)");

      // ---- the overview: "Contact registreren" is the first thing in <main>
      await page.goto(server.base + "/contacten");
      assert.equal(await text(page, "h1"), "Contacten");
      assert.equal(await page.locator("main a").first().textContent(), "Contact registreren");
      // The demo advisor has a register already (src/demo/advisors.ts): remember what the overview counts now.
      const count = async (selector: string, re: RegExp) => Number(re.exec(await text(page, selector))?.[1] ?? "0");
      const openBefore = await count("main table caption", /Open contacten: (\d+)/);
      const yearBefore = await count('[data-testid="figures"]', /Contacten\s*(\d+)/);
      await a11y(page, "contacts overview");

      // ---- keyboard only, from the overview's button to the contact page
      const keys = keyboard(page);
      await keys.tabTo('main a[href="/contacten/nieuw"]');
      const started = performance.now();
      await navigate(page, () => keys.press("Enter"));
      assert.equal(await text(page, "h1"), "Contact registreren");
      const formOpened = performance.now();
      const pressesBefore = keys.presses;
      // Today, the one organisation, 1 person, 1 conversation and 60 minutes are filled in already.
      await keys.tabTo("#field-relation");
      await keys.press("Space");                 // Medewerker
      await keys.tabTo("#field-natures-0");
      await keys.press("Space");                 // Pesten
      await keys.tabTo("#field-natures-5");
      await keys.press("Space");                 // Werksituatie (arbeidsconflict)
      await keys.tabTo("#field-form");
      await keys.press("ArrowDown");             // Telefoon
      await keys.tabTo("#field-minutes");
      await keys.press("Control+A");
      await keys.type("45");
      await keys.tabTo("#field-followUp");
      await keys.press("Space");                 // Geluisterd en advies gegeven
      await keys.tabTo('main form button[type="submit"]');
      await navigate(page, () => keys.press("Enter"));
      const ms = Math.round(performance.now() - formOpened);
      console.log(`# ${kind}: keyboard registration: ${ms} ms from the open form to the contact page (${Math.round(performance.now() - started)} ms from the button); `
        + `${keys.presses - pressesBefore} key presses on the form (Tab included), ${keys.presses} from the top of the overview`);
      contactUrl = page.url();
      assert.match(contactUrl, /\/contacten\/[0-9a-f-]{36}$/);

      assert.equal(await flash(page), "Het contact is geregistreerd.");
      const main = await text(page, "main");
      for (const s of ["Gemeente Duinrand", "Medewerker", "Pesten", "Werksituatie (arbeidsconflict)", "Telefoon", "45 minuten", "Geluisterd en advies gegeven"]) {
        assert.ok(main.includes(s), `the contact page does not show ${s}`);
      }
      await a11y(page, "contact page");

      // ---- a note, by keyboard
      await keys.tabTo("#field-note-body");
      await keys.type(NOTE);
      await keys.tabTo('form[action$="/notities"] button[type="submit"]');
      await navigate(page, () => keys.press("Enter"));
      assert.equal(await flash(page), "De notitie is toegevoegd.");
      assert.match(await text(page, "#notities"), new RegExp(NOTE));
      await a11y(page, "contact page with a note");
      await reflow(page, "contact page with a note");

      // ---- a note with files only (no text): the file chooser takes several files; the form is multipart, no script
      await page.setInputFiles("#field-note-files", [
        { name: "gespreksverslag.txt", mimeType: "text/plain", buffer: Buffer.from("Verslag van het eerste gesprek.\n") },
        { name: "afspraken.txt", mimeType: "text/plain", buffer: Buffer.from("Over twee weken bellen.\n") },
      ]);
      await navigate(page, () => page.locator('form[action$="/notities"] button[type="submit"]').click());
      assert.equal(await flash(page), "De notitie is toegevoegd.");
      const files = page.locator('#notities ul[aria-label="Bestanden bij deze notitie"] a');
      assert.deepEqual(await files.locator(".intact-files__name").allTextContents(), ["gespreksverslag.txt", "afspraken.txt"]);
      const download = await context.request.get(server.base + (await files.first().getAttribute("href"))!);
      assert.equal(download.status(), 200);
      assert.match(download.headers()["content-disposition"] ?? "", /^attachment; filename="gespreksverslag\.txt"/);
      assert.equal(await download.text(), "Verslag van het eerste gesprek.\n");
      await a11y(page, "contact page with a files-only note");
      await reflow(page, "contact page with a files-only note");

      // ---- the form with errors
      await page.goto(server.base + "/contacten/nieuw");
      await keys.tabTo('main form button[type="submit"]');
      await navigate(page, () => keys.press("Enter"));
      assert.equal(await page.locator('.intact-error-summary a[href="#field-natures"]').count(), 1);
      assert.equal(await page.locator('.intact-error-summary a[href="#field-relation"]').count(), 1);
      await a11y(page, "contact form with errors");
      await reflow(page, "contact form with errors");

      // ---- the overview with the contact and this year's figures; closing; the closed list
      await page.goto(server.base + "/contacten");
      assert.equal(await count("main table caption", /Open contacten: (\d+)/), openBefore + 1);
      assert.equal(await count('[data-testid="figures"]', /Contacten\s*(\d+)/), yearBefore + 1);
      await a11y(page, "contacts overview with the new contact");
      await reflow(page, "contacts overview");
      await page.goto(contactUrl);
      await keys.tabTo('form[action$="/afsluiten"] button[type="submit"]');
      await navigate(page, () => keys.press("Enter"));
      assert.equal(await flash(page), "Het contact is afgesloten.");
      assert.match(await text(page, "main"), /Afgesloten op/);
      await a11y(page, "closed contact");
      await page.goto(server.base + "/contacten?status=closed");
      assert.equal(await text(page, "h1"), "Afgesloten contacten");
      assert.equal(await page.locator(`main table tbody a[href="${new URL(contactUrl).pathname}"]`).count(), 1);
      await a11y(page, "closed contacts");
      requests.assertSameOrigin();
      await context.close();
    });

    test("a coordinator who types the contact's address gets the 404 page", { timeout: TEST_TIMEOUT }, async () => {
      assert.ok(contactUrl, "this test needs the contact registered by the first test");
      const context = await browser.newContext();
      context.setDefaultTimeout(10_000);
      context.setDefaultNavigationTimeout(NAV_TIMEOUT);
      const page = await context.newPage();
      await signIn(page, server.base, accounts.coordinator);
      assert.equal(await page.locator('nav a[href="/contacten"]').count(), 0, "the coordinator has Contacten in the menu");
      const res = await page.goto(contactUrl);
      assert.equal(res?.status(), 404);
      assert.equal(await text(page, "h1"), "Niet gevonden");
      assert.doesNotMatch(await text(page, "main"), /Pesten|Werksituatie|Telefoon|notitie/i);
      await a11y(page, "404 for a coordinator");
      await context.close();
    });
  });
}
