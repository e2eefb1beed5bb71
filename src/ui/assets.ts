import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

export type Asset = { body: Buffer; type: string; etag: string };

/** Builds the stylesheet (NL Design System CSS and tokens, Noto Sans, our own rules) and the font
 *  files once at start-up, all served from this origin: no page loads anything from elsewhere. */
export function loadAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const add = (name: string, body: Buffer, type: string) =>
    assets.set(name, { body, type, etag: `"${crypto.createHash("sha256").update(body).digest("base64url").slice(0, 16)}"` });

  const fontDir = path.dirname(require.resolve("@fontsource-variable/noto-sans/package.json"));
  const fontCss = fs.readFileSync(path.join(fontDir, "wght.css"), "utf8")
    .replace(/url\(\.\/files\/([^)]+)\)/g, (_m, f: string) => `url(/assets/fonts/${f})`);
  for (const f of fs.readdirSync(path.join(fontDir, "files"))) {
    if (/^noto-sans-(latin|latin-ext)-wght-(normal|italic)\.woff2$/.test(f)) add(`fonts/${f}`, fs.readFileSync(path.join(fontDir, "files", f)), "font/woff2");
  }
  // Keep only the Latin ranges we ship, so the browser never asks for a file we do not serve.
  const keptFontCss = fontCss.split("@font-face").filter((block) => /noto-sans-(latin|latin-ext)-wght-(normal|italic)\.woff2/.test(block))
    .map((block) => "@font-face" + block).join("\n");

  const css = [
    fs.readFileSync(require.resolve("@utrecht/design-tokens/dist/index.css"), "utf8"),
    fs.readFileSync(require.resolve("@utrecht/component-library-css/dist/index.css"), "utf8"),
    keptFontCss,
    fs.readFileSync(path.join(here, "static", "intact.css"), "utf8"),
  ].join("\n");
  add("intact.css", Buffer.from(css, "utf8"), "text/css; charset=utf-8");
  add("print.css", fs.readFileSync(path.join(here, "..", "documents", "print.css")), "text/css; charset=utf-8");
  return assets;
}
