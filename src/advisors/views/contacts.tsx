import {
  ButtonLink, DataList, DataListItem, DataListKey, DataListValue, Heading2, Link, Paragraph, Table, TableBody, TableCaption, TableCell,
  TableHeader, TableHeaderCell, TableRow,
} from "@utrecht/component-library-react";
import { usePage } from "../../ui/context.tsx";
import { Layout } from "../../ui/layout.tsx";
import type { ContactListItem } from "../service.ts";
import { day, hours, natureLabel } from "./labels.ts";

// The advisor's overview (UX.md): "Contact registreren" first, then the open contacts, then this year's
// figures. Closed contacts are one link away (?status=closed), so the first page stays short.

export type Figures = { year: number; contacts: number; people: number; open: number; minutes: number };

function ContactTable({ items, closed }: { items: ContactListItem[]; closed: boolean }) {
  const { t, locale } = usePage();
  const multiOrg = new Set(items.map((i) => i.contact.organisation_id)).size > 1;
  return (
    <div className="intact-table-wrap">
      <Table>
        <TableCaption>{t(closed ? "contacts.closed.caption" : "contacts.open.caption", { count: items.length })}</TableCaption>
        <TableHeader><TableRow>
          <TableHeaderCell scope="col">{t("contacts.col.date")}</TableHeaderCell>
          {multiOrg ? <TableHeaderCell scope="col">{t("contacts.col.organisation")}</TableHeaderCell> : null}
          <TableHeaderCell scope="col">{t("contacts.col.natures")}</TableHeaderCell>
          <TableHeaderCell scope="col">{t("contacts.col.people")}</TableHeaderCell>
          {closed ? <TableHeaderCell scope="col">{t("contacts.col.closedOn")}</TableHeaderCell> : null}
        </TableRow></TableHeader>
        <TableBody>
          {items.map(({ contact: c, organisationName, natures }) => (
            <TableRow key={c.id}>
              <TableHeaderCell scope="row">
                <Link href={`/contacten/${c.id}`}><time dateTime={c.contact_on}>{day(c.contact_on, locale)}</time></Link>
              </TableHeaderCell>
              {multiOrg ? <TableCell>{organisationName}</TableCell> : null}
              <TableCell>{natures.map((n) => natureLabel(n, locale)).join(", ")}</TableCell>
              <TableCell>{c.people}</TableCell>
              {closed ? <TableCell>{c.closed_on ? <time dateTime={c.closed_on}>{day(c.closed_on, locale)}</time> : null}</TableCell> : null}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

export function ContactsPage({ items, figures, status, canRegister }: { items: ContactListItem[]; figures: Figures; status: "open" | "closed"; canRegister: boolean }) {
  const { t, locale } = usePage();
  if (status === "closed") {
    return (
      <Layout title={t("contacts.closedTitle")} wide>
        <Paragraph><Link href="/contacten">{t("contacts.closed.back")}</Link></Paragraph>
        {items.length ? <ContactTable items={items} closed /> : <Paragraph>{t("contacts.closed.empty")}</Paragraph>}
      </Layout>
    );
  }
  return (
    <Layout title={t("contacts.title")} wide>
      {canRegister ? <Paragraph><ButtonLink href="/contacten/nieuw" appearance="primary-action-button">{t("contacts.register")}</ButtonLink></Paragraph> : null}
      <Paragraph>{t("contacts.intro")}</Paragraph>

      <section aria-labelledby="open-contacten" className="intact-case-section">
        <Heading2 id="open-contacten">{t("contacts.open.title")}</Heading2>
        {items.length ? <ContactTable items={items} closed={false} /> : <Paragraph>{t("contacts.open.empty")}</Paragraph>}
        <Paragraph><Link href="/contacten?status=closed">{t("contacts.closed.link")}</Link></Paragraph>
      </section>

      <section aria-labelledby="mijn-cijfers" className="intact-case-section">
        <Heading2 id="mijn-cijfers">{t("contacts.figures.title", { year: figures.year })}</Heading2>
        <Paragraph>{t("contacts.figures.intro")}</Paragraph>
        <DataList className="intact-datalist" data-testid="figures">
          <DataListItem><DataListKey>{t("contacts.figures.contacts")}</DataListKey><DataListValue>{figures.contacts}</DataListValue></DataListItem>
          <DataListItem><DataListKey>{t("contacts.figures.people")}</DataListKey><DataListValue>{figures.people}</DataListValue></DataListItem>
          <DataListItem><DataListKey>{t("contacts.figures.open")}</DataListKey><DataListValue>{figures.open}</DataListValue></DataListItem>
          <DataListItem><DataListKey>{t("contacts.figures.hours")}</DataListKey><DataListValue>{hours(figures.minutes, locale)}</DataListValue></DataListItem>
        </DataList>
      </section>
    </Layout>
  );
}
