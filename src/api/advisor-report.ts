import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { currentYear, MIN_YEAR, reportFor, SCOPE_KINDS, type Figure } from "../advisors/report.ts";
import { codeLabel, natureLabel } from "../advisors/views/report.tsx";
import type { Context } from "../context.ts";
import { translator } from "../ui/messages.ts";
import { apiRoute } from "./registry.ts";

// The confidential advisors' yearly report in /api/v1: the same report object as the page and its exports,
// so the API shows the same suppressed values ("< 5", "×") and no contact. A hidden count has value null.
// Scope "group" is also the report of an advisors' pool (a pool is a group grant). Like the page: the scope's
// advisors get the live report (draft: true), everyone else the published one (draft: false), or 404 with the
// reason in invalidParams when the year is not published yet (for a group: which members are missing).

const hidden = z.enum(["primary", "secondary"]).nullable().describe("Why the count is hidden: primary (1 to threshold-1) or secondary (hidden so that no hidden count, and no single contact's subject, can be worked out; any number, 0 too)");
const figure = { value: z.number().int().nullable().describe("The count, or null when hidden"), display: z.string().describe('What the report prints: the count, "< 5" or "×"'), hidden };
const yearFigure = z.object({ year: z.number().int(), ...figure });
const codeFigure = z.object({ code: z.string(), label: z.string(), ...figure });
const distributionOut = z.object({
  rows: z.array(codeFigure), total: z.object(figure),
  withheld: z.boolean().describe("Too few contacts to show this distribution without giving away a hidden count: no rows"),
});

const reportOut = z.object({
  scope: z.object({
    type: z.enum(SCOPE_KINDS), id: z.string(), name: z.string(),
    organisations: z.array(z.object({ id: z.string(), name: z.string() })),
  }),
  year: z.number().int(),
  years: z.array(z.number().int()).describe("The five years, oldest first"),
  threshold: z.number().int().describe("Counts from 1 to threshold-1 are hidden"),
  natures: z.array(z.object({ code: z.string(), label: z.string(), contacts: z.array(yearFigure) }))
    .describe("Contacts per nature and year; a contact with two natures counts in both"),
  totals: z.object({
    contacts: z.array(yearFigure).describe("Distinct contacts per year (not the sum of the natures)"),
    people: z.array(yearFigure).describe("People per year (a contact can involve several)"),
  }),
  followUps: distributionOut,
  forms: distributionOut,
  activities: z.object({
    rows: z.array(z.object({ kind: z.string(), label: z.string(), count: z.number().int(), peopleReached: z.number().int() })),
    total: z.object({ count: z.number().int(), peopleReached: z.number().int() }),
  }),
  texts: z.object({ interpretation: z.string(), recommendations: z.string(), updatedAt: z.string().nullable() }),
  withheldYears: z.array(z.number().int()).describe("Years whose column is hidden whole, zeros and totals too: too few contacts to show what they were about"),
  unprotectable: z.boolean().describe("Some hidden counts could not be protected; they stay hidden"),
  published: z.object({ at: z.string(), by: z.string().nullable() }).nullable()
    .describe("When and by whom the report was published (for a draft: the scope's current publication, if any)"),
  draft: z.boolean().describe("The live report the scope's advisors work on, not yet (or not as) published"),
  generatedAt: z.string(),
});

const reportQuery = z.object({
  scope: z.enum(SCOPE_KINDS),
  id: z.string().min(1).max(100),
  year: z.coerce.number().int().min(MIN_YEAR).refine((y) => y <= currentYear(), { message: "advisorReport.yearInvalid" })
    .describe("The report year: 2000 up to and including this year (only advisors see this year's, as a draft)"),
});

const out = (f: Figure) => ({ value: f.value, display: f.display, hidden: f.hidden });

export function advisorReportApi(app: FastifyInstance, ctx: Context) {
  apiRoute(app, {
    method: "GET", url: "/api/v1/advisors/yearly-report", operationId: "getAdvisorYearlyReport",
    summary: "The confidential advisors' yearly report of an organisation or a group: five years of contacts by nature, totals of contacts and people, distributions, activities and texts",
    tag: "advisors", access: { permission: "advisorStats.view" }, query: reportQuery, response: reportOut,
    errors: {
      "404": "Not found, or not visible to you; or, with code not_published, the report over this year is not published yet (readers who are not the scope's advisors see only published reports; for a group, invalidParams names the members not published yet)",
    },
  }, async ({ query, actor, req }) => {
    const r = await reportFor(ctx, actor, query);
    const t = translator(req.locale);
    const dist = (d: typeof r.followUps, prefix: "advisor.followUp" | "advisor.form") => ({
      rows: d.rows.map((x) => ({ code: x.code, label: codeLabel(t, prefix, x.code), ...out(x.figure) })), total: out(d.total), withheld: d.withheld,
    });
    const perYear = (fs: Figure[]) => fs.map((f, i) => ({ year: r.years[i]!, ...out(f) }));
    return {
      scope: r.scope, year: r.year, years: r.years, threshold: r.threshold,
      natures: r.natures.map((n) => ({ code: n.code, label: natureLabel(n, req.locale), contacts: perYear(n.cells) })),
      totals: { contacts: perYear(r.totals.contacts), people: perYear(r.totals.people) },
      followUps: dist(r.followUps, "advisor.followUp"), forms: dist(r.forms, "advisor.form"),
      activities: {
        rows: r.activities.rows.map((a) => ({ ...a, label: codeLabel(t, "advisorActivity.kind", a.kind) })),
        total: r.activities.total,
      },
      texts: { interpretation: r.texts.interpretation, recommendations: r.texts.recommendations, updatedAt: r.texts.updatedAt },
      withheldYears: r.withheldYears, unprotectable: r.unprotectable, published: r.published, draft: r.draft, generatedAt: r.generatedAt,
    };
  });
}
