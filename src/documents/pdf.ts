import fs from "node:fs";

// Documents become PDF through headless Chromium (ARCHITECTURE.md §6): the same HTML as the print view,
// printed as a tagged PDF with an outline, which is what published and archived documents need. The
// page gets the HTML directly (setContent) with JavaScript off and every network request refused, so
// a document can never fetch anything.

const ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export function chromiumAvailable(path: string): boolean {
  try { fs.accessSync(path, fs.constants.X_OK); return true; } catch { return false; }
}

export async function htmlToPdf(html: string, chromiumPath: string): Promise<Buffer> {
  // Loaded on the first PDF, not at start-up: playwright-core alone is about 90 MB of memory and half a second of
  // start-up, for something most instances do a few times a year (docs/performance.md, memory).
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ARGS });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    await context.route("**/*", (route) => (route.request().url().startsWith("data:") ? route.continue() : route.abort()));
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: "load" });
    return await page.pdf({
      format: "A4", printBackground: true, tagged: true, outline: true, displayHeaderFooter: false,
      margin: { top: "20mm", bottom: "20mm", left: "18mm", right: "18mm" },
    });
  } finally {
    await browser.close();
  }
}
