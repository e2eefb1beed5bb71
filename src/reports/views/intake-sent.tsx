import { Alert, Heading2, Link, Paragraph } from "@utrecht/component-library-react";
import { usePage } from "../../ui/context.tsx";
import { formatDate } from "../../ui/format.ts";
import type { IntakeTarget } from "../intake.ts";
import { IntakeLayout, intakeUrls, type IntakeFlow } from "./intake-shared.tsx";

/** What was sent: the receipt for the public flow; for a signed-in reporter, where to follow the report instead. */
export type SentView = { reference: string; ackDueOn: string; feedbackLatestOn: string } & (
  { receiptGrouped: string; followUrl?: undefined } | { receiptGrouped?: undefined; followUrl: string }
);

/** Shown once, in the response to "Versturen": the receipt is never in a URL, a cookie or a log. There is no
 *  language switch here, because this page cannot be shown again. */
export function IntakeSentPage({ target, flow, sent, title }: { target: IntakeTarget; flow: IntakeFlow; sent: SentView; title: string }) {
  const { t, locale } = usePage();
  const urls = intakeUrls(target.organisation.slug);
  return (
    <IntakeLayout target={target} title={title} languageSwitch={null} home={flow.home}>
      {sent.receiptGrouped !== undefined ? (
        <>
          <section className="intact-receipt-panel" aria-labelledby="receipt-label">
            <p id="receipt-label" className="intact-receipt-panel__label">{t("intake.sent.codeLabel")}</p>
            <p className="intact-receipt" data-testid="receipt">{sent.receiptGrouped}</p>
          </section>
          <Alert type="warning">
            <Paragraph>{t("intake.sent.keepCode")}</Paragraph>
            <Paragraph>{t("intake.sent.keepCodeSafe")}</Paragraph>
          </Alert>
        </>
      ) : null}
      <Paragraph>{t("intake.sent.reference", { reference: sent.reference })}</Paragraph>

      <Heading2>{t("intake.sent.nextTitle")}</Heading2>
      <Paragraph>{t(sent.followUrl ? "mine.sent.ack" : "intake.sent.ack", { date: formatDate(sent.ackDueOn, locale) })}</Paragraph>
      <Paragraph>{t("intake.sent.feedback", { date: formatDate(sent.feedbackLatestOn, locale) })}</Paragraph>

      {sent.followUrl ? (
        <>
          <Heading2>{t("mine.sent.followTitle")}</Heading2>
          <Paragraph>{t("mine.sent.followText")}</Paragraph>
          <Paragraph><Link href={sent.followUrl}>{t("mine.sent.followLink")}</Link></Paragraph>
        </>
      ) : (
        <>
          <Heading2>{t("intake.sent.mailboxTitle")}</Heading2>
          <Paragraph>{t("intake.sent.mailboxText")}</Paragraph>
          <Paragraph><Link href={urls.mailbox}>{t("intake.sent.mailboxLink")}</Link></Paragraph>
        </>
      )}
    </IntakeLayout>
  );
}
