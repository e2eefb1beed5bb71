import { Alert, Heading2, Link, Paragraph } from "@utrecht/component-library-react";
import { usePage } from "../../ui/context.tsx";
import { formatDate } from "../../ui/format.ts";
import { Form, RadioGroupField, SelectField, Submit, TextAreaField, TextField } from "../../ui/forms.tsx";
import { daysBetween, today } from "../deadlines.ts";
import { RETENTION_WARNING_DAYS } from "../retention.ts";
import type { CasePageProps } from "./case.tsx";
import { dayInstant } from "./case-labels.ts";

// The parts of the case page about the file as a whole: the dossier, the retention date, sharing the
// reporter's identity and excluding people involved.

export function DossierLink({ view, base }: Pick<CasePageProps, "view" | "base">) {
  const { t } = usePage();
  return <Paragraph><Link href={`${base}/${view.report.id}/dossier`}>{t("caseExtra.dossier")}</Link></Paragraph>;
}

/** From 30 days before the destruction date a warning; before that, the date as a plain fact. */
export function RetentionNotice({ view }: Pick<CasePageProps, "view">) {
  const { t, locale } = usePage();
  const until = view.report.retain_until;
  if (!until) return null;
  const date = formatDate(dayInstant(until), locale);
  return daysBetween(today(), until) <= RETENTION_WARNING_DAYS
    ? <Alert type="warning"><Paragraph>{t("caseExtra.retention", { date })}</Paragraph></Alert>
    : <Paragraph>{t("caseExtra.retentionUntil", { date })}</Paragraph>;
}

function own(props: CasePageProps, kind: "disclose" | "exclude" | "handOver") {
  const mine = props.form?.kind === kind;
  return { errors: mine ? props.errors ?? {} : {}, values: (mine ? props.values ?? {} : {}) as Record<string, unknown> };
}
const s = (v: unknown) => (typeof v === "string" ? v : "");

export function DisclosureSection(props: CasePageProps) {
  const { t } = usePage();
  const { view, base } = props;
  if (!view.can.handle || !view.identity) return null;
  const { errors, values } = own(props, "disclose");
  const people = [...view.assignable.investigators, ...view.assignable.coordinators]
    .filter((p, i, all) => all.findIndex((q) => q.id === p.id) === i && p.id !== props.view.report.coordinator_account_id);
  return (
    <section id="identiteit-delen" aria-labelledby="identiteit-delen-title" className="intact-case-section">
      <Heading2 id="identiteit-delen-title">{t("caseExtra.disclose.title")}</Heading2>
      <Form action={`${base}/${view.report.id}/identiteit`}>
        <Paragraph>{t("caseExtra.disclose.intro")}</Paragraph>
        <SelectField name="disclose.accountId" label="caseExtra.disclose.account" errors={errors} value={s(values["disclose.accountId"]) || view.report.investigator_account_id}
          empty="" options={people.map((p) => ({ value: p.id, label: p.name }))} />
        <RadioGroupField name="disclose.basis" legend="caseExtra.disclose.basis" errors={errors} value={s(values["disclose.basis"])}
          options={[{ value: "consent", label: t("caseExtra.disclose.consent") }, { value: "legal_ground", label: t("caseExtra.disclose.legalGround") }]} />
        <TextAreaField name="disclose.reason" label="caseExtra.disclose.reason" hint="caseExtra.disclose.reasonHint" errors={errors} value={s(values["disclose.reason"])} rows={3} />
        <div className="intact-actions"><Submit label="caseExtra.disclose.submit" secondary /></div>
      </Form>
    </section>
  );
}

export function ExclusionSection(props: CasePageProps) {
  const { t } = usePage();
  const { view, base } = props;
  if (!view.can.handle) return null;
  const { errors, values } = own(props, "exclude");
  return (
    <section id="uitsluiten" aria-labelledby="uitsluiten-title" className="intact-case-section">
      <Heading2 id="uitsluiten-title">{t("caseExtra.exclude.title")}</Heading2>
      <Form action={`${base}/${view.report.id}/uitsluiten`}>
        <Paragraph>{t("caseExtra.exclude.intro")}</Paragraph>
        <TextField name="exclude.email" type="email" label="caseExtra.exclude.email" errors={errors} value={s(values["exclude.email"])} autoComplete="off" />
        <div className="intact-actions"><Submit label="caseExtra.exclude.submit" secondary /></div>
      </Form>
    </section>
  );
}

/** A desk case that turns out to be about a handler goes to the alternative recipient (handover.ts). */
export function HandOverSection(props: CasePageProps) {
  const { t, actor } = usePage();
  const { view, base } = props;
  if (!view.can.handle || view.report.routing !== "desk") return null;
  const { errors, values } = own(props, "handOver");
  const recipient = view.alternativeRecipient;
  return (
    <section id="overdragen" aria-labelledby="overdragen-title" className="intact-case-section">
      <Heading2 id="overdragen-title">{t("caseExtra.handOver.title")}</Heading2>
      {recipient && recipient.id === actor?.accountId ? <Paragraph>{t("report.handOverSelf")}</Paragraph> : recipient ? (
        <Form action={`${base}/${view.report.id}/overdragen`}>
          <Paragraph>{t("caseExtra.handOver.intro", { name: recipient.name })}</Paragraph>
          <input type="hidden" name="version" value={String(view.report.version)} />
          <TextAreaField name="handOver.reason" label="caseExtra.handOver.reason" hint="caseExtra.handOver.reasonHint" errors={errors} value={s(values["handOver.reason"])} rows={3} />
          <div className="intact-actions"><Submit label="caseExtra.handOver.submit" secondary /></div>
        </Form>
      ) : <Paragraph>{t("caseExtra.handOver.noRecipient")}</Paragraph>}
    </section>
  );
}
