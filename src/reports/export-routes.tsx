import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Context } from "../context.ts";
import { chromiumAvailable, htmlToPdf } from "../documents/pdf.ts";
import { translator } from "../ui/messages.ts";
import { caseFile } from "./export.ts";
import { caseFileHtml } from "./views/case-file.tsx";

const printCss = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "documents", "print.css"), "utf8");

type Params = { id: string };
const wantsIdentity = (req: FastifyRequest) => (req.query as Record<string, unknown>).identiteit === "1";

/** The case file (dossier) of a case: a print view and a tagged PDF, for coordinators and the assigned investigator. */
export function exportRoutes(app: FastifyInstance, ctx: Context) {
  for (const base of ["/meldingen", "/onderzoeken"] as const) {
    const access = { permission: base === "/meldingen" ? "report.list" as const : "report.investigate" as const };

    app.get(`${base}/:id/dossier`, { config: { access } }, async (req, reply) => {
      const id = (req.params as Params).id;
      const file = await caseFile(ctx, req.actor!, id, { includeIdentity: wantsIdentity(req), format: "html" });
      const t = translator(req.locale);
      const accountNames = new Map(Object.entries(file.view.names));
      const pdfHref = `${base}/${id}/dossier.pdf${file.includeIdentity ? "?identiteit=1" : ""}`;
      const actions = (
        <div className="doc-actions">
          <p><a href={`${base}/${id}`}>{t("caseFile.back")}</a></p>
          {chromiumAvailable(ctx.config.chromiumPath) ? <p><a href={pdfHref}>{t("caseFile.downloadPdf")}</a></p> : <p>{t("caseFile.noChromium")}</p>}
          {file.view.identity ? (
            <form method="get" action={`${base}/${id}/dossier`}>
              <p>
                <input type="checkbox" id="identiteit" name="identiteit" value="1" defaultChecked={file.includeIdentity} />{" "}
                <label htmlFor="identiteit">{t("caseFile.includeIdentity")}</label>{" "}
                <button type="submit">{t("caseFile.apply")}</button>
              </p>
            </form>
          ) : null}
        </div>
      );
      return reply.type("text/html; charset=utf-8").send(caseFileHtml({ file, t, locale: req.locale, accountNames }, { actions }));
    });

    app.get(`${base}/:id/dossier.pdf`, { config: { access } }, async (req, reply) => {
      const id = (req.params as Params).id;
      const t = translator(req.locale);
      if (!chromiumAvailable(ctx.config.chromiumPath)) {
        return reply.code(503).type("text/plain; charset=utf-8").send(t("caseFile.noChromium"));
      }
      const file = await caseFile(ctx, req.actor!, id, { includeIdentity: wantsIdentity(req), format: "pdf" });
      const accountNames = new Map(Object.entries(file.view.names));
      const pdf = await htmlToPdf(caseFileHtml({ file, t, locale: req.locale, accountNames }, { style: printCss }), ctx.config.chromiumPath);
      return reply.type("application/pdf")
        .header("Content-Disposition", `attachment; filename="melding-${file.view.report.reference}.pdf"`)
        .send(pdf);
    });
  }
}
