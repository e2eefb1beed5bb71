import { ButtonLink, Heading2, Link, Paragraph, Table, TableBody, TableCaption, TableCell, TableHeader, TableHeaderCell, TableRow } from "@utrecht/component-library-react";
import { usePage } from "../../ui/context.tsx";
import { formatDate } from "../../ui/format.ts";
import { Layout } from "../../ui/layout.tsx";
import type { Translate } from "../../ui/messages.ts";
import type { MyReport } from "../mine.ts";
import { MODES } from "../workflow.ts";
import { HUIS_VOOR_KLOKKENLUIDERS_URL, intakeUrls, MY_REPORTS, myReportUrls } from "./intake-shared.tsx";
import { MailboxContent, type MailboxContentProps } from "./mailbox.tsx";

// "Mijn meldingen": the reports a signed-in employee made, and one of them as its reporter sees it (the same
// content as the receipt mailbox, in the staff shell). Only what the reporter wrote or received is shown.

/** What the reporter can expect next, in words with the date. */
function nextStep(t: Translate, locale: "nl" | "en", r: MyReport): string {
  const date = (d: string) => formatDate(d, locale);
  if (r.closedOn) return t("mine.next.closed", { date: date(r.closedOn) });
  if (!r.acknowledgedOn) return t("mine.next.ack", { date: date(r.ackDueOn) });
  if (r.feedbackDueOn && !r.feedbackGivenOn) return t("mine.next.feedback", { date: date(r.feedbackDueOn) });
  if (r.feedbackGivenOn) return t("mine.next.feedbackGiven", { date: date(r.feedbackGivenOn) });
  return "";
}

/** The organisation's public form, for anonymous reports (after signing out), and the other ways to get help. */
function OtherRoutes({ organisation }: { organisation: { name: string; slug: string } }) {
  const { t } = usePage();
  return (
    <>
      <Heading2>{t("mine.anonymous.title")}</Heading2>
      <Paragraph>{t("mine.anonymous.text", { organisation: organisation.name })}</Paragraph>
      <Paragraph><Link href={intakeUrls(organisation.slug).start}>{t("mine.anonymous.link")}</Link></Paragraph>
      <Heading2>{t("intake.start.otherTitle")}</Heading2>
      <Paragraph>{t("mine.other.advisor", { organisation: organisation.name })}</Paragraph>
      <Paragraph>{t("intake.start.otherHuis")}</Paragraph>
      <Paragraph><Link href={HUIS_VOOR_KLOKKENLUIDERS_URL} rel="noreferrer">{t("intake.start.huisLink")}</Link></Paragraph>
    </>
  );
}

export function MyReportsPage({ reports, organisation }: { reports: MyReport[]; organisation: { name: string; slug: string } }) {
  const { t, locale } = usePage();
  return (
    <Layout title={t("mine.title")} wide>
      <Paragraph>{t("mine.intro")}</Paragraph>
      <Paragraph><ButtonLink href={`${MY_REPORTS}/nieuw`} appearance="primary-action-button">{t("mine.new")}</ButtonLink></Paragraph>
      {reports.length ? (
        <div className="intact-table-wrap">
          <Table className="intact-my-reports" data-testid="my-reports">
            <TableCaption>{t("mine.caption", { count: reports.length })}</TableCaption>
            <TableHeader><TableRow>
              <TableHeaderCell scope="col">{t("mine.col.reference")}</TableHeaderCell>
              <TableHeaderCell scope="col">{t("mine.col.organisation")}</TableHeaderCell>
              <TableHeaderCell scope="col">{t("mine.col.received")}</TableHeaderCell>
              <TableHeaderCell scope="col">{t("mine.col.mode")}</TableHeaderCell>
              <TableHeaderCell scope="col">{t("mine.col.status")}</TableHeaderCell>
              <TableHeaderCell scope="col">{t("mine.col.next")}</TableHeaderCell>
            </TableRow></TableHeader>
            <TableBody>
              {reports.map((r) => (
                <TableRow key={r.id}>
                  <TableHeaderCell scope="row"><Link href={myReportUrls(r.id).page}>{r.reference}</Link></TableHeaderCell>
                  <TableCell>{r.organisationName}</TableCell>
                  <TableCell>{formatDate(r.receivedOn, locale)}</TableCell>
                  <TableCell>{(MODES as readonly string[]).includes(r.mode) ? t(`intake.mode.${r.mode as (typeof MODES)[number]}`) : ""}</TableCell>
                  <TableCell>{t(`mailbox.status.${r.status}`, { ackDue: formatDate(r.ackDueOn, locale) })}</TableCell>
                  <TableCell>{nextStep(t, locale, r)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      ) : (
        <>
          <Heading2>{t("mine.empty.title")}</Heading2>
          <Paragraph data-testid="my-reports-empty">{t("mine.empty.text")}</Paragraph>
        </>
      )}
      <OtherRoutes organisation={organisation} />
    </Layout>
  );
}

/** One of my reports: the receipt mailbox's content, posting to /mijn-meldingen/<id>/…; the minutes (only ever on a
 *  report the desk registered, which has no account) are shown to read only. */
export function MyReportPage({ reportId, title, ...content }: MailboxContentProps & { reportId: string; title: string }) {
  const { t } = usePage();
  const urls = myReportUrls(reportId);
  return (
    <Layout title={title} caption={<span className="intact-caption__org">{content.mailbox.organisationName}</span>}>
      <Paragraph><Link href={MY_REPORTS}>{t("mine.back")}</Link></Paragraph>
      <MailboxContent {...content} actions={{ messages: urls.messages, files: urls.files, replyHint: "mine.replyHint" }} />
    </Layout>
  );
}
