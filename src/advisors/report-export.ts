import { stringify } from "csv-stringify/sync";
import type { Locale, Translate } from "../ui/messages.ts";
import type { Distribution, YearlyReport } from "./report.ts";
import { codeLabel, natureLabel, statusLines } from "./views/report.tsx";

// The yearly advisors' report as CSV (here) and DOCX (report-docx.ts, loaded when first asked for: the docx library
// costs memory every instance would otherwise carry). Both are written from the report object only, which holds
// the published figures (a hidden count has value null and its marker as display), so an export can show
// nothing the page does not: no hidden count and no contact. For a reader who is not the scope's advisor the
// report object is the published one (report.ts, reportFor); an advisor's is the live draft, and says so.

/** Rows of the CSV: section, code, label, then one column per year of the five (the distributions and the
 *  activities fill only the report year's column). One shape for every row, so any CSV reader takes it. The
 *  first row after the header says whether this is a draft or the published report (date in the report year's column). */
export function reportCsvRows(report: YearlyReport, t: Translate, locale: Locale): string[][] {
  const { years } = report;
  const lastOnly = (v: string) => [...years.slice(0, -1).map(() => ""), v];
  const dist = (section: string, d: Distribution, label: (c: string) => string) => d.withheld
    ? [[section, "withheld", t("advisorReport.withheld"), ...lastOnly("")]]
    : [
      ...d.rows.map((r) => [section, r.code, label(r.code), ...lastOnly(r.figure.display)]),
      [section, "total", t("advisorReport.total"), ...lastOnly(d.total.display)],
    ];
  return [
    [t("advisorReport.csv.section"), t("advisorReport.csv.code"), t("advisorReport.csv.label"), ...years.map(String)],
    ["status", report.draft ? "draft" : "published", statusLines(t, locale, report)[0] ?? "", ...lastOnly(!report.draft && report.published ? report.published.at.slice(0, 10) : "")],
    ...report.natures.map((n) => ["nature", n.code, natureLabel(n, locale), ...n.cells.map((f) => f.display)]),
    ["total", "contacts", t("advisorReport.totalContacts"), ...report.totals.contacts.map((f) => f.display)],
    ["total", "people", t("advisorReport.totalPeople"), ...report.totals.people.map((f) => f.display)],
    ...dist("follow_up", report.followUps, (c) => codeLabel(t, "advisor.followUp", c)),
    ...dist("form", report.forms, (c) => codeLabel(t, "advisor.form", c)),
    ...report.activities.rows.map((r) => ["activity", r.kind, codeLabel(t, "advisorActivity.kind", r.kind), ...lastOnly(String(r.count))]),
    ["activity", "total", t("advisorReport.total"), ...lastOnly(String(report.activities.total.count))],
    ...report.activities.rows.map((r) => ["activity_people_reached", r.kind, codeLabel(t, "advisorActivity.kind", r.kind), ...lastOnly(String(r.peopleReached))]),
    ["activity_people_reached", "total", t("advisorReport.total"), ...lastOnly(String(report.activities.total.peopleReached))],
  ];
}

/** A cell a spreadsheet program would run as a formula (=, +, -, @, or a tab or carriage return first: a nature's
 *  label is typed by an administrator) gets a single quote in front, so it is read as text (OWASP "CSV injection"). */
export function csvSafe(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** CSV (RFC 4180 quoting by csv-stringify), with a byte-order mark so spreadsheet programs read UTF-8; no cell can
 *  start a formula. */
export function reportCsv(report: YearlyReport, t: Translate, locale: Locale): string {
  return stringify(reportCsvRows(report, t, locale).map((row) => row.map(csvSafe)), { bom: true, record_delimiter: "windows" });
}
