import type { ReactElement } from "react";
import { renderToString } from "react-dom/server";
import { PageCtx, type PageContext } from "./context.tsx";

/** Server-side render of a whole document. No client framework: the page is complete HTML. */
export function renderDocument(ctx: PageContext, title: string, body: ReactElement): string {
  const html = renderToString(<PageCtx.Provider value={ctx}>{body}</PageCtx.Provider>);
  const fullTitle = `${title} — ${ctx.t("app.name")}`;
  return "<!DOCTYPE html>" +
    `<html lang="${ctx.locale}" class="utrecht-theme"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="referrer" content="no-referrer">` +
    `<title>${escapeHtml(fullTitle)}</title>` +
    `<link rel="stylesheet" href="/assets/intact.css">` +
    `</head><body class="utrecht-document utrecht-document--surface">${html}</body></html>`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
