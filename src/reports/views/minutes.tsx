import { Alert, Heading2, Heading3, Link, Paragraph } from "@utrecht/component-library-react";
import type { FieldErrors } from "../../http/errors.ts";
import { usePage } from "../../ui/context.tsx";
import { formatDate } from "../../ui/format.ts";
import { ErrorSummary, Form, Submit, TextAreaField, TextField } from "../../ui/forms.tsx";
import type { MessageKey, Translate } from "../../ui/messages.ts";
import type { IntakeTarget } from "../intake.ts";
import { currentMinutes, type Minutes } from "../minutes.ts";
import type { CasePageProps } from "./case.tsx";
import { dayInstant } from "./case-labels.ts";
import { IntakeLayout, intakeUrls } from "./intake-shared.tsx";

// The minutes of an oral report: in the reporter's mailbox (read, approve, or say what is wrong) and on
// the case page (their state, a new version, an approval given outside Intact).

export const minutesUrls = (slug: string) => ({
  correct: `${intakeUrls(slug).mailbox}/verslag`,
  approve: `${intakeUrls(slug).mailbox}/verslag/goedkeuren`,
});

const day = (d: string, locale: "nl" | "en") => formatDate(dayInstant(d), locale);

function MinutesText({ minutes, t, locale }: { minutes: Minutes; t: Translate; locale: "nl" | "en" }) {
  return (
    <div className="intact-message intact-message--desk">
      <p className="intact-message__meta">{t("minutes.version", { version: minutes.version, date: formatDate(minutes.recordedAt, locale) })}</p>
      <div className="intact-message__body" data-testid="minutes">{minutes.body}</div>
    </div>
  );
}

/** In the mailbox: the minutes in force, and while they wait for approval the two answers (where the page has
 *  addresses for them; without, the minutes are shown to read only). */
export function MailboxMinutes({ urls, minutes, closed }: { urls?: { correct: string; approve: string }; minutes: Minutes; closed: boolean }) {
  const { t, locale } = usePage();
  return (
    <section aria-labelledby="verslag">
      <Heading2 id="verslag">{t("minutes.mailbox.title")}</Heading2>
      <Paragraph>{t("minutes.mailbox.intro")}</Paragraph>
      <MinutesText minutes={minutes} t={t} locale={locale} />
      {minutes.state === "approved" && minutes.approvedOn ? (
        <Paragraph data-testid="minutes-state">{t("minutes.mailbox.approved", { date: day(minutes.approvedOn, locale) })}</Paragraph>
      ) : minutes.state === "corrected" && minutes.correctedOn ? (
        <Paragraph data-testid="minutes-state">{t("minutes.mailbox.corrected", { date: day(minutes.correctedOn, locale) })}</Paragraph>
      ) : minutes.state === "pending" && !closed && urls ? (
        <div className="intact-actions">
          <Form action={urls.approve} className="intact-inline-form">
            <input type="hidden" name="version" value={String(minutes.version)} />
            <Submit label="minutes.approve" />
          </Form>
          <Link href={urls.correct}>{t("minutes.wrong")}</Link>
        </div>
      ) : null}
    </section>
  );
}

/** "Er klopt iets niet": the minutes once more, and what the reporter wants changed, as a message to the desk. */
export function MinutesCorrectionPage({ target, minutes, title, errors, body }: {
  target: IntakeTarget; minutes: Minutes; title: string; errors: FieldErrors; body?: string;
}) {
  const { t, locale } = usePage();
  const slug = target.organisation.slug;
  return (
    <IntakeLayout target={target} title={title} caption={<span className="intact-caption__org">{target.organisation.name}</span>}>
      <Paragraph><Link href={intakeUrls(slug).messages}>{t("minutes.correct.back")}</Link></Paragraph>
      <Paragraph>{t("minutes.correct.intro")}</Paragraph>
      <Heading2>{t("minutes.correct.current")}</Heading2>
      <MinutesText minutes={minutes} t={t} locale={locale} />
      <Form action={minutesUrls(slug).correct}>
        <ErrorSummary errors={errors} labels={{ body: "minutes.correct.label" }} />
        <input type="hidden" name="version" value={String(minutes.version)} />
        <TextAreaField name="body" label="minutes.correct.label" rows={8} value={body} errors={errors} />
        <div className="intact-actions"><Submit label="minutes.correct.submit" /></div>
      </Form>
    </IntakeLayout>
  );
}

/** The case page's fields of the minutes forms, for its error summary. */
export const MINUTES_FIELD_LABELS: Record<string, MessageKey> = {
  "minutes.body": "minutes.case.body", "minutesApproval.approvedOn": "minutes.case.approvedOn",
};

/** On the case page: the minutes in force and their state; for the desk a new version and an approval given outside Intact. */
export function CaseMinutesSection(props: CasePageProps) {
  const { t, locale } = usePage();
  const { view, base } = props;
  const minutes = currentMinutes(view.timeline);
  if (!minutes) return null;
  const r = view.report;
  const mine = (kind: string) => props.form?.kind === kind;
  const errors = (kind: string) => (mine(kind) ? props.errors ?? {} : {});
  const value = (kind: string, name: string) => (mine(kind) && typeof props.values?.[name] === "string" ? (props.values[name] as string) : undefined);
  const correction = minutes.correctionId ? view.timeline.find((e) => e.id === minutes.correctionId) : undefined;
  const correctionText = (correction?.sealed as { body?: string } | null)?.body;
  const open = view.can.handle && r.status !== "closed";
  const state = minutes.state === "approved" && minutes.approvedOn
    ? t(minutes.approvedVia === "desk" ? "minutes.case.approvedOutside" : "minutes.case.approved", { date: day(minutes.approvedOn, locale) })
    : minutes.state === "corrected" && minutes.correctedOn ? t("minutes.case.corrected", { date: day(minutes.correctedOn, locale) })
      : t("minutes.case.pending");
  return (
    <section id="verslag" aria-labelledby="verslag-title" className="intact-case-section">
      <Heading2 id="verslag-title">{t("minutes.case.title")}</Heading2>
      <Paragraph>{t("minutes.case.intro")}</Paragraph>
      <Paragraph data-testid="minutes-state"><strong>{t("minutes.case.state")}:</strong> {state}</Paragraph>
      <MinutesText minutes={minutes} t={t} locale={locale} />
      {minutes.state === "corrected" && correctionText ? (
        <>
          <Heading3>{t("minutes.case.correction")}</Heading3>
          <div className="intact-message"><div className="intact-message__body" data-testid="minutes-correction">{correctionText}</div></div>
        </>
      ) : null}
      {minutes.state === "pending" && !r.receipt_hash && open ? <Alert type="info"><Paragraph>{t("minutes.case.noMailbox")}</Paragraph></Alert> : null}
      {r.status === "closed" ? <Paragraph>{t("minutes.closed")}</Paragraph> : null}
      {open ? (
        <div className="intact-step">
          <Heading3>{t("minutes.case.reviseTitle")}</Heading3>
          <Form action={`${base}/${r.id}/verslag`}>
            <TextAreaField name="minutes.body" label="minutes.case.body" hint="minutes.case.bodyHint" rows={10}
              value={value("minutes", "minutes.body") ?? minutes.body} errors={errors("minutes")} />
            <div className="intact-actions"><Submit label="minutes.case.revise" secondary /></div>
          </Form>
        </div>
      ) : null}
      {open && minutes.state === "pending" ? (
        <div className="intact-step">
          <Heading3>{t("minutes.case.approvalTitle")}</Heading3>
          <Form action={`${base}/${r.id}/verslag/goedkeuring`}>
            <Paragraph>{t("minutes.case.approvalIntro")}</Paragraph>
            <input type="hidden" name="minutesApproval.version" value={String(minutes.version)} />
            <TextField name="minutesApproval.approvedOn" label="minutes.case.approvedOn" hint="minutes.case.approvedOnHint" type="date" width="short"
              value={value("minutesApproval", "minutesApproval.approvedOn")} errors={errors("minutesApproval")} />
            <div className="intact-actions"><Submit label="minutes.case.recordApproval" secondary /></div>
          </Form>
        </div>
      ) : null}
    </section>
  );
}
