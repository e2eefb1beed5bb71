// Chromium (the Debian package, never a downloaded one) through playwright-core, axe-core for the
// accessibility checks, and a guard that no page asks anything of another origin (SECURITY.md).
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import type { TestServer } from "./server.ts";
import { nextTotp } from "./totp.ts";

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/** One browser per test file; playwright gives it a fresh temporary profile. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

type AxeNode = { target: unknown[]; failureSummary?: string };
type AxeViolation = { id: string; impact: string | null; help: string; helpUrl: string; nodes: AxeNode[] };

/** Runs axe (WCAG 2.0/2.1 A and AA) on the page and fails with a readable list on ANY violation. */
export async function checkA11y(page: Page, label: string): Promise<void> {
  // The page's CSP (script-src 'self') blocks inline script tags, but page.evaluate runs through
  // the DevTools protocol, which CSP does not govern: no bypassCSP needed.
  const hasAxe = await page.evaluate("typeof window.axe === 'object'");
  if (!hasAxe) await page.evaluate(axeSource);
  // axe.run waits on timers, which never fire in a context with javaScriptEnabled: false: fail with a
  // pointer to checkA11yNoScript instead of hanging until the test times out.
  let timer: NodeJS.Timeout | undefined;
  const violations = (await Promise.race([
    page.evaluate(`axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      resultTypes: ["violations"],
    }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))`),
    new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(
      `axe did not finish on "${label}" within 30 s (JavaScript disabled in this context? use checkA11yNoScript)`)), 30_000); }),
  ]).finally(() => clearTimeout(timer))) as AxeViolation[];
  if (!violations.length) return;
  const lines = violations.map((v) =>
    `- ${v.id} (${v.impact ?? "?"}): ${v.help}\n` +
    v.nodes.map((n) => `    at ${n.target.map(String).join(" > ")}${n.failureSummary ? `\n      ${n.failureSummary.replace(/\n/g, "\n      ")}` : ""}`).join("\n"));
  assert.fail(`axe found ${violations.length} accessibility violation(s) on "${label}" (${page.url()}):\n${lines.join("\n")}`);
}

type Twin = { page: Page; html: string | null };
const twins = new WeakMap<Browser, Promise<Twin>>();

/** checkA11y for a page in a context with JavaScript disabled, where axe cannot run (it waits on timers,
 *  which never fire there): the same markup is served at the same address to one reused page of a
 *  scripted context and checked there. Stylesheet and fonts still come from the server, so contrast is
 *  judged on the real CSS. */
export async function checkA11yNoScript(page: Page, label: string): Promise<void> {
  const browser = page.context().browser();
  assert.ok(browser, "checkA11yNoScript needs a page of a launched browser");
  let made = twins.get(browser!);
  if (!made) {
    made = (async () => {
      const context = await browser!.newContext();
      const twin: Twin = { page: await context.newPage(), html: null };
      await twin.page.route("**/*", (route) => {
        const html = twin.html;
        if (html === null || !route.request().isNavigationRequest()) return route.continue();
        twin.html = null;
        return route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html });
      });
      return twin;
    })();
    twins.set(browser!, made);
  }
  const twin = await made;
  twin.html = await page.content();
  await twin.page.setViewportSize(page.viewportSize() ?? { width: 1280, height: 720 });
  await twin.page.goto(page.url().replace(/#.*$/, ""));
  await checkA11y(twin.page, label);
}

/** Records every URL the pages of a context request; assertSameOrigin() fails if any left `base`. */
export function recordRequests(context: BrowserContext, base: string) {
  const origin = new URL(base).origin;
  const urls: string[] = [];
  context.on("request", (req) => { urls.push(req.url()); });
  return {
    urls,
    assertSameOrigin() {
      assert.ok(urls.length > 0, "no requests were recorded");
      const foreign = urls.filter((u) => {
        if (u.startsWith("data:") || u.startsWith("about:") || u.startsWith("blob:")) return false;
        return new URL(u).origin !== origin;
      });
      assert.deepEqual(foreign, [], `requests to another origin than ${origin}`);
    },
  };
}

/** Reads the text of an element, trimmed. */
export async function text(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? "").trim();
}

/** WCAG 1.4.10 reflow: at 320 CSS pixels wide the page needs no horizontal scrolling (wide tables
 *  scroll inside their own wrapper). Restores the viewport afterwards. */
export async function checkReflow(page: Page, label: string): Promise<void> {
  const before = page.viewportSize() ?? { width: 1280, height: 720 };
  await page.setViewportSize({ width: 320, height: 640 });
  try {
    const width = (await page.evaluate("document.documentElement.scrollWidth")) as number;
    if (width <= 320) return;
    // Name the culprits: the innermost elements that reach past the right edge.
    const wide = (await page.evaluate(`[...document.body.querySelectorAll("*")]
      .filter((el) => el.getBoundingClientRect().right > 320.5 && ![...el.children].some((c) => c.getBoundingClientRect().right > 320.5))
      .slice(0, 5).map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "")
        + " (right edge " + Math.round(el.getBoundingClientRect().right) + " px)")`)) as string[];
    assert.fail(`"${label}" needs horizontal scrolling at 320 px (content is ${width} px wide): ${wide.join("; ")}`);
  } finally {
    await page.setViewportSize(before);
  }
}

export type Admin = { org: string; name: string; email: string; password: string };

/** Creates the instance through the printed setup link and enrols TOTP; ends on the home page.
 *  Returns the TOTP secret. (first-run.test.ts walks the same path step by step, with more checks.) */
export async function setUpInstance(page: Page, setupUrl: string, base: string, admin: Admin, totp: (secret: string) => Promise<string> | string): Promise<string> {
  await page.goto(setupUrl);
  await page.getByLabel("Naam van de organisatie").fill(admin.org);
  await page.getByLabel("Uw naam").fill(admin.name);
  await page.getByLabel("Uw e-mailadres").fill(admin.email);
  await page.getByLabel("Kies een wachtwoord").fill(admin.password);
  await page.getByRole("button", { name: "Organisatie en account aanmaken" }).click();
  await page.waitForURL(base + "/account/tweestaps");
  const secret = (await text(page, '[data-testid="totp-secret"]')).replace(/\s+/g, "");
  await page.getByLabel("Code van 6 cijfers").fill(await totp(secret));
  await page.getByRole("button", { name: "Controleren" }).click();
  await page.waitForURL(base + "/");
  return secret;
}

/** The real server and a browser, started together. Settled, not Promise.all: when one of the two fails, the other is
 *  still stopped before the error is passed on (a leaked Chromium keeps the test process, and so the whole run, from ending). */
export async function startServerAndBrowser(start: () => Promise<TestServer>): Promise<{ server: TestServer; browser: Browser }> {
  const [s, b] = await Promise.allSettled([start(), launchBrowser()]);
  if (s.status === "fulfilled" && b.status === "fulfilled") return { server: s.value, browser: b.value };
  if (s.status === "fulfilled") await s.value.stop();
  if (b.status === "fulfilled") await b.value.close();
  throw (s.status === "rejected" ? s.reason : (b as PromiseRejectedResult).reason);
}

/** Password and TOTP through the real sign-in pages, typed and sent with Enter (no mouse); ends on the home page. */
export async function signInByKeyboard(page: Page, base: string, account: { email: string; password: string; totpSecret: string },
  timeout = 20_000): Promise<void> {
  await page.goto(base + "/inloggen");
  await page.getByLabel("E-mailadres").fill(account.email);
  await page.getByLabel("Wachtwoord").fill(account.password);
  await Promise.all([page.waitForURL(/\/inloggen\/code/, { timeout }), page.keyboard.press("Enter")]);
  await page.getByLabel("Code van 6 cijfers").fill(await nextTotp(account.totpSecret));
  await Promise.all([page.waitForURL(base + "/", { timeout }), page.keyboard.press("Enter")]);
}
