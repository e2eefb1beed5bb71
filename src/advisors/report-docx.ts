import {
  AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType,
} from "docx";
import { formatDateTime } from "../ui/format.ts";
import type { Locale, Translate } from "../ui/messages.ts";
import type { Distribution, Figure, YearlyReport } from "./report.ts";
import { codeLabel, natureLabel, reportTitle, scopeLine, statusLines, tableNotes } from "./views/report.tsx";

// The yearly advisors' report as a Word document: the same tables, legends and texts as the page (see report-export.ts).

const FULL = { size: 100, type: WidthType.PERCENTAGE } as const;

function cell(text: string, opts: { header?: boolean; numeric?: boolean } = {}) {
  return new TableCell({
    children: [new Paragraph({ alignment: opts.numeric ? AlignmentType.RIGHT : AlignmentType.LEFT, children: [new TextRun({ text, bold: opts.header })] })],
  });
}

/** A table: the first row is the header (repeated on each page); the first cell of every other row names it. */
function table(header: string[], rows: string[][]) {
  return new Table({
    width: FULL,
    rows: [
      new TableRow({ tableHeader: true, children: header.map((h, i) => cell(h, { header: true, numeric: i > 0 })) }),
      ...rows.map((r) => new TableRow({ children: r.map((v, i) => cell(v, { header: i === 0, numeric: i > 0 })) })),
    ],
  });
}

const para = (text: string) => new Paragraph({ children: [new TextRun(text)] });
const heading = (text: string, level: 1 | 2) => new Paragraph({ text, heading: level === 1 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2 });
const caption = (text: string) => new Paragraph({ children: [new TextRun({ text, italics: true })] });

function legend(t: Translate, threshold: number) {
  return [para(`< ${threshold}: ${t("advisorReport.legend.primary", { n: threshold, max: threshold - 1 })}`), para(`×: ${t("advisorReport.legend.secondary", { n: threshold })}`)];
}

const texts = (body: string, t: Translate) => (body ? body.split(/\n{2,}/) : [t("advisorReport.texts.empty")])
  .map((p) => new Paragraph({ children: p.split("\n").map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : 0 })) }));

/** A Word document with the same tables, legends and texts as the page. */
export async function reportDocx(report: YearlyReport, t: Translate, locale: Locale): Promise<Buffer> {
  const { years, threshold } = report;
  const range = { from: years[0]!, to: years.at(-1)!, year: report.year };
  const show = (f: Figure) => f.display;
  const distribution = (column: string, d: Distribution, label: (c: string) => string) => d.withheld ? [para(t("advisorReport.withheld"))] : [
    table([column, t("advisorReport.col.contacts")], [...d.rows.map((r) => [label(r.code), show(r.figure)]), [t("advisorReport.total"), show(d.total)]]),
    ...legend(t, threshold),
  ];
  const children = [
    heading(reportTitle(t, report), 1),
    para(scopeLine(t, report)),
    ...statusLines(t, locale, report).map((line, i) => (i === 0 ? new Paragraph({ children: [new TextRun({ text: line, bold: true })] }) : para(line))),
    para(t("advisorReport.intro", { n: threshold, max: threshold - 1 })),
    ...(report.unprotectable ? [para(t("advisorReport.unprotectable"))] : []),
    heading(t("advisorReport.natures.title"), 2),
    para(t("advisorReport.natures.intro")),
    caption(t("advisorReport.natures.caption", range)),
    table([t("advisorReport.col.nature"), ...years.map(String)], [
      ...report.natures.map((n) => [natureLabel(n, locale), ...n.cells.map(show)]),
      [t("advisorReport.totalContacts"), ...report.totals.contacts.map(show)],
      [t("advisorReport.totalPeople"), ...report.totals.people.map(show)],
    ]),
    para(t("advisorReport.natures.note")),
    ...tableNotes(t, report).map(para),
    ...legend(t, threshold),
    heading(t("advisorReport.followUps.title", range), 2),
    caption(t("advisorReport.followUps.caption", range)),
    ...distribution(t("advisorReport.col.followUp"), report.followUps, (c) => codeLabel(t, "advisor.followUp", c)),
    heading(t("advisorReport.forms.title", range), 2),
    caption(t("advisorReport.forms.caption", range)),
    ...distribution(t("advisorReport.col.form"), report.forms, (c) => codeLabel(t, "advisor.form", c)),
    heading(t("advisorReport.activities.title", range), 2),
    para(t("advisorReport.activities.intro")),
    caption(t("advisorReport.activities.caption", range)),
    table([t("advisorReport.col.activity"), t("advisorReport.col.count"), t("advisorReport.col.peopleReached")], [
      ...report.activities.rows.map((r) => [codeLabel(t, "advisorActivity.kind", r.kind), String(r.count), String(r.peopleReached)]),
      [t("advisorReport.total"), String(report.activities.total.count), String(report.activities.total.peopleReached)],
    ]),
    heading(t("advisorReport.texts.interpretation"), 2),
    ...texts(report.texts.interpretation, t),
    heading(t("advisorReport.texts.recommendations"), 2),
    ...texts(report.texts.recommendations, t),
    para(t("advisorReport.generated", { at: formatDateTime(report.generatedAt, locale) })),
  ];
  const doc = new Document({
    creator: "Intact", title: `${reportTitle(t, report)} — ${report.scope.name}`, description: scopeLine(t, report),
    styles: { default: { document: { run: { font: "Arial", size: 22 } } } },
    sections: [{ properties: {}, children }],
  });
  return Packer.toBuffer(doc);
}
