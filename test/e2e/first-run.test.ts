// The first run, in a real browser against the real server: the printed setup link, the first
// administrator, TOTP enrolment, signing out and in again, an API key, the language switch and a
// 404 — with axe on every page, and no request to any other origin.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { currentTotp } from "../../src/auth/totp.ts";
import { nextTotp } from "../helpers/totp.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { checkA11y, checkReflow, startServerAndBrowser, recordRequests, text } from "../helpers/browser.ts";

const SHOTS = "/tmp/intact-shots";
const ADMIN = { org: "Gemeente Duinrand", name: "Anna Admin", email: "anna@duinrand.example", password: "lang genoeg wachtwoord" };

async function readSecret(page: Page): Promise<string> {
  return (await text(page, '[data-testid="totp-secret"]')).replace(/\s+/g, "");
}

for (const { kind, skip } of DB_KINDS) {
  describe(`first run in the browser (${kind})`, { skip }, () => {
    let server: TestServer;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let requests: ReturnType<typeof recordRequests>;
    let secret = "";

    before(async () => {
      ({ server, browser } = await startServerAndBrowser(() => startServer(kind)));
      context = await browser.newContext();
      requests = recordRequests(context, server.base);
      context.setDefaultTimeout(10_000);
      page = await context.newPage();
    });
    after(async () => {
      await browser?.close();
      await server?.stop();
    });

    test("the printed setup link refuses bad input with an accessible error summary", async () => {
      assert.ok(server.setupUrl, `the server printed no setup link:\n${server.output()}`);
      assert.ok(server.setupUrl!.startsWith(server.base + "/inrichten?token="));
      const res = await page.goto(server.setupUrl!);
      assert.equal(res?.status(), 200);
      assert.equal(await page.getAttribute("html", "lang"), "nl");
      assert.equal(await text(page, "h1"), "Intact inrichten");
      // The stylesheet and the Noto Sans font come from this server and are applied.
      const font = await page.evaluate("getComputedStyle(document.body).fontFamily") as string;
      assert.match(font, /Noto Sans/);
      await page.evaluate("document.fonts.ready");
      assert.equal(await page.evaluate("document.fonts.check('16px \"Noto Sans Variable\"')"), true, "Noto Sans did not load");
      await checkA11y(page, "setup");
      await checkReflow(page, "setup");
      if (kind === "sqlite") {
        fs.mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: `${SHOTS}/setup.png`, fullPage: true });
      }

      await page.getByLabel("Naam van de organisatie").fill("G");
      await page.getByLabel("Uw e-mailadres").fill("geen-adres");
      await page.getByLabel("Kies een wachtwoord").fill("kort");
      await page.getByRole("button", { name: "Organisatie en account aanmaken" }).click();
      await page.waitForLoadState();
      assert.equal(new URL(page.url()).pathname, "/inrichten");
      const summary = page.locator(".intact-error-summary");
      assert.equal(await summary.getAttribute("role"), "alert");
      assert.equal(await text(page, "#error-summary-title"), "Er is een probleem");
      const links = summary.locator("a");
      const hrefs = await links.evaluateAll((as) => as.map((a) => (a as unknown as { getAttribute(n: string): string }).getAttribute("href")));
      assert.deepEqual([...hrefs].sort(), ["#field-displayName", "#field-email", "#field-organisationName", "#field-password"]);
      for (const href of hrefs) {
        // Every link points at a field on the page, which says it is invalid and repeats the error.
        const field = page.locator(href!);
        assert.equal(await field.count(), 1, `${href} is not on the page`);
        assert.equal(await field.getAttribute("aria-invalid"), "true");
        const describedBy = (await field.getAttribute("aria-describedby")) ?? "";
        assert.ok(describedBy.split(" ").includes(`${href!.slice(1)}-error`), `${href} is not described by its error`);
        assert.ok((await text(page, `${href}-error`)).length > 0);
      }
      // The links are reachable by keyboard and lead to their field.
      const first = links.first();
      await first.focus();
      assert.equal(await first.evaluate((a) => a === (a as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement), true);
      await page.keyboard.press("Enter");
      await page.waitForFunction("location.hash !== ''");
      assert.equal(new URL(page.url()).hash, hrefs[0]);
      assert.equal(await page.evaluate("document.activeElement && document.activeElement.id"), hrefs[0]!.slice(1), "the field did not get focus");
      // What was typed is kept, except the password.
      assert.equal(await page.getByLabel("Naam van de organisatie").inputValue(), "G");
      assert.equal(await page.getByLabel("Kies een wachtwoord").inputValue(), "");
      await checkA11y(page, "setup with errors");
    });

    test("completing setup leads to TOTP enrolment and then the home page", async () => {
      await page.getByLabel("Naam van de organisatie").fill(ADMIN.org);
      await page.getByLabel("Uw naam").fill(ADMIN.name);
      await page.getByLabel("Uw e-mailadres").fill(ADMIN.email);
      await page.getByLabel("Kies een wachtwoord").fill(ADMIN.password);
      await page.getByRole("button", { name: "Organisatie en account aanmaken" }).click();
      await page.waitForURL(server.base + "/account/tweestaps");
      assert.equal(await text(page, "h1"), "Tweestapsverificatie instellen");
      secret = await readSecret(page);
      assert.match(secret, /^[A-Z2-7]{32}$/);
      assert.equal(await page.locator(".intact-qr svg").count(), 1, "the QR code is not inline");
      await checkA11y(page, "TOTP enrolment");

      // A wrong code first: the page says so, at the field.
      await page.getByLabel("Code van 6 cijfers").fill("000000" === currentTotp(secret) ? "111111" : "000000");
      await page.getByRole("button", { name: "Controleren" }).click();
      await page.waitForLoadState();
      assert.match(await text(page, "#field-code-error"), /klopt niet/);
      assert.equal(await readSecret(page), secret, "a failed attempt must not change the secret");

      await page.getByLabel("Code van 6 cijfers").fill(await nextTotp(secret));
      await page.getByRole("button", { name: "Controleren" }).click();
      await page.waitForURL(server.base + "/");
      assert.equal(await text(page, "h1"), `Welkom, ${ADMIN.name}`);
      assert.match(await text(page, '[role="status"]'), /Tweestapsverificatie staat aan/);
      assert.match(await text(page, ".intact-brand"), new RegExp(ADMIN.org));
      await checkA11y(page, "home");
      await checkReflow(page, "home");
      if (kind === "sqlite") await page.screenshot({ path: `${SHOTS}/home.png`, fullPage: true });
      // The setup link works once only.
      const again = await page.request.get(server.setupUrl!);
      assert.equal(again.status(), 404);
    });

    test("signing out and in again asks for the password and the code", async () => {
      await page.getByRole("button", { name: "Uitloggen" }).click();
      await page.waitForURL(server.base + "/inloggen?uitgelogd=1");
      assert.equal(await text(page, "h1"), "Inloggen");
      assert.match(await text(page, "main"), /U bent uitgelogd/);
      await checkA11y(page, "sign-in");
      // Signed out means signed out: the home page now shows the sign-in form.
      const home = await page.request.get(server.base + "/");
      assert.equal(home.status(), 401);

      await page.getByLabel("E-mailadres").fill(ADMIN.email);
      await page.getByLabel("Wachtwoord").fill("verkeerd wachtwoord");
      await page.getByRole("button", { name: "Inloggen", exact: true }).click();
      await page.waitForLoadState();
      assert.match(await text(page, '[role="alert"]'), /klopt niet/);
      assert.equal(await page.getByLabel("E-mailadres").inputValue(), ADMIN.email);
      await checkA11y(page, "sign-in with error");

      await page.getByLabel("Wachtwoord").fill(ADMIN.password);
      await page.getByRole("button", { name: "Inloggen", exact: true }).click();
      await page.waitForURL(server.base + "/inloggen/code?terug=%2F");
      assert.equal(await text(page, "h1"), "Code uit uw app");
      await checkA11y(page, "TOTP code");
      await page.getByLabel("Code van 6 cijfers").fill(await nextTotp(secret));
      await page.getByRole("button", { name: "Controleren" }).click();
      await page.waitForURL(server.base + "/");
      assert.equal(await text(page, "h1"), `Welkom, ${ADMIN.name}`);
    });

    test("the account page creates an API key and shows it once", async () => {
      await page.getByRole("link", { name: "Mijn account" }).click();
      await page.waitForURL(server.base + "/account");
      assert.equal(await text(page, "h1"), "Mijn account");
      assert.match(await text(page, "main"), new RegExp(ADMIN.email));
      assert.match(await text(page, "main"), /U heeft nog geen API-sleutels/);
      await checkA11y(page, "account");

      await page.getByLabel("Naam van de sleutel").fill("Koppeling e2e");
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.url() === server.base + "/account/sleutels"),
        page.getByRole("button", { name: "Sleutel maken" }).click(),
      ]);
      assert.equal(res.status(), 201);
      await page.waitForLoadState();
      const key = await text(page, '[data-testid="new-token"]');
      assert.ok(key.length >= 32, `unexpected key: ${key}`);
      assert.match(await text(page, "main table"), /Koppeling e2e/);
      assert.match(await text(page, "main table"), /Actief/);
      await checkA11y(page, "account with new key");
      await checkReflow(page, "account with new key");

      // Shown once: the next visit lists the key but not its secret.
      await page.goto(server.base + "/account");
      assert.equal(await page.locator('[data-testid="new-token"]').count(), 0);
      assert.ok(!(await page.content()).includes(key), "the key is shown again");
      assert.match(await text(page, "main table"), /Koppeling e2e/);
      // The health check is public (no key, no session).
      const health = await fetch(server.base + "/healthz");
      assert.equal(health.status, 200);
    });

    test("the header button switches the language to English", async () => {
      await page.goto(server.base + "/");
      await page.getByRole("button", { name: "English" }).click();
      await page.waitForFunction("document.documentElement.lang === 'en'");
      assert.equal(new URL(page.url()).pathname, "/");
      assert.equal(await text(page, "h1"), `Welcome, ${ADMIN.name}`);
      assert.equal(await page.getByRole("button", { name: "Nederlands" }).getAttribute("lang"), "nl");
      await checkA11y(page, "home (English)");

      const res = await page.goto(server.base + "/bestaat-niet");
      assert.equal(res?.status(), 404);
      assert.equal(await text(page, "h1"), "Not found");
      await checkA11y(page, "404");
      // The account remembers the choice; switch back for the next test.
      await page.getByRole("button", { name: "Nederlands" }).click();
      await page.waitForFunction("document.documentElement.lang === 'nl'");
      assert.equal(await text(page, "h1"), "Niet gevonden");
    });

    test("no page asked anything of another origin", () => {
      assert.ok(requests.urls.some((u) => u.endsWith("/assets/intact.css")), "the stylesheet was never requested");
      assert.ok(requests.urls.some((u) => /\/assets\/fonts\/noto-sans-.*\.woff2$/.test(u)), "the font was never requested");
      requests.assertSameOrigin();
    });

    test("signing in works with JavaScript disabled", async () => {
      const noJs = await browser.newContext({ javaScriptEnabled: false });
      try {
        const rec = recordRequests(noJs, server.base);
        const p = await noJs.newPage();
        noJs.setDefaultTimeout(10_000);
        const res = await p.goto(server.base + "/account");
        assert.equal(res?.status(), 401, "a protected page shows the sign-in form in place");
        assert.equal(await text(p, "h1"), "Inloggen");
        await p.getByLabel("E-mailadres").fill(ADMIN.email);
        await p.getByLabel("Wachtwoord").fill(ADMIN.password);
        await p.getByRole("button", { name: "Inloggen", exact: true }).click();
        await p.waitForURL(server.base + "/inloggen/code?terug=%2Faccount");
        await p.getByLabel("Code van 6 cijfers").fill(await nextTotp(secret));
        await p.getByRole("button", { name: "Controleren" }).click();
        await p.waitForURL(server.base + "/account", { timeout: 40_000 });
        assert.equal(await text(p, "h1"), "Mijn account");
        // Signing out is a plain form post too.
        await p.getByRole("button", { name: "Uitloggen" }).click();
        await p.waitForURL(server.base + "/inloggen?uitgelogd=1");
        rec.assertSameOrigin();
      } finally {
        await noJs.close();
      }
    });
  });
}
