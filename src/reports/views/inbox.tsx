import { ButtonLink, Link, Paragraph, Table, TableBody, TableCaption, TableCell, TableHeader, TableHeaderCell, TableRow } from "@utrecht/component-library-react";
import type { FieldErrors } from "../../http/errors.ts";
import { usePage } from "../../ui/context.tsx";
import { ErrorSummary, SelectField, Submit } from "../../ui/forms.tsx";
import { formatDate } from "../../ui/format.ts";
import { Layout } from "../../ui/layout.tsx";
import type { MessageKey } from "../../ui/messages.ts";
import type { Inbox } from "../service.ts";
import { KINDS, STATUSES } from "../workflow.ts";
import { codeLabel, currentClock } from "./case-labels.ts";

export type InboxBase = "/meldingen" | "/onderzoeken";

/** The filters the page keeps in its links (sort and page come on top). */
const FILTERS = ["organisationId", "unitId", "status", "kind", "categoryId", "handler", "deadline"] as const;
type Filter = (typeof FILTERS)[number];
type Query = Inbox["query"];

/** A link to the inbox with these filters, sort and page; defaults (sort by due date, page 1) are left out. */
export function inboxHref(base: InboxBase, q: Partial<Query>, change: Partial<Query> = {}): string {
  const merged = { ...q, ...change };
  const p = new URLSearchParams();
  for (const f of FILTERS) if (merged[f]) p.set(f, String(merged[f]));
  if (merged.sort && merged.sort !== "due") p.set("sort", merged.sort);
  if (merged.page && merged.page > 1) p.set("page", String(merged.page));
  const s = p.toString();
  return s ? `${base}?${s}` : base;
}


export function InboxPage({ inbox, base, errors, canRegister }: { inbox: Inbox; base: InboxBase; errors: FieldErrors; canRegister?: boolean }) {
  const { t, locale } = usePage();
  const desk = base === "/meldingen";
  const q = inbox.query;
  const o = inbox.options;
  const multiOrg = o.organisations.length > 1;
  // With one organisation its id is always sent along (for the unit filter): that alone is no filter.
  const hasFilter = (x: Query) => FILTERS.some((f) => !!x[f] && (f !== "organisationId" || multiOrg));
  const title = desk ? t("cases.title") : t("cases.investigationsTitle");

  // The sortable columns: the header is a link; the current one says so in words (and aria-sort).
  const SortHeader = ({ label, sorts, first }: { label: MessageKey; sorts: Query["sort"][]; first: Query["sort"] }) => {
    const active = sorts.includes(q.sort);
    const next = active && sorts.length > 1 ? sorts[(sorts.indexOf(q.sort) + 1) % sorts.length]! : first;
    const descending = q.sort === "-received" || q.sort === "reference";
    return (
      <TableHeaderCell scope="col" aria-sort={active ? (descending ? "descending" : "ascending") : undefined}>
        <Link href={inboxHref(base, q, { sort: next, page: 1 })}>{t(label)}</Link>
        {active ? <> <span className="intact-sorted">{t(descending ? "cases.sortedDesc" : "cases.sortedAsc")}</span></> : null}
      </TableHeaderCell>
    );
  };

  return (
    <Layout title={title} wide>
      <Paragraph>{desk ? t("cases.intro") : t("cases.investigationsIntro")}</Paragraph>
      {canRegister ? <Paragraph><ButtonLink href="/meldingen/nieuw" appearance="primary-action-button">{t("register.link")}</ButtonLink></Paragraph> : null}
      {/* A search form: GET, so the filters are in the address and the back button works. */}
      <form method="get" action={base} className="intact-filter" role="search" aria-label={t("cases.filterLabel")} noValidate>
        <ErrorSummary errors={errors} labels={{
          organisationId: "cases.filter.organisation", unitId: "cases.filter.unit", status: "cases.filter.status", kind: "cases.filter.kind",
          categoryId: "cases.filter.category", handler: "cases.filter.handler", deadline: "cases.filter.deadline",
        }} />
        {multiOrg ? (
          <SelectField name="organisationId" label="cases.filter.organisation" value={q.organisationId} errors={errors}
            empty={t("cases.filter.allOrganisations")} options={o.organisations.map((x) => ({ value: x.id, label: x.name }))} />
        ) : null}
        {!multiOrg && o.organisations[0] ? <input type="hidden" name="organisationId" value={o.organisations[0].id} /> : null}
        {(q.organisationId || !multiOrg) && o.units.length ? (
          <SelectField name="unitId" label="cases.filter.unit" value={q.unitId} errors={errors} empty={t("cases.filter.allUnits")}
            options={[...o.units].sort((a, b) => a.name.localeCompare(b.name, locale)).map((u) => ({ value: u.id, label: u.name }))} />
        ) : null}
        <SelectField name="status" label="cases.filter.status" value={q.status} errors={errors} empty={t("cases.filter.allStatuses")}
          options={[{ value: "open", label: t("cases.filter.open") }, ...STATUSES.map((s) => ({ value: s, label: codeLabel(t, "case.status", s) }))]} />
        <SelectField name="kind" label="cases.filter.kind" value={q.kind} errors={errors} empty={t("cases.filter.allKinds")}
          options={KINDS.map((k) => ({ value: k, label: codeLabel(t, "case.kind", k) }))} />
        {/* Like the units: the categories of the organisation chosen (the service sends only those). */}
        {o.categories.length ? (
          <SelectField name="categoryId" label="cases.filter.category" value={q.categoryId} errors={errors} empty={t("cases.filter.allCategories")}
            options={o.categories.map((c) => ({ value: c.id, label: locale === "en" ? c.label_en : c.label_nl }))} />
        ) : null}
        {desk ? (
          <SelectField name="handler" label="cases.filter.handler" value={q.handler} errors={errors} empty={t("cases.filter.anyHandler")}
            options={[{ value: "me", label: t("cases.filter.me") }, { value: "none", label: t("cases.filter.none") },
              ...o.handlers.map((h) => ({ value: h.id, label: h.name }))]} />
        ) : null}
        <SelectField name="deadline" label="cases.filter.deadline" value={q.deadline} errors={errors} empty={t("cases.filter.anyDeadline")}
          options={[
            { value: "overdue", label: t("cases.filter.overdue") }, { value: "dueSoon", label: t("cases.filter.dueSoon") },
            { value: "open", label: t("cases.filter.later") }, { value: "met", label: t("cases.filter.met") },
          ]} />
        {q.sort !== "due" ? <input type="hidden" name="sort" value={q.sort} /> : null}
        <div className="intact-actions">
          <Submit label="form.filter" />
          {hasFilter(q) ? <Link href={inboxHref(base, {}, { sort: q.sort })}>{t("cases.filter.reset")}</Link> : null}
        </div>
      </form>

      {inbox.items.length ? (
        <div className="intact-table-wrap">
          <Table className="intact-inbox">
            <TableCaption>{t("cases.caption", { count: inbox.total })}</TableCaption>
            <TableHeader><TableRow>
              <SortHeader label="cases.col.reference" sorts={["reference"]} first="reference" />
              <SortHeader label="cases.col.received" sorts={["-received", "received"]} first="-received" />
              {multiOrg ? <TableHeaderCell scope="col">{t("cases.col.organisation")}</TableHeaderCell> : null}
              <TableHeaderCell scope="col">{t("cases.col.category")}</TableHeaderCell>
              <TableHeaderCell scope="col">{t("cases.col.status")}</TableHeaderCell>
              <SortHeader label="cases.col.deadline" sorts={["due"]} first="due" />
              {desk ? <TableHeaderCell scope="col">{t("cases.col.handler")}</TableHeaderCell> : null}
            </TableRow></TableHeader>
            <TableBody>
              {inbox.items.map((r) => {
                const clock = r.status === "closed" && r.closed_at && !r.feedback_given_at
                  ? { state: "met" as const, text: t("case.clock.closed", { date: formatDate(r.closed_at, locale) }) }
                  : currentClock(t, locale, r, r.ackState, r.feedbackState);
                return (
                  <TableRow key={r.id}>
                    <TableHeaderCell scope="row"><Link href={`${base}/${r.id}`}>{r.reference}</Link></TableHeaderCell>
                    <TableCell><time dateTime={r.received_at}>{formatDate(r.received_at, locale)}</time></TableCell>
                    {multiOrg ? <TableCell>{r.organisationName}</TableCell> : null}
                    <TableCell>{r.categoryLabel ?? t("cases.uncategorised")}</TableCell>
                    <TableCell>{codeLabel(t, "case.status", r.status)}</TableCell>
                    <TableCell><span className={`intact-clock intact-clock--${clock.state}`}>{clock.text}</span></TableCell>
                    {desk ? <TableCell>{r.coordinatorName ?? t("cases.nobody")}</TableCell> : null}
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </div>
      ) : (
        <Paragraph>{hasFilter(q) ? t("cases.noMatch") : desk ? t("cases.empty") : t("cases.emptyInvestigations")}</Paragraph>
      )}

      {inbox.pages > 1 ? (
        <nav className="intact-pagination" aria-label={t("cases.pagination")}>
          {inbox.page > 1 ? <Link href={inboxHref(base, q, { page: inbox.page - 1 })} rel="prev">{t("cases.previous")}</Link> : null}
          <span aria-current="page">{t("cases.page", { page: inbox.page, pages: inbox.pages })}</span>
          {inbox.page < inbox.pages ? <Link href={inboxHref(base, q, { page: inbox.page + 1 })} rel="next">{t("cases.next")}</Link> : null}
        </nav>
      ) : null}
    </Layout>
  );
}
