import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import {
  Alert, Heading2, Link, Paragraph, Table, TableBody, TableCaption, TableCell, TableFooter, TableHeader, TableHeaderCell, TableRow,
} from "@utrecht/component-library-react";
import type { FieldErrors } from "../../http/errors.ts";
import { usePage } from "../../ui/context.tsx";
import { formatDate, formatDateTime } from "../../ui/format.ts";
import { ErrorSummary, Form, Submit, TextAreaField } from "../../ui/forms.tsx";
import { Layout } from "../../ui/layout.tsx";
import { isMessageKey, type Locale, type Translate } from "../../ui/messages.ts";
import { escapeHtml } from "../../ui/render.tsx";
import type { Distribution, Figure, YearlyReport } from "../report.ts";

// The yearly advisors' report as HTML: the page (inside the layout, with the choice of scope and year, the
// export links and the advisor's text form) and the print view / PDF source (a self-contained document).
// Both render the same body from the same report object, so they show the same suppressed values. An advisor's
// report is the live draft, marked as such; everyone else reads the published report, or is told it is not
// published yet (PendingReport).

export const REPORT_PATH = "/vertrouwenspersonen/jaarverslag";

/** The query string that names a report: year and scope. */
export const reportQuery = (r: Pick<YearlyReport, "year"> & { scope: { type: string; id: string } }) =>
  `jaar=${r.year}&${r.scope.type === "group" ? "groep" : "organisatie"}=${encodeURIComponent(r.scope.id)}`;

/** A code of a fixed vocabulary in words (the register's catalogue); an unknown code shows as it is. */
export function codeLabel(t: Translate, prefix: "advisor.followUp" | "advisor.form" | "advisorActivity.kind", code: string): string {
  const key = `${prefix}.${code}`;
  return isMessageKey(key) ? t(key) : code;
}
export const natureLabel = (n: YearlyReport["natures"][number], locale: Locale) => (locale === "en" ? n.labelEn : n.labelNl);

function Num({ f }: { f: Figure }) {
  return <TableCell numericColumn>{f.display}</TableCell>;
}

/** Under each table: what "< n" and "×" mean. */
function Legend({ t, threshold }: { t: Translate; threshold: number }) {
  return (
    <dl>
      <dt>{`< ${threshold}`}</dt><dd>{t("advisorReport.legend.primary", { n: threshold, max: threshold - 1 })}</dd>
      <dt>×</dt><dd>{t("advisorReport.legend.secondary", { n: threshold })}</dd>
    </dl>
  );
}

function DistributionTable({ t, caption, column, dist, label, threshold, id }: {
  t: Translate; caption: string; column: string; dist: Distribution; label: (code: string) => string; threshold: number; id: string;
}) {
  if (dist.withheld) return <Paragraph id={id}>{t("advisorReport.withheld")}</Paragraph>;
  return (
    <div className="intact-table-wrap">
      <Table id={id}>
        <TableCaption>{caption}</TableCaption>
        <TableHeader><TableRow>
          <TableHeaderCell scope="col">{column}</TableHeaderCell>
          <TableHeaderCell scope="col" numericColumn>{t("advisorReport.col.contacts")}</TableHeaderCell>
        </TableRow></TableHeader>
        <TableBody>
          {dist.rows.map((r) => <TableRow key={r.code}><TableHeaderCell scope="row">{label(r.code)}</TableHeaderCell><Num f={r.figure} /></TableRow>)}
        </TableBody>
        <TableFooter>
          <TableRow><TableHeaderCell scope="row">{t("advisorReport.total")}</TableHeaderCell><Num f={dist.total} /></TableRow>
        </TableFooter>
      </Table>
      <Legend t={t} threshold={threshold} />
    </div>
  );
}

function Texts({ t, title, body, id }: { t: Translate; title: string; body: string; id: string }) {
  return (
    <>
      <Heading2 id={id}>{title}</Heading2>
      {body ? body.split(/\n{2,}/).map((p, i) => <Paragraph key={i} className="intact-multiline doc-text">{p}</Paragraph>)
        : <Paragraph>{t("advisorReport.texts.empty")}</Paragraph>}
    </>
  );
}

/** Draft or published, in words (page, print view, PDF, DOCX, CSV). */
export function statusLines(t: Translate, locale: Locale, report: Pick<YearlyReport, "draft" | "published">): string[] {
  const when = (p: NonNullable<YearlyReport["published"]>) => ({ at: formatDate(p.at, locale), by: p.by ?? "—" });
  if (report.draft) return [t("advisorReport.draft"), t("advisorReport.draft.intro"), ...(report.published ? [t("advisorReport.draft.published", when(report.published))] : [])];
  return report.published ? [t("advisorReport.publishedOn", when(report.published))] : [];
}

/** The notes under the five-year table: a group adds up its members' reports; years withheld whole. */
export function tableNotes(t: Translate, report: Pick<YearlyReport, "scope" | "withheldYears" | "threshold">): string[] {
  return [
    ...(report.scope.type === "group" ? [t("advisorReport.groupNote", { n: report.threshold, max: report.threshold - 1 })] : []),
    ...(report.withheldYears.length ? [t("advisorReport.withheldYears", { years: report.withheldYears.join(", ") })] : []),
  ];
}

/** A reader asked for a report nobody published yet (NotPublished): the year, and for a group the members missing. */
export type PendingReport = { scope: YearlyReport["scope"]; year: number; missing: string[] };
export const pendingMessage = (t: Translate, p: Pick<PendingReport, "year" | "missing">) => p.missing.length
  ? t("advisorReport.notPublished.members", { year: p.year, names: p.missing.join(", ") })
  : t("advisorReport.notPublished.year", { year: p.year });

function Status({ report, t, locale }: { report: YearlyReport; t: Translate; locale: Locale }) {
  const [first, ...rest] = statusLines(t, locale, report);
  if (!first) return null;
  if (!report.draft) return <Paragraph id="vastgesteld" className="intact-hint">{first}</Paragraph>;
  return (
    <Alert type="warning">
      <Paragraph id="concept"><strong>{first}</strong></Paragraph>
      {rest.map((line, i) => <Paragraph key={i}>{line}</Paragraph>)}
    </Alert>
  );
}

/** The report itself, from h2 down: the same for the page, the print view and the PDF. */
export function ReportBody({ report, t, locale }: { report: YearlyReport; t: Translate; locale: Locale }) {
  const { years, threshold } = report;
  const range = { from: years[0]!, to: years.at(-1)!, year: report.year };
  return (
    <>
      <Status report={report} t={t} locale={locale} />
      {report.unprotectable ? (
        <Alert type="warning"><Paragraph>{t("advisorReport.unprotectable")}</Paragraph></Alert>
      ) : null}
      <Heading2 id="onderwerpen">{t("advisorReport.natures.title")}</Heading2>
      <Paragraph>{t("advisorReport.natures.intro")}</Paragraph>
      <div className="intact-table-wrap">
        <Table id="vijf-jaar">
          <TableCaption>{t("advisorReport.natures.caption", range)}</TableCaption>
          <TableHeader><TableRow>
            <TableHeaderCell scope="col">{t("advisorReport.col.nature")}</TableHeaderCell>
            {years.map((y) => <TableHeaderCell key={y} scope="col" numericColumn>{y}</TableHeaderCell>)}
          </TableRow></TableHeader>
          <TableBody>
            {report.natures.map((n) => (
              <TableRow key={n.code}>
                <TableHeaderCell scope="row">{natureLabel(n, locale)}</TableHeaderCell>
                {n.cells.map((f, i) => <Num key={years[i]} f={f} />)}
              </TableRow>
            ))}
          </TableBody>
          <TableFooter>
            <TableRow>
              <TableHeaderCell scope="row">{t("advisorReport.totalContacts")}</TableHeaderCell>
              {report.totals.contacts.map((f, i) => <Num key={years[i]} f={f} />)}
            </TableRow>
            <TableRow>
              <TableHeaderCell scope="row">{t("advisorReport.totalPeople")}</TableHeaderCell>
              {report.totals.people.map((f, i) => <Num key={years[i]} f={f} />)}
            </TableRow>
          </TableFooter>
        </Table>
        <Paragraph>{t("advisorReport.natures.note")}</Paragraph>
        {tableNotes(t, report).map((line, i) => <Paragraph key={i}>{line}</Paragraph>)}
        <Legend t={t} threshold={threshold} />
      </div>

      <Heading2 id="vervolg">{t("advisorReport.followUps.title", range)}</Heading2>
      <DistributionTable t={t} id="vervolg-tabel" caption={t("advisorReport.followUps.caption", range)} column={t("advisorReport.col.followUp")}
        dist={report.followUps} label={(c) => codeLabel(t, "advisor.followUp", c)} threshold={threshold} />

      <Heading2 id="vorm">{t("advisorReport.forms.title", range)}</Heading2>
      <DistributionTable t={t} id="vorm-tabel" caption={t("advisorReport.forms.caption", range)} column={t("advisorReport.col.form")}
        dist={report.forms} label={(c) => codeLabel(t, "advisor.form", c)} threshold={threshold} />

      <Heading2 id="activiteiten">{t("advisorReport.activities.title", range)}</Heading2>
      <Paragraph>{t("advisorReport.activities.intro")}</Paragraph>
      <div className="intact-table-wrap">
        <Table id="activiteiten-tabel">
          <TableCaption>{t("advisorReport.activities.caption", range)}</TableCaption>
          <TableHeader><TableRow>
            <TableHeaderCell scope="col">{t("advisorReport.col.activity")}</TableHeaderCell>
            <TableHeaderCell scope="col" numericColumn>{t("advisorReport.col.count")}</TableHeaderCell>
            <TableHeaderCell scope="col" numericColumn>{t("advisorReport.col.peopleReached")}</TableHeaderCell>
          </TableRow></TableHeader>
          <TableBody>
            {report.activities.rows.map((r) => (
              <TableRow key={r.kind}>
                <TableHeaderCell scope="row">{codeLabel(t, "advisorActivity.kind", r.kind)}</TableHeaderCell>
                <TableCell numericColumn>{r.count}</TableCell>
                <TableCell numericColumn>{r.peopleReached}</TableCell>
              </TableRow>
            ))}
          </TableBody>
          <TableFooter>
            <TableRow>
              <TableHeaderCell scope="row">{t("advisorReport.total")}</TableHeaderCell>
              <TableCell numericColumn>{report.activities.total.count}</TableCell>
              <TableCell numericColumn>{report.activities.total.peopleReached}</TableCell>
            </TableRow>
          </TableFooter>
        </Table>
      </div>

      <Texts t={t} id="duiding" title={t("advisorReport.texts.interpretation")} body={report.texts.interpretation} />
      <Texts t={t} id="aanbevelingen" title={t("advisorReport.texts.recommendations")} body={report.texts.recommendations} />
      {report.texts.updatedAt ? (
        <Paragraph className="intact-hint">{t("advisorReport.texts.updated", { at: formatDateTime(report.texts.updatedAt, locale), by: report.texts.updatedBy ?? "—" })}</Paragraph>
      ) : null}
    </>
  );
}

export const reportTitle = (t: Translate, report: { year: number }) => t("advisorReport.title", { year: report.year });
/** "Gemeente Duinrand", or "Regio Kust (samenwerkingsverband): Gemeente A, Gemeente B". */
export const scopeLine = (t: Translate, report: { scope: YearlyReport["scope"] }) => report.scope.type === "group"
  ? t("advisorReport.scopeGroup", { name: report.scope.name, members: report.scope.organisations.map((o) => o.name).join(", ") })
  : report.scope.name;

export type ReportScopes = { organisations: { id: string; name: string }[]; groups: { id: string; name: string }[] };

export type ReportPageProps = {
  /** The report to show; or, for a reader who is not the scope's advisor, what is not published yet. */
  report: YearlyReport | PendingReport;
  scopes: ReportScopes;
  /** Years to choose from, newest first. */
  yearOptions: number[];
  errors?: FieldErrors;
  values?: { interpretation?: string; recommendations?: string };
  pdf: boolean;
};

const isReport = (r: YearlyReport | PendingReport): r is YearlyReport => "natures" in r;

/** Advisors of the whole scope: publish a completed year (again), once every member of a group is published. */
function PublishSection({ report, t }: { report: YearlyReport; t: Translate }) {
  return (
    <section aria-labelledby="vaststellen">
      <Heading2 id="vaststellen">{t("advisorReport.publish.title")}</Heading2>
      <Paragraph>{t("advisorReport.publish.intro")}</Paragraph>
      {report.scope.type === "group" ? <Paragraph>{t("advisorReport.publish.group")}</Paragraph> : null}
      {!report.can.publish ? <Paragraph>{t("advisorReport.publish.notYet", { year: report.year, next: report.year + 1 })}</Paragraph>
        : report.unpublishedMembers.length ? <Paragraph>{t("advisorReport.publish.waiting", { names: report.unpublishedMembers.join(", ") })}</Paragraph>
        : (
          <>
            <Paragraph>{t("advisorReport.publish.again")}</Paragraph>
            <Form action={`${REPORT_PATH}/vaststellen`}>
              <input type="hidden" name="scope" value={report.scope.type} />
              <input type="hidden" name="id" value={report.scope.id} />
              <input type="hidden" name="year" value={String(report.year)} />
              <div className="intact-actions"><Submit label="advisorReport.publish.button" /></div>
            </Form>
          </>
        )}
    </section>
  );
}

/** The downloads, the report, and for advisors the text form and publication. */
function ReportWithActions({ report, pdf, errors, values }: { report: YearlyReport; pdf: boolean; errors: FieldErrors; values: ReportPageProps["values"] }) {
  const { t, locale } = usePage();
  const q = reportQuery(report);
  return (
    <>
      <Heading2 id="downloaden">{t("advisorReport.exports")}</Heading2>
      <ul className="utrecht-link-list">
        <li className="utrecht-link-list__item"><Link href={`${REPORT_PATH}.html?${q}`}>{t("advisorReport.export.html")}</Link></li>
        {pdf ? <li className="utrecht-link-list__item"><Link href={`${REPORT_PATH}.pdf?${q}`}>{t("advisorReport.export.pdf")}</Link></li> : null}
        <li className="utrecht-link-list__item"><Link href={`${REPORT_PATH}.docx?${q}`}>{t("advisorReport.export.docx")}</Link></li>
        <li className="utrecht-link-list__item"><Link href={`${REPORT_PATH}.csv?${q}`}>{t("advisorReport.export.csv")}</Link></li>
      </ul>
      {!pdf ? <Paragraph>{t("advisorReport.export.noPdf")}</Paragraph> : null}

      <ReportBody report={report} t={t} locale={locale} />

      {report.can.editTexts ? (
        <section aria-labelledby="teksten-schrijven">
          <Heading2 id="teksten-schrijven">{t("advisorReport.texts.edit")}</Heading2>
          <Paragraph>{t("advisorReport.texts.editIntro")}</Paragraph>
          <Form action={`${REPORT_PATH}/teksten`}>
            <ErrorSummary errors={errors} labels={{ interpretation: "advisorReport.texts.interpretation", recommendations: "advisorReport.texts.recommendations" }} />
            <input type="hidden" name="scope" value={report.scope.type} />
            <input type="hidden" name="id" value={report.scope.id} />
            <input type="hidden" name="year" value={String(report.year)} />
            <TextAreaField name="interpretation" label="advisorReport.texts.interpretation" hint="advisorReport.texts.interpretationHint" optional
              value={values?.interpretation ?? report.texts.interpretation} errors={errors} maxLength={20_000} />
            <TextAreaField name="recommendations" label="advisorReport.texts.recommendations" hint="advisorReport.texts.recommendationsHint" optional
              value={values?.recommendations ?? report.texts.recommendations} errors={errors} maxLength={20_000} />
            <div className="intact-actions"><Submit label="advisorReport.texts.save" /></div>
          </Form>
        </section>
      ) : null}
      {report.can.editTexts ? <PublishSection report={report} t={t} /> : null}
    </>
  );
}

/** The page: choose year and scope (a GET form, no script needed), download, read; advisors write the texts and publish. */
export function ReportPage({ report: shown, scopes, yearOptions, errors = {}, values, pdf }: ReportPageProps) {
  const { t, locale } = usePage();
  const report = isReport(shown) ? shown : null;
  const current = `${shown.scope.type === "group" ? "groep" : "organisatie"}:${shown.scope.id}`;
  return (
    <Layout title={reportTitle(t, shown)} wide>
      <Paragraph>{scopeLine(t, shown)}</Paragraph>
      {report ? <Paragraph>{t("advisorReport.intro", { n: report.threshold, max: report.threshold - 1 })}</Paragraph> : null}

      <form method="get" action={REPORT_PATH} className="intact-filter" aria-label={t("advisorReport.choose")}>
        <div className="intact-field">
          <label htmlFor="field-bereik" className="utrecht-form-label">{t("advisorReport.scope")}</label>
          <select id="field-bereik" name="bereik" defaultValue={current} className="utrecht-select utrecht-select--html-select">
            {scopes.organisations.length ? (
              <optgroup label={t("advisorReport.scope.organisations")}>
                {scopes.organisations.map((o) => <option key={o.id} value={`organisatie:${o.id}`}>{o.name}</option>)}
              </optgroup>
            ) : null}
            {scopes.groups.length ? (
              <optgroup label={t("advisorReport.scope.groups")}>
                {scopes.groups.map((g) => <option key={g.id} value={`groep:${g.id}`}>{g.name}</option>)}
              </optgroup>
            ) : null}
          </select>
        </div>
        <div className="intact-field">
          <label htmlFor="field-jaar" className="utrecht-form-label">{t("advisorReport.year")}</label>
          <select id="field-jaar" name="jaar" defaultValue={String(shown.year)} className="utrecht-select utrecht-select--html-select">
            {yearOptions.map((y) => <option key={y} value={String(y)}>{y}</option>)}
          </select>
        </div>
        <Submit label="advisorReport.show" secondary />
      </form>

      {report ? <ReportWithActions report={report} pdf={pdf} errors={errors} values={values} /> : (
        <Alert type="info"><Paragraph id="niet-vastgesteld">{pendingMessage(t, shown as PendingReport)}</Paragraph></Alert>
      )}
    </Layout>
  );
}

/** The report as one self-contained HTML document (print view, PDF). `style`: the print stylesheet inline
 *  (PDF); omitted, /assets/print.css is linked (the browser's CSP allows no inline style). */
export function reportDocumentHtml(report: YearlyReport, t: Translate, locale: Locale, opts: { style?: string; actions?: ReactNode } = {}): string {
  const body = renderToStaticMarkup(
    <main>
      <h1>{reportTitle(t, report)}</h1>
      <p className="doc-subtitle">{scopeLine(t, report)}</p>
      {opts.actions}
      <p>{t("advisorReport.intro", { n: report.threshold, max: report.threshold - 1 })}</p>
      <ReportBody report={report} t={t} locale={locale} />
      <footer>{t("advisorReport.generated", { at: formatDateTime(report.generatedAt, locale) })}</footer>
    </main>,
  );
  const css = opts.style !== undefined ? `<style>${opts.style}</style>` : `<link rel="stylesheet" href="/assets/print.css">`;
  return `<!DOCTYPE html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="referrer" content="no-referrer"><title>${escapeHtml(`${reportTitle(t, report)} — ${report.scope.name}`)}</title>${css}</head><body>${body}</body></html>`;
}

/** The print view's answer when the reader's report is not published yet (sent with 404). */
export function pendingDocumentHtml(pending: PendingReport, t: Translate, locale: Locale, actions?: ReactNode): string {
  const body = renderToStaticMarkup(
    <main>
      <h1>{reportTitle(t, pending)}</h1>
      <p className="doc-subtitle">{scopeLine(t, pending)}</p>
      {actions}
      <p id="niet-vastgesteld">{pendingMessage(t, pending)}</p>
    </main>,
  );
  return `<!DOCTYPE html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="referrer" content="no-referrer"><title>${escapeHtml(`${reportTitle(t, pending)} — ${pending.scope.name}`)}</title><link rel="stylesheet" href="/assets/print.css"></head><body>${body}</body></html>`;
}
