import { DataList, DataListItem, DataListKey, DataListValue, Link, Paragraph, Table, TableBody, TableCaption, TableCell, TableHeader, TableHeaderCell, TableRow } from "@utrecht/component-library-react";
import type { FieldErrors } from "../../http/errors.ts";
import { usePage } from "../../ui/context.tsx";
import { ErrorSummary, SelectField, Submit, TextField } from "../../ui/forms.tsx";
import { Layout } from "../../ui/layout.tsx";
import { formatDateTime } from "../../ui/format.ts";
import type { Locale, Translate } from "../../ui/messages.ts";
import { actionLabel, detailEntries, hasActionLabel, objectLabel } from "./labels.ts";

export type LogLine = { seq: number; occurredAt: string; who: string; action: string; objectType: string; objectId: string | null; details: string };
export type LogFilter = { action: string; from: string; to: string };

export function AuditLogPage({ lines, total, page, pages, actions, filter, errors, pageHref }: {
  lines: LogLine[]; total: number; page: number; pages: number; actions: string[]; filter: LogFilter; errors: FieldErrors;
  pageHref: (page: number) => string;
}) {
  const { t, locale } = usePage();
  return (
    <Layout title={t("audit.title")} wide>
      <Paragraph>{t("audit.intro")}</Paragraph>
      {/* A search form: GET, so the filter is in the address and the back button works. */}
      <form method="get" action="/beheer/logboek" className="intact-filter" noValidate>
        <ErrorSummary errors={errors} labels={{ action: "audit.action", from: "audit.from", to: "audit.to" }} />
        <SelectField name="action" label="audit.action" options={actionOptions(t, locale, actions)} value={filter.action}
          empty={t("audit.allActions")} errors={errors} />
        <TextField name="from" label="audit.from" type="date" value={filter.from} errors={errors} optional />
        <TextField name="to" label="audit.to" type="date" value={filter.to} errors={errors} optional />
        <div className="intact-actions"><Submit label="form.filter" /></div>
      </form>
      <Paragraph>{t("audit.count", { count: total })}</Paragraph>
      {lines.length ? (
        <div className="intact-table-wrap">
          <Table className="intact-audit-table">
            <TableCaption>{t("audit.caption")}</TableCaption>
            <TableHeader><TableRow>
              <TableHeaderCell scope="col">{t("audit.when")}</TableHeaderCell>
              <TableHeaderCell scope="col">{t("audit.who")}</TableHeaderCell>
              <TableHeaderCell scope="col">{t("audit.action")}</TableHeaderCell>
              <TableHeaderCell scope="col">{t("audit.object")}</TableHeaderCell>
              <TableHeaderCell scope="col">{t("audit.details")}</TableHeaderCell>
            </TableRow></TableHeader>
            <TableBody>
              {lines.map((l) => (
                <TableRow key={l.seq}>
                  <TableCell><time dateTime={l.occurredAt}>{formatDateTime(l.occurredAt, locale)}</time></TableCell>
                  <TableCell>{l.who}</TableCell>
                  <TableCell>{hasActionLabel(l.action) ? actionLabel(t, l.action) : <code>{l.action}</code>}</TableCell>
                  <TableCell>{objectLabel(t, l.objectType)}{l.objectId ? <> <code title={l.objectId}>{l.objectId.slice(0, 8)}</code></> : null}</TableCell>
                  <TableCell><Details t={t} locale={locale} details={l.details} objectType={l.objectType} /></TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      ) : <Paragraph>{t("audit.none")}</Paragraph>}
      {pages > 1 ? (
        <nav className="intact-pagination" aria-label={t("audit.page", { page, pages })}>
          {page > 1 ? <Link href={pageHref(page - 1)} rel="prev">{t("audit.previous")}</Link> : null}
          <span>{t("audit.page", { page, pages })}</span>
          {page < pages ? <Link href={pageHref(page + 1)} rel="next">{t("audit.next")}</Link> : null}
        </nav>
      ) : null}
    </Layout>
  );
}

/** The filter's choices in words, in alphabetical order of those words; the value stays the code. */
function actionOptions(t: Translate, locale: Locale, actions: string[]): { value: string; label: string }[] {
  return actions.map((a) => ({ value: a, label: actionLabel(t, a) }))
    .sort((x, y) => x.label.localeCompare(y.label, locale));
}

/** An event's details as a short key/value list; text that is not a JSON object is shown as it is. */
function Details({ t, locale, details, objectType }: { t: Translate; locale: Locale; details: string; objectType: string }) {
  const entries = detailEntries(t, locale, details, objectType);
  if (!entries) return <code className="intact-audit-details">{details}</code>;
  if (!entries.length) return null;
  return (
    <DataList className="intact-audit-detail-list">
      {entries.map((e) => (
        <DataListItem key={e.key}>
          <DataListKey>{e.label}</DataListKey>
          <DataListValue>{e.title ? <span title={e.title}>{e.value}</span> : e.value}</DataListValue>
        </DataListItem>
      ))}
    </DataList>
  );
}
