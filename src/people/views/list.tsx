import { ButtonLink, Link, Paragraph, Table, TableBody, TableCaption, TableCell, TableHeader, TableHeaderCell, TableRow } from "@utrecht/component-library-react";
import { usePage } from "../../ui/context.tsx";
import { SelectField, Submit, TextField } from "../../ui/forms.tsx";
import { Layout } from "../../ui/layout.tsx";
import { unitOptions, type UnitLike } from "../../organisations/views/tree.ts";
import type { PersonSummary } from "../service.ts";

export type PeopleListView = {
  items: PersonSummary[]; total: number; page: number; pages: number;
  filter: { q: string; unitId: string };
  units: UnitLike[];
  can: { manage: boolean };
};

export function pageHref(page: number, filter: { q: string; unitId: string }) {
  const p = new URLSearchParams();
  if (filter.q) p.set("q", filter.q);
  if (filter.unitId) p.set("eenheid", filter.unitId);
  if (page > 1) p.set("pagina", String(page));
  const s = p.toString();
  return `/beheer/medewerkers${s ? `?${s}` : ""}`;
}

export function PeopleListPage({ view }: { view: PeopleListView }) {
  const { t } = usePage();
  return (
    <Layout title={t("people.title")} wide>
      {view.can.manage ? (
        <div className="intact-actions">
          <ButtonLink href="/beheer/medewerkers/nieuw" appearance="primary-action-button">{t("people.add")}</ButtonLink>
          <ButtonLink href="/beheer/medewerkers/import" appearance="secondary-action-button">{t("people.import")}</ButtonLink>
        </div>
      ) : null}
      <form method="get" action="/beheer/medewerkers" className="intact-filter" role="search">
        <TextField name="q" label="people.search" value={view.filter.q} optional />
        <SelectField name="eenheid" label="people.filterUnit" value={view.filter.unitId} empty={t("people.allUnits")}
          options={unitOptions(view.units)} optional />
        <Submit label="people.searchButton" secondary />
      </form>
      {view.items.length ? (
        <div className="intact-table-wrap">
          <Table>
            <TableCaption>{t("people.listCaption", { count: view.total })}</TableCaption>
            <TableHeader><TableRow>
              <TableHeaderCell scope="col">{t("people.employeeNumber")}</TableHeaderCell>
              <TableHeaderCell scope="col">{t("people.name")}</TableHeaderCell>
              <TableHeaderCell scope="col">{t("people.unit")}</TableHeaderCell>
              <TableHeaderCell scope="col">{t("people.position")}</TableHeaderCell>
              <TableHeaderCell scope="col">{t("people.employmentType")}</TableHeaderCell>
            </TableRow></TableHeader>
            <TableBody>
              {view.items.map((p) => (
                <TableRow key={p.id}>
                  <TableCell>{p.employeeNumber}</TableCell>
                  <TableCell><Link href={`/beheer/medewerkers/${p.id}`}>{`${p.familyName}, ${p.givenName}`}</Link></TableCell>
                  <TableCell>{p.unit?.name ?? "—"}</TableCell>
                  <TableCell>{p.position ?? "—"}</TableCell>
                  <TableCell>{t(`employment.${p.employmentType}`)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      ) : <Paragraph>{t("people.none")}</Paragraph>}
      {view.pages > 1 ? (
        <nav className="intact-pagination" aria-label={t("people.pagination")}>
          {view.page > 1 ? <Link href={pageHref(view.page - 1, view.filter)} rel="prev">{t("people.previous")}</Link> : null}
          <span aria-current="page">{t("people.page", { page: view.page, pages: view.pages })}</span>
          {view.page < view.pages ? <Link href={pageHref(view.page + 1, view.filter)} rel="next">{t("people.next")}</Link> : null}
        </nav>
      ) : null}
    </Layout>
  );
}
