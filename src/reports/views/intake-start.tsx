import { Alert, Heading2, Link, Paragraph, UnorderedList, UnorderedListItem } from "@utrecht/component-library-react";
import { usePage } from "../../ui/context.tsx";
import { Form, Submit } from "../../ui/forms.tsx";
import type { MessageKey } from "../../ui/messages.ts";
import type { IntakeTarget } from "../intake.ts";
import { MODES } from "../workflow.ts";
import { HUIS_VOOR_KLOKKENLUIDERS_URL, IntakeLayout, intakeUrls } from "./intake-shared.tsx";

/** Step 1 of the reporter's path: what can be reported, who reads it, protection, the three ways to be known, other routes. */
export function IntakeStartPage({ target, title, notice }: { target: IntakeTarget; title: string; notice?: MessageKey }) {
  const { t, locale } = usePage();
  const organisation = target.organisation.name;
  const urls = intakeUrls(target.organisation.slug);
  return (
    <IntakeLayout target={target} title={title}>
      {notice ? <Alert type="warning" role="alert"><Paragraph>{t(notice)}</Paragraph></Alert> : null}
      <Paragraph appearance="lead">{t("intake.start.intro", { organisation })}</Paragraph>

      <Heading2>{t("intake.start.whatTitle")}</Heading2>
      <Paragraph>{t("intake.start.whatIntro")}</Paragraph>
      <UnorderedList>
        {target.categories.map((c) => <UnorderedListItem key={c.id}>{locale === "en" ? c.label_en : c.label_nl}</UnorderedListItem>)}
      </UnorderedList>
      <Paragraph>{t("intake.start.whatNot", { organisation })}</Paragraph>

      <Heading2>{t("intake.start.whoTitle")}</Heading2>
      <Paragraph>{t("intake.start.whoText", { organisation })}</Paragraph>

      <Heading2>{t("intake.start.protectTitle")}</Heading2>
      <UnorderedList>
        <UnorderedListItem>{t("intake.start.protectLaw")}</UnorderedListItem>
        <UnorderedListItem>{t("intake.start.protectName")}</UnorderedListItem>
        <UnorderedListItem>{t("intake.start.protectData")}</UnorderedListItem>
      </UnorderedList>

      <Heading2>{t("intake.start.modesTitle")}</Heading2>
      <Paragraph>{t("intake.start.modesIntro")}</Paragraph>
      <dl className="intact-modes">
        {MODES.map((m) => (
          <div key={m} className="intact-modes__item">
            <dt>{t(`intake.mode.${m}`)}</dt>
            <dd>{t(`intake.mode.${m}Hint`)}</dd>
          </div>
        ))}
      </dl>

      <Heading2>{t("intake.start.afterTitle")}</Heading2>
      <Paragraph>{t("intake.start.afterText")}</Paragraph>

      <Heading2>{t("intake.start.safetyTitle")}</Heading2>
      <Paragraph>{t("intake.start.safetyText")}</Paragraph>

      <Paragraph>{t("intake.start.time")}</Paragraph>
      <Form action={urls.step}>
        <input type="hidden" name="nav" value="start" />
        <div className="intact-actions"><Submit label="intake.start.button" /></div>
      </Form>

      <Heading2>{t("intake.start.otherTitle")}</Heading2>
      <Paragraph>{t("intake.start.otherAdvisor", { organisation })}</Paragraph>
      <Paragraph>{t("intake.start.otherHuis")}</Paragraph>
      <Paragraph><Link href={HUIS_VOOR_KLOKKENLUIDERS_URL} rel="noreferrer">{t("intake.start.huisLink")}</Link></Paragraph>

      <Heading2>{t("intake.start.mailboxTitle")}</Heading2>
      <Paragraph><Link href={urls.mailbox}>{t("intake.start.mailboxLink")}</Link></Paragraph>
    </IntakeLayout>
  );
}
