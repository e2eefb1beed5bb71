import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../context.ts";
import { chromiumAvailable, htmlToPdf } from "../documents/pdf.ts";
import { Invalid, type FieldErrors } from "../http/errors.ts";
import { redirectWithFlash, sendPage } from "../http/pages.ts";
import { formStrings } from "../http/validation.ts";
import { translator } from "../ui/messages.ts";
import { currentYear, MIN_YEAR, NotPublished, publishReport, reportFor, reportScopes, saveReportTexts, type ReportScopeInput, type YearlyReport } from "./report.ts";
import { reportCsv } from "./report-export.ts";
import {
  pendingDocumentHtml, pendingMessage, REPORT_PATH, ReportPage, reportDocumentHtml, reportQuery, reportTitle, type PendingReport,
} from "./views/report.tsx";

// The yearly advisors' report: the page, its print view (HTML), PDF, DOCX and CSV. Reading needs
// advisorStats.view (advisor, coordinator, secretary, auditor); the service checks the scope (404 outside
// it) and decides what the reader gets: the scope's advisors the live draft, everyone else the published
// report (reportFor). A year not published yet: the page says so (200, with the choice of scope and year);
// every download answers 404 with the same sentence. Writing the interpretation and recommendations and
// publishing the report need advisorContact.create: advisors only.

const printCss = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "documents", "print.css"), "utf8");
const VIEW = { config: { access: { permission: "advisorStats.view" as const } } };
const WRITE = { config: { access: { permission: "advisorContact.create" as const } } };

const q = (req: FastifyRequest) => req.query as Record<string, unknown>;
const s = (v: unknown) => (typeof v === "string" ? v.trim() : "");

/** ?jaar=2026&organisatie=<id> or &groep=<id>; without them the active organisation and this year. */
function scopeOf(req: FastifyRequest): ReportScopeInput {
  const query = q(req);
  const year = s(query.jaar) || String(currentYear());
  if (s(query.groep)) return { scope: "group", id: s(query.groep), year };
  return { scope: "organisation", id: s(query.organisatie) || (req.actor!.activeOrganisationId ?? ""), year };
}

/** The scope named in a posted form (texts, publication). */
function postedScope(req: FastifyRequest, values: Record<string, string>): ReportScopeInput {
  return {
    scope: values.scope === "group" ? "group" : "organisation",
    id: values.id || (req.actor!.activeOrganisationId ?? ""),
    year: values.year || String(currentYear()),
  };
}

const fileName = (year: number, ext: string) => `jaarverslag-vertrouwenspersonen-${year}.${ext}`;

/** The report this reader may see, or what is not published yet. */
async function readable(ctx: Context, req: FastifyRequest, scope: ReportScopeInput): Promise<YearlyReport | PendingReport> {
  try {
    return await reportFor(ctx, req.actor!, scope);
  } catch (e) {
    if (!(e instanceof NotPublished)) throw e;
    return { scope: e.scope, year: e.year, missing: e.missing };
  }
}
const isPending = (r: YearlyReport | PendingReport): r is PendingReport => !("natures" in r);

export function advisorReportRoutes(app: FastifyInstance, ctx: Context) {
  const pdfAvailable = () => chromiumAvailable(ctx.config.chromiumPath);
  const yearOptions = () => Array.from({ length: Math.max(1, currentYear() - MIN_YEAR + 1) }, (_, i) => currentYear() - i).slice(0, 15);

  const page = async (req: FastifyRequest, reply: FastifyReply, scope: ReportScopeInput, form: { errors?: FieldErrors; values?: Record<string, string> } = {}, status = 200) => {
    const [report, scopes] = await Promise.all([readable(ctx, req, scope), reportScopes(ctx, req.actor!)]);
    const options = yearOptions();
    if (!options.includes(report.year)) options.push(report.year);
    return sendPage(ctx, req, reply, { text: reportTitle(translator(req.locale), report) },
      () => <ReportPage report={report} scopes={scopes} yearOptions={options.sort((a, b) => b - a)} errors={form.errors} values={form.values} pdf={pdfAvailable()} />, status);
  };

  /** A download of a report that is not published yet: 404, with the sentence the page shows. */
  const notPublished = (req: FastifyRequest, reply: FastifyReply, pending: PendingReport) =>
    reply.code(404).type("text/plain; charset=utf-8").send(pendingMessage(translator(req.locale), pending));

  app.get(REPORT_PATH, VIEW, async (req, reply) => {
    // The choice form sends bereik=organisatie:<id> or groep:<id>; the report's own address names the scope plainly.
    const chosen = /^(organisatie|groep):(.+)$/.exec(s(q(req).bereik));
    if (chosen) {
      const year = s(q(req).jaar) || String(currentYear());
      return reply.redirect(`${REPORT_PATH}?jaar=${encodeURIComponent(year)}&${chosen[1]}=${encodeURIComponent(chosen[2]!)}`, 303);
    }
    return page(req, reply, scopeOf(req));
  });

  app.post(`${REPORT_PATH}/teksten`, WRITE, async (req, reply) => {
    const values = formStrings(req.body);
    const scope = postedScope(req, values);
    try {
      await saveReportTexts(ctx, req.actor!, { ...scope, interpretation: values.interpretation, recommendations: values.recommendations });
    } catch (e) {
      if (!(e instanceof Invalid) || Object.keys(e.fields).some((f) => !["interpretation", "recommendations"].includes(f))) throw e;
      return page(req, reply, scope, { errors: e.fields, values }, 422);
    }
    const report = { year: Number(scope.year), scope: { type: scope.scope, id: scope.id } };
    return redirectWithFlash(reply, `${REPORT_PATH}?${reportQuery(report)}#duiding`, "advisorReport.texts.saved");
  });

  // Publishing ("vaststellen"): the page offers it only where it can succeed (a completed year; for a group,
  // every member published), so a refusal here is a crafted request and gets the plain error page.
  app.post(`${REPORT_PATH}/vaststellen`, WRITE, async (req, reply) => {
    const scope = postedScope(req, formStrings(req.body));
    await publishReport(ctx, req.actor!, scope);
    const report = { year: Number(scope.year), scope: { type: scope.scope, id: scope.id } };
    return redirectWithFlash(reply, `${REPORT_PATH}?${reportQuery(report)}`, "advisorReport.publish.done");
  });

  app.get(`${REPORT_PATH}.html`, VIEW, async (req, reply) => {
    const report = await readable(ctx, req, scopeOf(req));
    const t = translator(req.locale);
    const query = reportQuery(report);
    const back = <p><a href={`${REPORT_PATH}?${query}`}>{t("advisorReport.back")}</a></p>;
    if (isPending(report)) {
      return reply.code(404).type("text/html; charset=utf-8").send(pendingDocumentHtml(report, t, req.locale, <div className="doc-actions">{back}</div>));
    }
    const actions = (
      <div className="doc-actions">
        {back}
        {pdfAvailable() ? <p><a href={`${REPORT_PATH}.pdf?${query}`}>{t("advisorReport.export.pdf")}</a></p> : null}
        <p>{t("advisorReport.printHint")}</p>
      </div>
    );
    return reply.type("text/html; charset=utf-8").send(reportDocumentHtml(report, t, req.locale, { actions }));
  });

  app.get(`${REPORT_PATH}.pdf`, VIEW, async (req, reply) => {
    const t = translator(req.locale);
    if (!pdfAvailable()) return reply.code(503).type("text/plain; charset=utf-8").send(t("advisorReport.export.noPdf"));
    const report = await readable(ctx, req, scopeOf(req));
    if (isPending(report)) return notPublished(req, reply, report);
    const pdf = await htmlToPdf(reportDocumentHtml(report, t, req.locale, { style: printCss }), ctx.config.chromiumPath);
    return reply.type("application/pdf").header("Content-Disposition", `attachment; filename="${fileName(report.year, "pdf")}"`).send(pdf);
  });

  app.get(`${REPORT_PATH}.csv`, VIEW, async (req, reply) => {
    const report = await readable(ctx, req, scopeOf(req));
    if (isPending(report)) return notPublished(req, reply, report);
    return reply.type("text/csv; charset=utf-8").header("Content-Disposition", `attachment; filename="${fileName(report.year, "csv")}"`)
      .send(reportCsv(report, translator(req.locale), req.locale));
  });

  app.get(`${REPORT_PATH}.docx`, VIEW, async (req, reply) => {
    const report = await readable(ctx, req, scopeOf(req));
    if (isPending(report)) return notPublished(req, reply, report);
    const { reportDocx } = await import("./report-docx.ts");
    const docx = await reportDocx(report, translator(req.locale), req.locale);
    return reply.type("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
      .header("Content-Disposition", `attachment; filename="${fileName(report.year, "docx")}"`).send(docx);
  });
}
