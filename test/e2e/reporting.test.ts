// The reporting desk end to end, in a real Chromium against the real server: an anonymous reporter
// with JavaScript off walks the intake and gets a receipt; the coordinator acknowledges and asks a
// question; the reporter answers in the mailbox; the case goes through assessment, the secretary's
// approval, an investigation, findings, measures and feedback to closed. axe on every page, reflow at
// 320 px on the intake pages, keyboard checks, the English intake, and no request to another origin.
// Files: the reporter adds a phone photo (EXIF with place, camera, date and maker) on the files step and
// has one disguised file refused; the coordinator downloads the photo through the browser and finds it a
// JPEG without EXIF; the reporter sends one more photo from the mailbox.
// On PostgreSQL the same walk runs without the page checks (axe, reflow, keyboard, English), which do
// not depend on the database. The times of sending and of the receipt check are printed ("# ...").
//
// Accounts come from the demo loader (`intact demo --json`), run against the started server's database:
// a coordinator, an investigator and a secretary of Gemeente Duinrand (slug "duinrand"), TOTP on.
// E2E_RECEIPT_MIN_MS and E2E_ARGON2_MEMORY_KIB set the server's RECEIPT_MIN_MS (default 500) and
// ARGON2_MEMORY_KIB (here 1024); E2E_TIMING=1 prints the time of every navigation, axe run and Tab stop.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page, Response } from "playwright-core";
import sharp from "sharp";
import { photoWithExif } from "../helpers/attachments.ts";
import { nextTotp } from "../helpers/totp.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { runCli, startServer, type TestServer } from "../helpers/server.ts";
import { checkA11y, checkA11yNoScript, checkReflow, startServerAndBrowser, recordRequests, text } from "../helpers/browser.ts";

const SHOTS = "/tmp/intact-shots";
const SLUG = "duinrand";
const ORG = "Gemeente Duinrand";
const DESCRIPTION = "Een medewerker van de balie neemt contant geld aan zonder bon.";
const DESCRIPTION_CHANGED = "Een medewerker van de balie neemt contant geld aan zonder bon, elke vrijdag.";
const ACK_LINE = "Dank u wel voor uw melding. Wij nemen hem serieus.";
const QUESTION = "Weet u ongeveer hoeveel geld het per keer is?";
const ANSWER = "Meestal tussen de 50 en 100 euro.";
const FEEDBACK = "Het onderzoek is klaar. Het vermoeden bleek juist en er zijn maatregelen genomen.";
const ALLEGATION = "Contant geld aannemen zonder bon";
/** The optional files step. */
const FILES_TITLE = "Wilt u bestanden meesturen?";
/** The photo added on the files step, the one sent from the mailbox, and a page disguised as a PDF. */
const PHOTO_NAME = "foto balie.jpg";
const MAILBOX_PHOTO_NAME = "tweede foto.jpg";
const DISGUISED_NAME = "factuur.pdf";
/** What the files step, the mailbox and the case page say was taken out of photoWithExif()'s photo. */
const PHOTO_REMOVED = "Locatie, cameragegevens, datum en naam van de maker verwijderd.";
/** The refusal of a file that is a web page whatever its name says (intake.files.refused.unknownType). */
const REFUSED_TYPE = "Dit soort bestand kunnen wij niet opslaan. Stuur een foto, een PDF-bestand, een Word-, Excel- of PowerPoint-bestand, een tekstbestand of een geluidsbestand.";
// Navigations that wait on a POST: generous, but bounded.
const NAV_TIMEOUT = 20_000;
/** A whole test: far above its normal few seconds, so a hang fails with a message instead of stalling the run. */
const TEST_TIMEOUT = 120_000;

type DemoAccount = { email: string; password: string; roles: string[]; organisation: string; totpSecret: string };

/** Runs `action` (a click that submits or follows a link) and waits for the new document to load. The
 *  intake posts to the same address page after page, so waiting for a URL would not do. */
async function navigate(page: Page, action: () => Promise<unknown>): Promise<Response | null> {
  const t0 = performance.now();
  const [res] = await Promise.all([page.waitForNavigation({ waitUntil: "load", timeout: NAV_TIMEOUT }), action()]);
  if (process.env.E2E_TIMING) console.log(`# nav ${page.url()}: ${Math.round(performance.now() - t0)} ms`);
  return res;
}

/** Submits the current intake question with "Volgende" and checks that the next page has `nextTitle` as its h1. */
async function next(page: Page, nextTitle: string, button = "Volgende"): Promise<Response | null> {
  const res = await navigate(page, () => page.getByRole("button", { name: button, exact: true }).click());
  assert.equal(await text(page, "h1"), nextTitle, `after "${button}" the page should be "${nextTitle}" (status ${res?.status()})`);
  return res;
}

/** Password and TOTP through the real sign-in pages; ends on the home page. */
async function signIn(page: Page, base: string, account: DemoAccount): Promise<void> {
  await page.goto(base + "/inloggen");
  await page.getByLabel("E-mailadres").fill(account.email);
  await page.getByLabel("Wachtwoord").fill(account.password);
  await page.getByRole("button", { name: "Inloggen", exact: true }).click();
  await page.waitForURL(/\/inloggen\/code/, { timeout: NAV_TIMEOUT });
  await page.getByLabel("Code van 6 cijfers").fill(await nextTotp(account.totpSecret));
  await page.getByRole("button", { name: "Controleren" }).click();
  await page.waitForURL(base + "/", { timeout: NAV_TIMEOUT });
}

/** The flash message (role=status) of the page, or "". */
const flash = async (page: Page) => ((await page.locator('main [role="status"]').first().textContent().catch(() => "")) ?? "").trim();

/** The value shown next to a label in the case page's summary. */
async function summaryValue(page: Page, label: string): Promise<string> {
  const item = page.locator("#gegevens .utrecht-data-list__item", { has: page.locator(".utrecht-data-list__item-key", { hasText: label }) });
  assert.equal(await item.count(), 1, `the case summary has no single row "${label}"`);
  return ((await item.locator(".utrecht-data-list__item-value").textContent()) ?? "").trim();
}

/** A name for a tab stop that is the same in both evaluations below: its id, else what it submits or links to. */
const KEY_OF = `(el) => el.id ? el.id : el.getAttribute("href") ? el.getAttribute("href")
  : el.tagName.toLowerCase() + "[" + (el.getAttribute("name") || "") + "=" + (el.getAttribute("value") || "") + "] " + el.textContent.trim().slice(0, 40)`;

/** Is the focus on the focused element visible: an outline or a box shadow while it matches :focus-visible? */
async function focusState(page: Page) {
  return (await page.evaluate(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
    const shadow = s.boxShadow && s.boxShadow !== "none";
    return { key: (${KEY_OF})(el), tag: el.tagName.toLowerCase(), focusVisible: el.matches(":focus-visible"), visible: outline || !!shadow,
      style: s.outlineStyle + " " + s.outlineWidth + " / " + s.boxShadow };
  })()`)) as { key: string; tag: string; focusVisible: boolean; visible: boolean; style: string } | null;
}

/** The tab stops of the forms in <main>, in document order: what Tab should reach, one stop per radio group. */
async function formControls(page: Page): Promise<string[]> {
  return (await page.evaluate(`(() => {
    const seen = new Set();
    const out = [];
    for (let el of document.querySelectorAll("main form input, main form select, main form textarea, main form button")) {
      if (el.type === "hidden" || el.disabled || el.tabIndex < 0) continue;
      if (el.type === "radio") {
        if (seen.has(el.name)) continue;
        seen.add(el.name);
        const group = [...document.querySelectorAll('input[type="radio"]')].filter((r) => r.name === el.name);
        el = group.find((r) => r.checked) || group[0];
      }
      out.push((${KEY_OF})(el));
    }
    return out;
  })()`)) as string[];
}

/** From the skip link: Enter moves to <main>; then Tab through the page, every stop with visible focus,
 *  until `controls` (the form controls in document order) have all been reached. Returns the order reached. */
async function tabThrough(page: Page, label: string, controls: string[]): Promise<string[]> {
  await page.evaluate("document.activeElement && document.activeElement.blur()");
  await page.keyboard.press("Tab");
  const skip = await focusState(page);
  assert.equal(skip?.key, "#main", `${label}: the first Tab should land on the skip link, not ${JSON.stringify(skip)}`);
  assert.ok(skip!.focusVisible && skip!.visible, `${label}: the skip link's focus is not visible (${skip!.style})`);
  assert.ok(await page.locator("a.utrecht-skip-link").isVisible(), `${label}: the focused skip link is not visible`);
  await page.keyboard.press("Enter");
  await page.waitForFunction("location.hash === '#main'");
  assert.equal(await page.evaluate("document.activeElement && document.activeElement.id"), "main", `${label}: the skip link did not move the focus to <main>`);

  const reached: string[] = [];
  const want = new Set(controls);
  for (let i = 0; i < 80 && [...want].some((c) => !reached.includes(c)); i++) {
    await page.keyboard.press("Tab");
    const f = await focusState(page);
    assert.ok(f, `${label}: Tab ${i + 1} left the page before reaching ${[...want].filter((c) => !reached.includes(c)).join(", ")}`);
    assert.ok(f!.focusVisible && f!.visible, `${label}: no visible focus on ${f!.tag} "${f!.key}" (${f!.style})`);
    if (want.has(f!.key)) reached.push(f!.key);
    if (process.env.E2E_TIMING) console.log(`# tab ${label}: ${f!.tag} ${f!.key} | ${f!.style}`);
  }
  assert.deepEqual(reached, controls, `${label}: Tab does not reach the form controls in document order`);
  return reached;
}

for (const { kind, skip } of DB_KINDS) {
  describe(`the reporting desk in the browser (${kind})`, { skip }, () => {
    // The markup does not depend on the database: axe, reflow, keyboard and language run on SQLite only,
    // and PostgreSQL walks the same path for what it stores and shows.
    const pageChecks = kind === "sqlite";
    const pageOnly = pageChecks ? false : "the pages are the same as on SQLite, where this runs";
    let server: TestServer;
    let browser: Browser;
    let accounts: Record<"coordinator" | "investigator" | "secretary", DemoAccount>;
    const recorders: ReturnType<typeof recordRequests>[] = [];
    // What the reporter's test hands on to the next ones.
    let receipt = "";
    let receiptGrouped = "";
    let reference = "";
    let ackDueText = "";
    // The coordinator stays signed in across the tests.
    let desk: Page | null = null;
    let caseUrl = "";
    let feedbackDueText = "";
    // The files the reporter picks, written to disk for the file chooser.
    let fileDir = "";
    const filePath = (name: string) => path.join(fileDir, name);

    const scriptless = new WeakSet<Page>();
    const recorderOf = new Map<Page, ReturnType<typeof recordRequests>>();
    /** A fresh context (a fresh cookie jar), its requests recorded. JavaScript off for the reporter. */
    async function newPage(javaScriptEnabled: boolean): Promise<Page> {
      const context = await browser.newContext({ javaScriptEnabled });
      context.setDefaultTimeout(10_000);
      context.setDefaultNavigationTimeout(NAV_TIMEOUT);
      const rec = recordRequests(context, server.base);
      recorders.push(rec);
      const page = await context.newPage();
      recorderOf.set(page, rec);
      if (!javaScriptEnabled) scriptless.add(page);
      return page;
    }
    /** axe on the page; on a page without JavaScript through a scripted copy of its markup (axe needs timers). */
    const a11y = async (page: Page, label: string) => {
      if (!pageChecks) return;
      const t0 = performance.now();
      await (scriptless.has(page) ? checkA11yNoScript(page, label) : checkA11y(page, label));
      if (process.env.E2E_TIMING) console.log(`# axe ${label}: ${Math.round(performance.now() - t0)} ms`);
    };
    const reflow = (page: Page, label: string) => (pageChecks ? checkReflow(page, label) : Promise.resolve());
    const needReport = () => assert.ok(receipt && reference, "this step needs the report sent by the first test, which did not get that far");
    const needCase = () => assert.ok(desk && caseUrl, "this step needs the case the coordinator opened in the second test, which did not get that far");

    before(async () => {
      const env: Record<string, string> = {};
      if (process.env.E2E_RECEIPT_MIN_MS) env.RECEIPT_MIN_MS = process.env.E2E_RECEIPT_MIN_MS;
      // The tests hash with 1 MiB; E2E_ARGON2_MEMORY_KIB=19456 measures with the production default.
      if (process.env.E2E_ARGON2_MEMORY_KIB) env.ARGON2_MEMORY_KIB = process.env.E2E_ARGON2_MEMORY_KIB;
      ({ server, browser } = await startServerAndBrowser(() => startServer(kind, env)));
      const started = performance.now();
      const loaded = JSON.parse(await runCli(server, ["demo", "--json"])) as DemoAccount[];
      console.log(`# ${kind}: demo loaded in ${Math.round(performance.now() - started)} ms`);
      const find = (role: string) => {
        const a = loaded.find((x) => x.organisation === ORG && x.roles.length === 1 && x.roles[0] === role);
        assert.ok(a, `the demo has no ${role} of ${ORG}`);
        return a!;
      };
      accounts = { coordinator: find("coordinator"), investigator: find("investigator"), secretary: find("secretary") };
      if (kind === "sqlite") fs.mkdirSync(SHOTS, { recursive: true });
      fileDir = fs.mkdtempSync(path.join(os.tmpdir(), "intact-e2e-files-"));
      const photo = await photoWithExif();
      // The fixture must carry what the download is checked not to have, or that check proves nothing.
      assert.ok((await sharp(photo).metadata()).exif?.length, "the fixture photo has no EXIF");
      assert.ok(photo.includes("KanarieCam"), "the fixture photo does not name its camera");
      fs.writeFileSync(filePath(PHOTO_NAME), photo);
      fs.writeFileSync(filePath(MAILBOX_PHOTO_NAME), photo);
      fs.writeFileSync(filePath(DISGUISED_NAME), "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n");
    });
    after(async () => {
      await browser?.close();
      await server?.stop();
      if (fileDir) fs.rmSync(fileDir, { recursive: true, force: true });
    });

    test("an anonymous reporter without JavaScript: every question, one error, a photo added and a file refused, back, change an answer, send", { timeout: TEST_TIMEOUT }, async () => {
      const page = await newPage(false);
      const visited: string[] = [];
      page.on("framenavigated", (f) => { if (f === page.mainFrame()) visited.push(f.url()); });

      // ---- the start page
      const res = await page.goto(`${server.base}/melden/${SLUG}`);
      assert.equal(res?.status(), 200);
      assert.equal(await page.getAttribute("html", "lang"), "nl");
      assert.equal(await text(page, "h1"), `Een vermoeden melden bij ${ORG}`);
      const exit = page.getByRole("link", { name: /^Snel weg/ });
      assert.equal(await exit.getAttribute("href"), "https://nos.nl/", "the quick exit is a plain link to a neutral site");
      assert.match((await exit.getAttribute("rel")) ?? "", /noreferrer/);
      assert.ok(await exit.isVisible(), "the quick exit is not visible");
      await a11y(page, "intake start");
      await reflow(page, "intake start");

      // ---- question 1: the category
      await next(page, "Waar gaat uw melding over?", "Start");
      // 11 questions (12 with the optional files step), one less once "anonymous" is chosen.
      const total = Number(/Vraag 1 van (\d+)$/.exec(await text(page, ".intact-caption"))?.[1]);
      assert.ok(total >= 11, `the first question does not say "Vraag 1 van <n>": "${await text(page, ".intact-caption")}"`);
      await a11y(page, "question: category");
      await reflow(page, "question: category");
      await page.getByLabel("Fraude, diefstal of verduistering").check();
      await next(page, "Wat is er gebeurd?");
      assert.match(await text(page, ".intact-caption"), new RegExp(`Vraag 2 van ${total}$`));
      await a11y(page, "question: what");

      // ---- one validation error: nothing typed
      const invalid = await next(page, "Wat is er gebeurd?");
      assert.equal(invalid?.status(), 422);
      const summary = page.locator(".intact-error-summary");
      assert.equal(await summary.count(), 1, "no error summary");
      assert.equal(await summary.getAttribute("role"), "alert");
      assert.equal(await summary.getAttribute("tabindex"), "-1", "the error summary cannot take focus");
      assert.equal(await text(page, "#error-summary-title"), "Er is een probleem");
      await summary.focus();
      assert.equal(await page.evaluate("document.activeElement.classList.contains('intact-error-summary')"), true, "the error summary did not take focus");
      const link = summary.locator("a");
      assert.equal(await link.count(), 1, "one error, one link");
      assert.equal(await link.getAttribute("href"), "#field-description");
      const field = page.locator("#field-description");
      assert.equal(await field.getAttribute("aria-invalid"), "true");
      assert.ok(((await field.getAttribute("aria-describedby")) ?? "").split(" ").includes("field-description-error"), "the field is not described by its error");
      assert.equal(await text(page, "#field-description-error"), (await link.textContent())?.trim(), "the error at the field differs from the summary");
      await link.focus();
      await page.keyboard.press("Enter");
      await page.waitForFunction("location.hash === '#field-description'");
      assert.equal(await page.evaluate("document.activeElement && document.activeElement.id"), "field-description", "the summary's link did not move the focus to the field");
      await a11y(page, "question: what, with an error");
      await reflow(page, "question: what, with an error");

      await field.fill(DESCRIPTION);
      await next(page, "Wanneer is het gebeurd?");
      await a11y(page, "question: when");
      await page.getByLabel(/Weet u de datum niet precies/).fill("Elke vrijdag sinds januari");
      await next(page, "Waar is het gebeurd?");
      await a11y(page, "question: where");
      await page.getByLabel("Plaats of andere omschrijving").fill("Stadskantoor, balie burgerzaken");
      await next(page, "Wie zijn erbij betrokken?");
      await a11y(page, "question: who");
      await page.getByLabel("Namen of functies").fill("Een baliemedewerker");
      await next(page, "Hoe weet u dit?");
      await a11y(page, "question: how");
      await page.getByLabel("Ik heb het zelf gezien of gehoord").check();
      await next(page, "Heeft u dit al eerder gemeld?");
      await a11y(page, "question: before");
      await page.getByLabel("Nee", { exact: true }).check();
      await next(page, "Gaat uw melding over iemand die meldingen behandelt?");
      await a11y(page, "question: handler");
      await page.getByLabel("Nee", { exact: true }).check();
      await next(page, FILES_TITLE);

      // ---- the files step: a phone photo is added and told what was taken out of it; a page named .pdf is refused
      const fileInput = page.locator("#field-file");
      const uploads = page.locator('[data-testid="uploads"] > li');
      await fileInput.setInputFiles(filePath(PHOTO_NAME));
      const added = await next(page, FILES_TITLE, "Bestand toevoegen");
      assert.equal(added?.status(), 200);
      assert.equal(await flash(page), `Het bestand ${PHOTO_NAME} is toegevoegd.`);
      assert.equal(await uploads.count(), 1, "the files step does not list the added photo");
      assert.equal(await text(page, '[data-testid="uploads"] .intact-files__name'), PHOTO_NAME);
      assert.equal(await text(page, '[data-testid="uploads"] .intact-file-facts'), PHOTO_REMOVED, "the files step does not say what was removed");
      assert.equal(await uploads.first().getByRole("button", { name: `Verwijderen ${PHOTO_NAME}` }).count(), 1, "the photo has no remove button naming it");
      await a11y(page, "question: files, a photo added");
      await fileInput.setInputFiles(filePath(DISGUISED_NAME));
      const refused = await next(page, FILES_TITLE, "Bestand toevoegen");
      assert.equal(refused?.status(), 422);
      assert.equal(await text(page, "#field-file-error"), REFUSED_TYPE, "the disguised file is not refused in words at the field");
      assert.equal(await text(page, ".intact-error-summary a"), `Kies een bestand: ${REFUSED_TYPE}`);
      assert.equal(await page.locator(".intact-error-summary a").getAttribute("href"), "#field-file");
      assert.equal(await uploads.count(), 1, "the refusal lost the photo added before");
      assert.ok(!(await text(page, "main")).includes(DISGUISED_NAME), "the refused file is listed");
      await a11y(page, "question: files, a file refused");
      await next(page, "Hoe wilt u bekend zijn?");
      await a11y(page, "question: mode");
      await page.getByLabel("Anoniem", { exact: true }).check();
      // Anonymous: no name and contact, so one question less, and the notice is the last.
      await next(page, "Wilt u een e-mail als er een nieuw bericht is?");
      assert.match(await text(page, ".intact-caption"), new RegExp(`Vraag ${total - 1} van ${total - 1}$`));
      assert.match(await text(page, "main"), /U meldt anoniem/, "the anonymous reporter is not warned about the e-mail address");
      await a11y(page, "question: notice");

      // ---- back once: the answer given is still there
      await next(page, "Hoe wilt u bekend zijn?", "Terug");
      assert.equal(await page.getByLabel("Anoniem", { exact: true }).isChecked(), true, "going back lost the answer");
      await a11y(page, "question: mode, after going back");
      await next(page, "Wilt u een e-mail als er een nieuw bericht is?");
      await next(page, "Controleer uw antwoorden");

      // ---- check your answers, and change one
      const answers = page.locator('[data-testid="answers"]');
      assert.match((await answers.textContent()) ?? "", new RegExp(DESCRIPTION.replace(/[.,]/g, "\\$&")));
      assert.match((await answers.textContent()) ?? "", /Anoniem/);
      assert.match((await answers.textContent()) ?? "", new RegExp(`${PHOTO_NAME} \\(\\d+(,\\d)? (bytes|kB)\\)`), "the check page does not list the photo");
      await a11y(page, "check your answers");
      await reflow(page, "check your answers");
      await next(page, "Wat is er gebeurd?", "Wijzigen Wat er is gebeurd");
      assert.equal(await page.locator("#field-description").inputValue(), DESCRIPTION, "the answer to change is not filled in");
      await a11y(page, "question: what, from the check page");
      await page.locator("#field-description").fill(DESCRIPTION_CHANGED);
      await next(page, "Controleer uw antwoorden");
      const changed = (await answers.textContent()) ?? "";
      assert.ok(changed.includes(DESCRIPTION_CHANGED), "the check page does not show the changed answer");
      assert.match(changed, /Stadskantoor, balie burgerzaken/, "changing one answer lost another");
      assert.ok(changed.includes(PHOTO_NAME), "changing an answer lost the photo");

      // ---- send
      const sendStarted = performance.now();
      const sent = await next(page, "Uw melding is verstuurd", "Melding versturen");
      const sendMs = Math.round(performance.now() - sendStarted);
      assert.equal(sent?.status(), 200);
      receiptGrouped = await text(page, '[data-testid="receipt"]');
      assert.match(receiptGrouped, /^\d{4} \d{4} \d{4} \d{4}$/, `the receipt is not 16 grouped digits: "${receiptGrouped}"`);
      receipt = receiptGrouped.replace(/ /g, "");
      const main = await text(page, "main");
      reference = /kenmerk van uw melding is (\d{4}-\d{4})/.exec(main)?.[1] ?? "";
      assert.ok(reference, "the sent page gives no reference");
      ackDueText = /Uiterlijk op (\d{1,2} \p{L}+ \d{4}) laten wij/u.exec(main)?.[1] ?? "";
      assert.ok(ackDueText, "the sent page gives no acknowledgement date");
      assert.match(main, /uiterlijk op \d{1,2} \p{L}+ \d{4}, hoort u/u, "the sent page gives no feedback date");
      assert.equal(await page.getByRole("link", { name: "Naar uw postbus" }).getAttribute("href"), `/melden/${SLUG}/postbus`);
      await a11y(page, "sent");
      await reflow(page, "sent");
      if (kind === "sqlite") await page.screenshot({ path: `${SHOTS}/intake-sent.png`, fullPage: true });
      console.log(`# ${kind}: "Melding versturen" click to the sent page: ${sendMs} ms (ARGON2_MEMORY_KIB=${process.env.E2E_ARGON2_MEMORY_KIB ?? "1024"})`);

      // ---- the receipt was never in an address, and nothing went to another origin
      const forms = [receipt, receiptGrouped, encodeURIComponent(receiptGrouped), receiptGrouped.replace(/ /g, "+")];
      const urls = [...visited, ...recorderOf.get(page)!.urls];
      assert.deepEqual(urls.filter((u) => forms.some((f) => u.includes(f))), [], "the receipt appeared in an address");
      recorderOf.get(page)!.assertSameOrigin();
      await page.context().close();
    });

    test("the coordinator signs in, finds the report with its clock, downloads the photo without EXIF, acknowledges it and asks a question", { timeout: TEST_TIMEOUT }, async () => {
      needReport();
      desk = await newPage(true);
      await signIn(desk, server.base, accounts.coordinator);
      await desk.goto(server.base + "/meldingen");
      assert.equal(await text(desk, "h1"), "Meldingen");
      const row = desk.locator("main table tbody tr", { hasText: reference });
      assert.equal(await row.count(), 1, `the inbox does not list ${reference}`);
      const clock = ((await row.locator(".intact-clock").textContent()) ?? "").trim();
      assert.match(clock, /ontvangst bevestigen uiterlijk/i, `the inbox row shows no acknowledgement deadline: "${clock}"`);
      assert.ok(clock.includes(ackDueText), `the inbox clock "${clock}" does not name the date the reporter was given (${ackDueText})`);
      assert.match((await row.textContent()) ?? "", /Ontvangen/);
      await a11y(desk, "inbox");

      await navigate(desk, () => row.getByRole("link", { name: reference }).click());
      caseUrl = desk.url();
      assert.match(caseUrl, /\/meldingen\/[^/]+$/);
      assert.equal(await text(desk, "h1"), `Melding ${reference}`);
      assert.ok((await text(desk, "#inhoud")).includes(DESCRIPTION_CHANGED), "the case does not show what the reporter wrote");
      assert.match(await text(desk, "#melder"), /Anoniem/);
      assert.ok((await summaryValue(desk, "Ontvangstbevestiging")).includes(ackDueText));
      await a11y(desk, "case (received)");
      if (kind === "sqlite") await desk.screenshot({ path: `${SHOTS}/case.png`, fullPage: true });

      // ---- the reporter's photo: listed with what was removed, downloaded through the browser without EXIF
      const file = desk.locator("#bijlagen tbody tr", { hasText: PHOTO_NAME });
      assert.equal(await file.count(), 1, "the case page does not list the reporter's photo");
      const fileRow = (await file.innerText()).replace(/\s+/g, " ");
      assert.match(fileRow, /Afbeelding .* Melder /, `the case page does not list the photo as an image from the reporter: "${fileRow}"`);
      assert.ok(fileRow.includes(PHOTO_REMOVED), `the case page does not say what was removed from the photo: "${fileRow}"`);
      const fileLink = file.getByRole("link", { name: `${PHOTO_NAME} (downloaden)` });
      const href = (await fileLink.getAttribute("href")) ?? "";
      assert.match(href, new RegExp(`^${new URL(caseUrl).pathname}/bijlagen/[^/]+$`), `the download link is not under the case: "${href}"`);
      const [download] = await Promise.all([desk.waitForEvent("download"), fileLink.click()]);
      assert.equal(download.suggestedFilename(), PHOTO_NAME);
      const downloaded = fs.readFileSync(await download.path());
      assert.deepEqual([...downloaded.subarray(0, 3)], [0xff, 0xd8, 0xff], "the download is not a JPEG");
      const meta = await sharp(downloaded).metadata();
      assert.equal(meta.format, "jpeg");
      assert.deepEqual([meta.width, meta.height], [80, 40]);
      assert.equal(meta.exif, undefined, "the downloaded photo still has EXIF");
      assert.ok(!downloaded.includes("KanarieCam") && !downloaded.includes("Jan Melder"), "the downloaded photo still names its camera or maker");
      const served = await desk.request.get(server.base + href);
      assert.equal(served.status(), 200);
      const headers = served.headers();
      assert.match(headers["content-disposition"] ?? "", /^attachment;/);
      assert.equal(headers["content-type"], "image/jpeg");
      assert.equal(headers["x-content-type-options"], "nosniff");
      assert.equal(headers["cache-control"], "no-store");
      assert.ok((await served.body()).equals(downloaded), "the address serves other bytes than the browser downloaded");

      // Acknowledge, with a personal line.
      await desk.getByLabel("Persoonlijke tekst onder de standaardbevestiging").fill(ACK_LINE);
      await navigate(desk, () => desk!.getByRole("button", { name: "Ontvangst bevestigen" }).click());
      assert.equal(desk.url(), caseUrl);
      assert.match(await flash(desk), /De ontvangst is bevestigd/);
      assert.equal(await summaryValue(desk, "Status"), "Ontvangst bevestigd");
      const feedbackClock = await summaryValue(desk, "Terugkoppeling");
      feedbackDueText = /uiterlijk (\d{1,2} \p{L}+ \d{4})/u.exec(feedbackClock)?.[1] ?? "";
      assert.ok(feedbackDueText, `the feedback deadline has no date after the acknowledgement: "${feedbackClock}"`);
      assert.ok((await text(desk, "#tijdlijn")).includes(ACK_LINE), "the timeline does not show the acknowledgement");
      await a11y(desk, "case (acknowledged)");

      // Ask the reporter a question.
      await desk.locator("#field-message-body").fill(QUESTION);
      await navigate(desk, () => desk!.locator("#bericht").getByRole("button", { name: "Bericht versturen" }).click());
      assert.match(await flash(desk), /Het bericht is verstuurd/);
      assert.ok((await text(desk, "#tijdlijn")).includes(QUESTION));
      await a11y(desk, "case (question sent)");
    });

    test("the reporter without JavaScript opens the mailbox with the spaced receipt, reads and answers, sends a file, signs out", { timeout: TEST_TIMEOUT }, async () => {
      needReport();
      assert.ok(feedbackDueText, "this step needs the acknowledgement and question of the second test, which did not get that far");
      const page = await newPage(false);
      await page.goto(`${server.base}/melden/${SLUG}/postbus`);
      assert.equal(await text(page, "h1"), "Uw postbus");
      await a11y(page, "mailbox sign-in");
      await reflow(page, "mailbox sign-in");
      await page.getByLabel("Meldingscode").fill(receiptGrouped);
      const started = performance.now();
      const res = await navigate(page, () => page.getByRole("button", { name: "Postbus openen" }).click());
      const receiptMs = Math.round(performance.now() - started);
      assert.equal(res?.status(), 200);
      assert.equal(page.url(), `${server.base}/melden/${SLUG}/postbus/berichten`, "the mailbox is not at its fixed address");
      assert.equal(await text(page, "h1"), `Uw melding ${reference}`);
      console.log(`# ${kind}: receipt submit to the mailbox page: ${receiptMs} ms (RECEIPT_MIN_MS=${process.env.E2E_RECEIPT_MIN_MS ?? "500, the default"}, `
        + `ARGON2_MEMORY_KIB=${process.env.E2E_ARGON2_MEMORY_KIB ?? "1024"})`);

      const status = await text(page, '[data-testid="mailbox-status"]');
      assert.match(status, /^Ontvangst bevestigd\./, `the status is not in words: "${status}"`);
      assert.ok(status.includes(`Uiterlijk op ${feedbackDueText} hoort u`), `the status does not give the feedback date ${feedbackDueText}: "${status}"`);
      const messages = page.locator('[data-testid="messages"] > li');
      /** A message as read: its text with the line breaks of the layout, whitespace folded. */
      const message = async (n: number) => (await messages.nth(n).innerText()).replace(/\s+/g, " ");
      assert.equal(await messages.count(), 3, "the mailbox should hold the photo sent with the report, the acknowledgement and the question");
      const sentPhoto = await message(0);
      assert.ok(sentPhoto.includes(`U stuurde een bestand: ${PHOTO_NAME} (`), `the mailbox does not show the photo sent with the report: "${sentPhoto}"`);
      assert.ok(sentPhoto.includes(PHOTO_REMOVED), `the mailbox does not say what was removed from the photo: "${sentPhoto}"`);
      const ack = (await messages.nth(1).textContent()) ?? "";
      assert.match(ack, /Bevestiging van ontvangst/);
      assert.ok(ack.includes(`Uiterlijk op ${feedbackDueText} laten wij u weten`), `the acknowledgement does not write out the feedback date: "${ack}"`);
      assert.ok(ack.includes(ACK_LINE), "the personal line is missing from the acknowledgement");
      assert.ok(((await messages.nth(2).textContent()) ?? "").includes(QUESTION), "the question is not in the mailbox");
      await a11y(page, "mailbox");
      await reflow(page, "mailbox");
      if (kind === "sqlite") await page.screenshot({ path: `${SHOTS}/mailbox.png`, fullPage: true });

      await page.getByLabel("Uw bericht").fill(ANSWER);
      await navigate(page, () => page.getByRole("button", { name: "Bericht versturen" }).click());
      assert.equal(page.url(), `${server.base}/melden/${SLUG}/postbus/berichten`);
      assert.match(await flash(page), /Uw bericht is verstuurd/);
      assert.equal(await messages.count(), 4);
      assert.ok(((await messages.nth(3).textContent()) ?? "").includes(ANSWER), "the answer is not in the mailbox");

      // One more photo, straight to the case: shown as a message of its own, with what was removed.
      await page.locator("#field-file").setInputFiles(filePath(MAILBOX_PHOTO_NAME));
      await navigate(page, () => page.getByRole("button", { name: "Bestand versturen" }).click());
      assert.equal(page.url(), `${server.base}/melden/${SLUG}/postbus/berichten`);
      assert.match(await flash(page), /Uw bestand is verstuurd/);
      assert.equal(await messages.count(), 5);
      const sentFile = await message(4);
      assert.ok(sentFile.includes(`U stuurde een bestand: ${MAILBOX_PHOTO_NAME} (`), `the mailbox does not show the file sent: "${sentFile}"`);
      assert.ok(sentFile.includes(PHOTO_REMOVED), `the mailbox does not say what was removed: "${sentFile}"`);
      await a11y(page, "mailbox after answering and sending a file");

      await navigate(page, () => page.getByRole("button", { name: "Afsluiten" }).click());
      assert.equal(page.url(), `${server.base}/melden/${SLUG}`);
      assert.match(await flash(page), /Uw postbus is afgesloten/);
      await a11y(page, "start page after signing out of the mailbox");
      // Signed out means the messages are gone from this browser.
      await page.goto(`${server.base}/melden/${SLUG}/postbus/berichten`);
      assert.equal(await text(page, "h1"), "Uw postbus", "after signing out the mailbox still opens");
      assert.deepEqual(recorderOf.get(page)!.urls.filter((u) => u.includes(receipt) || u.includes(encodeURIComponent(receiptGrouped))), []);
      recorderOf.get(page)!.assertSameOrigin();
      await page.context().close();
    });

    test("the case to the end: assessment, the secretary's approval, the investigator, findings, measures, feedback, closed", { timeout: TEST_TIMEOUT }, async () => {
      needCase();
      const d = desk!;
      await d.goto(caseUrl);
      assert.ok((await text(d, "#tijdlijn")).includes(ANSWER), "the reporter's answer is not on the timeline");
      assert.equal(await d.locator("#bijlagen tbody tr", { hasText: MAILBOX_PHOTO_NAME }).count(), 1, "the file sent from the mailbox is not on the case");
      await navigate(d, () => d.getByRole("button", { name: "Vooronderzoek starten" }).click());
      assert.equal(await summaryValue(d, "Status"), "Vooronderzoek");
      await a11y(d, "case (assessment)");
      await d.getByLabel("Wie doet het onderzoek?").selectOption({ label: "Intern onderzoeksbureau" });
      await navigate(d, () => d.getByRole("button", { name: "Besluiten: formeel onderzoek" }).click());
      assert.equal(await summaryValue(d, "Status"), "Wacht op toestemming voor onderzoek");
      await a11y(d, "case (awaiting approval)");

      // ---- the secretary approves, and cannot read the case
      const sec = await newPage(true);
      await signIn(sec, server.base, accounts.secretary);
      await sec.goto(server.base + "/goedkeuringen");
      assert.equal(await text(sec, "h1"), "Goedkeuring onderzoeken");
      const request = sec.locator("section", { has: sec.locator("h2", { hasText: `Besluit over melding ${reference}` }) });
      assert.equal(await request.count(), 1, `the secretary is not asked to approve ${reference}`);
      assert.ok(!(await sec.content()).includes("contant geld"), "the approvals page shows the content of the report");
      await a11y(sec, "approvals");
      await request.getByLabel("Ja, ik geef toestemming").check();
      await navigate(sec, () => request.getByRole("button", { name: "Besluit vastleggen" }).click());
      assert.match(await flash(sec), /Uw toestemming is vastgelegd/);
      await a11y(sec, "approvals (none waiting)");
      const peek = await sec.goto(caseUrl);
      // The matrix (test/matrix/matrix.json) answers 403 at the route for a role without report.list; a 404 would do as well.
      assert.ok([403, 404].includes(peek?.status() ?? 0), `the secretary opened the case page: ${peek?.status()}`);
      assert.ok(!(await sec.content()).includes("contant geld"), "the secretary's error page shows the content");
      await a11y(sec, "case page refused to the secretary");

      // ---- the coordinator assigns the investigator
      await d.goto(caseUrl);
      assert.equal(await summaryValue(d, "Status"), "In onderzoek");
      const investigator = d.getByLabel("Onderzoeker", { exact: true });
      const options = (await investigator.locator("option").allTextContents()).filter((o) => o !== "Niemand");
      assert.equal(options.length, 1, `expected the one demo investigator to choose from, got ${JSON.stringify(options)}`);
      await investigator.selectOption({ label: options[0]! });
      await navigate(d, () => d.getByRole("button", { name: "Toewijzing opslaan" }).click());
      assert.match(await flash(d), /De toewijzing is opgeslagen/);
      assert.equal(await summaryValue(d, "Onderzoeker"), options[0]);

      // ---- the investigator finds it under /onderzoeken, without the reporter's identity
      const inv = await newPage(true);
      await signIn(inv, server.base, accounts.investigator);
      await inv.goto(server.base + "/onderzoeken");
      assert.equal(await text(inv, "h1"), "Mijn onderzoeken");
      await a11y(inv, "my investigations");
      const mine = inv.locator("main table tbody tr", { hasText: reference });
      assert.equal(await mine.count(), 1, `the investigator's list does not show ${reference}`);
      await navigate(inv, () => mine.getByRole("link", { name: reference }).click());
      assert.match(inv.url(), /\/onderzoeken\/[^/]+$/);
      assert.ok((await text(inv, "#inhoud")).includes(DESCRIPTION_CHANGED), "the investigator does not see what was reported");
      assert.equal(await inv.locator("#melder .intact-identity").count(), 0, "the investigator sees the reporter's identity");
      assert.equal(await inv.locator("#stap, #bericht").count(), 0, "the investigator gets the desk's steps or the message form");
      assert.equal((await inv.goto(caseUrl))?.status(), 403, "the investigator can open the desk's address of the case");
      await inv.goBack();
      await a11y(inv, "case for the investigator");

      // ---- findings (one substantiated), measures, feedback, closed
      await d.goto(caseUrl);
      await d.locator("#field-findings-0-allegation").fill(ALLEGATION);
      await d.locator("#field-findings-0-finding").selectOption({ label: "Gegrond" });
      await navigate(d, () => d.getByRole("button", { name: "Bevindingen vastleggen" }).click());
      assert.equal(await summaryValue(d, "Status"), "Besluit over maatregelen");
      assert.match(await text(d, "#tijdlijn"), new RegExp(`${ALLEGATION}: Gegrond`));
      await a11y(d, "case (measures)");
      await d.getByLabel("Gesprek", { exact: true }).check();
      await d.getByLabel("Waarschuwing", { exact: true }).check();
      await navigate(d, () => d.getByRole("button", { name: "Maatregelen vastleggen" }).click());
      assert.equal(await summaryValue(d, "Status"), "Terugkoppelen en afsluiten");
      assert.match(await text(d, "#tijdlijn"), /Gesprek, Waarschuwing/);

      await d.locator("#field-message-body").fill(FEEDBACK);
      await d.getByLabel("Dit is de terugkoppeling over de beoordeling en het vervolg").check();
      await navigate(d, () => d.locator("#bericht").getByRole("button", { name: "Bericht versturen" }).click());
      assert.match(await flash(d), /De terugkoppeling is verstuurd/);
      assert.match(await summaryValue(d, "Terugkoppeling"), /Teruggekoppeld op/);
      await a11y(d, "case (feedback given)");
      await navigate(d, () => d.getByRole("button", { name: "Melding afsluiten" }).click());
      assert.match(await flash(d), /De melding is afgesloten/);
      assert.match(await summaryValue(d, "Status"), /^Afgesloten/);
      await a11y(d, "case (closed)");

      // ---- the reporter's mailbox: closed, in words, and no reply form
      const rep = await newPage(false);
      await rep.goto(`${server.base}/melden/${SLUG}/postbus`);
      await rep.getByLabel("Meldingscode").fill(receipt);
      await navigate(rep, () => rep.getByRole("button", { name: "Postbus openen" }).click());
      assert.equal(await text(rep, "h1"), `Uw melding ${reference}`);
      const status = await text(rep, '[data-testid="mailbox-status"]');
      assert.match(status, /^Afgesloten\. De behandeling van uw melding is klaar\.$/, `the closed status is not in words: "${status}"`);
      assert.equal(await rep.locator('textarea[name="body"]').count(), 0, "a closed case still has a reply form");
      assert.match(await text(rep, "main"), /U kunt geen berichten meer sturen/);
      const last = (await rep.locator('[data-testid="messages"] > li').last().textContent()) ?? "";
      assert.ok(last.includes(FEEDBACK) && last.includes("Terugkoppeling"), "the feedback is not the last message, marked as such");
      await a11y(rep, "mailbox (closed)");
      for (const r of recorders) r.assertSameOrigin();
      await Promise.all([sec, inv, rep].map((p) => p.context().close()));
    });

    test("keyboard: the skip link, Tab through the form controls in order, focus always visible", { timeout: TEST_TIMEOUT, skip: pageOnly }, async () => {
      // An intake question with two text fields.
      const page = await newPage(false);
      await page.goto(`${server.base}/melden/${SLUG}`);
      await next(page, "Waar gaat uw melding over?", "Start");
      const radios = await formControls(page);
      assert.deepEqual(radios.slice(0, 1), ["field-categoryId"], "the category radios are not the first stop");
      await tabThrough(page, "question: category", radios);
      await page.getByLabel("Pesten").check();
      await next(page, "Wat is er gebeurd?");
      await page.locator("#field-description").fill("Toetsenbordtest");
      await next(page, "Wanneer is het gebeurd?");
      const controls = await formControls(page);
      assert.deepEqual(controls.slice(0, 2), ["field-occurredOn", "field-occurredWhen"]);
      await tabThrough(page, "question: when", controls);
      // Typing by keyboard and Enter goes forward ("Volgende" is the form's first button).
      await page.locator("#field-occurredWhen").focus();
      await page.keyboard.type("vorige week");
      await navigate(page, () => page.keyboard.press("Enter"));
      assert.equal(await text(page, "h1"), "Waar is het gebeurd?");

      // The case page, as the coordinator.
      needCase();
      await desk!.goto(caseUrl);
      const caseControls = await formControls(desk!);
      assert.ok(caseControls.length >= 5, `the case page has too few form controls: ${caseControls.join(", ")}`);
      await tabThrough(desk!, "case page", caseControls);
      recorderOf.get(page)!.assertSameOrigin();
      recorderOf.get(desk!)!.assertSameOrigin();
      await page.context().close();
    });

    test("the intake in English: the language switch on the start page", { timeout: TEST_TIMEOUT, skip: pageOnly }, async () => {
      const page = await newPage(false);
      await page.goto(`${server.base}/melden/${SLUG}`);
      const english = page.getByRole("button", { name: "English" });
      assert.equal(await english.getAttribute("lang"), "en", "the switch's English name is not marked as English");
      await navigate(page, () => english.click());
      assert.equal(await page.getAttribute("html", "lang"), "en");
      assert.equal(page.url(), `${server.base}/melden/${SLUG}`);
      assert.equal(await text(page, "h1"), `Report a concern to ${ORG}`);
      assert.ok(await page.getByRole("link", { name: /^Leave quickly/ }).isVisible());
      await a11y(page, "intake start (English)");
      await next(page, "What is your report about?", "Start");
      assert.match(await text(page, ".intact-caption"), /Question 1 of \d+$/);
      assert.match(await text(page, "main"), /Fraud, theft or embezzlement/);
      await a11y(page, "question: category (English)");
      await page.getByLabel("Bullying").check();
      await next(page, "What happened?", "Next");
      await a11y(page, "question: what (English)");
      // And back to Dutch on a question page, without losing the answers so far.
      await page.locator("#field-description").fill("Language test");
      await navigate(page, () => page.getByRole("button", { name: "Nederlands" }).click());
      assert.equal(await page.getAttribute("html", "lang"), "nl");
      assert.equal(await text(page, "h1"), "Wat is er gebeurd?");
      await next(page, "Waar gaat uw melding over?", "Terug");
      assert.equal(await page.getByLabel("Pesten").isChecked(), true, "switching the language lost the answer");
      recorderOf.get(page)!.assertSameOrigin();
      await page.context().close();
    });
  });
}
