import { Alert, DataList, DataListItem, DataListKey, DataListValue, Heading2, Link, Paragraph } from "@utrecht/component-library-react";
import type { FieldErrors } from "../../http/errors.ts";
import { usePage } from "../../ui/context.tsx";
import { formatDate, formatDateTime } from "../../ui/format.ts";
import { ErrorSummary, Form, Submit, TextAreaField, TextField } from "../../ui/forms.tsx";
import type { MessageKey } from "../../ui/messages.ts";
import type { IntakeTarget, Mailbox } from "../intake.ts";
import { MailboxFileForm, MailboxFiles, type AttachmentLimits } from "./attachments.tsx";
import { IntakeLayout, intakeUrls } from "./intake-shared.tsx";
import { MailboxMinutes, minutesUrls } from "./minutes.tsx";

/** The receipt form: the code goes in the POST body only, never in a link. */
export function MailboxLoginPage({ target, title, errors, receipt }: { target: IntakeTarget; title: string; errors: FieldErrors; receipt?: string }) {
  const { t } = usePage();
  const urls = intakeUrls(target.organisation.slug);
  return (
    <IntakeLayout target={target} title={title} caption={<span className="intact-caption__org">{target.organisation.name}</span>}>
      <Paragraph>{t("mailbox.login.intro")}</Paragraph>
      <Form action={urls.mailbox}>
        <ErrorSummary errors={errors} labels={{ receipt: "mailbox.login.receipt" }} />
        {/* autocomplete off: the code must not end up in the browser's form history. */}
        <TextField name="receipt" label="mailbox.login.receipt" hint="mailbox.login.receiptHint" inputMode="numeric" autoComplete="off"
          value={receipt} errors={errors} />
        <div className="intact-actions"><Submit label="mailbox.login.submit" /></div>
      </Form>
      <Heading2>{t("mailbox.login.lostTitle")}</Heading2>
      <Paragraph>{t("mailbox.login.lost")}</Paragraph>
      <Paragraph><Link href={urls.start}>{t("mailbox.login.newReport")}</Link></Paragraph>
    </IntakeLayout>
  );
}

/** Where the reporter's forms post: the receipt mailbox (/melden/<slug>/postbus/…) or "Mijn meldingen" (/mijn-meldingen/<id>/…). */
export type MailboxActions = {
  messages: string; files: string;
  /** The minutes' answers; without them the minutes are shown to read only. */
  minutes?: { correct: string; approve: string };
  /** The reply field's hint (the receipt mailbox warns an anonymous reporter). */
  replyHint?: MessageKey;
};

export type MailboxContentProps = {
  mailbox: Mailbox; errors: FieldErrors; body?: string;
  /** The "send a file" form: the limits, and its own errors (apart from the reply form's). */
  files?: { limits: AttachmentLimits; errors?: FieldErrors; params?: Record<string, string | number> };
};

/** The reporter's view of the case: the status in words, the dates, the minutes, the messages both ways, a reply
 *  form and a file form. The receipt mailbox and "Mijn meldingen" show exactly this, each in its own shell. */
export function MailboxContent({ mailbox, errors, body, files, actions }: MailboxContentProps & { actions: MailboxActions }) {
  const { t, locale } = usePage();
  const date = (d: string) => formatDate(d, locale);
  const closed = mailbox.status === "closed";
  return (
    <>
      <Heading2>{t("mailbox.statusTitle")}</Heading2>
      <Paragraph data-testid="mailbox-status">
        {t(`mailbox.status.${mailbox.status}`, { ackDue: date(mailbox.ackDueOn) })}
        {!closed && mailbox.feedbackDueOn && !mailbox.feedbackGivenOn ? <> {t("mailbox.feedbackDue", { date: date(mailbox.feedbackDueOn) })}</> : null}
      </Paragraph>

      <Heading2>{t("mailbox.datesTitle")}</Heading2>
      <DataList className="intact-datalist">
        <DataListItem><DataListKey>{t("mailbox.receivedOn")}</DataListKey><DataListValue>{date(mailbox.receivedOn)}</DataListValue></DataListItem>
        <DataListItem>
          <DataListKey>{t("mailbox.ack")}</DataListKey>
          <DataListValue>{mailbox.acknowledgedOn ? t("mailbox.givenOn", { date: date(mailbox.acknowledgedOn) }) : t("mailbox.dueOn", { date: date(mailbox.ackDueOn) })}</DataListValue>
        </DataListItem>
        <DataListItem>
          <DataListKey>{t("mailbox.feedback")}</DataListKey>
          <DataListValue>
            {mailbox.feedbackGivenOn ? t("mailbox.givenOn", { date: date(mailbox.feedbackGivenOn) })
              : mailbox.feedbackDueOn ? t("mailbox.dueOn", { date: date(mailbox.feedbackDueOn) }) : t("mailbox.feedbackAfterAck")}
          </DataListValue>
        </DataListItem>
        {mailbox.closedOn ? (
          <DataListItem><DataListKey>{t("mailbox.closedOn")}</DataListKey><DataListValue>{date(mailbox.closedOn)}</DataListValue></DataListItem>
        ) : null}
      </DataList>

      {mailbox.minutes ? <MailboxMinutes urls={actions.minutes} minutes={mailbox.minutes} closed={closed} /> : null}

      <Heading2>{t("mailbox.messagesTitle")}</Heading2>
      {mailbox.messages.length ? (
        <ol className="intact-messages" data-testid="messages">
          {mailbox.messages.map((m) => (
            <li key={m.id} className={m.from === "desk" ? "intact-message intact-message--desk" : "intact-message"}>
              <p className="intact-message__meta">
                <span>{m.from === "desk" ? t("mailbox.fromDesk", { organisation: mailbox.organisationName }) : t("mailbox.fromReporter")}</span>
                {" — "}<time dateTime={m.at}>{formatDateTime(m.at, locale)}</time>
                {m.acknowledgement ? <> — {t("mailbox.isAck")}</> : m.feedback ? <> — {t("mailbox.isFeedback")}</> : null}
              </p>
              {m.files ? <MailboxFiles files={m.files} /> : <div className="intact-message__body">{m.body}</div>}
            </li>
          ))}
        </ol>
      ) : <Paragraph>{t("mailbox.noMessages")}</Paragraph>}

      <Heading2 id="bericht">{t("mailbox.replyTitle")}</Heading2>
      {closed ? (
        <Alert type="info"><Paragraph>{t("mailbox.closedText")}</Paragraph></Alert>
      ) : (
        <Form action={actions.messages}>
          <ErrorSummary errors={errors} labels={{ body: "mailbox.replyLabel" }} />
          <TextAreaField name="body" label="mailbox.replyLabel" hint={actions.replyHint ?? "mailbox.replyHint"} rows={8} value={body} errors={errors} />
          <div className="intact-actions"><Submit label="mailbox.replySubmit" /></div>
        </Form>
      )}
      {!closed && files ? <MailboxFileForm action={actions.files} errors={files.errors ?? {}} params={files.params} limits={files.limits} /> : null}
    </>
  );
}

/** The receipt mailbox: the reporter's view of the case in the public shell, with a sign-out. */
export function MailboxPage({ target, mailbox, title, errors, body, files }: { target: IntakeTarget; title: string } & MailboxContentProps) {
  const { t } = usePage();
  const urls = intakeUrls(target.organisation.slug);
  return (
    <IntakeLayout target={target} title={title} caption={<span className="intact-caption__org">{mailbox.organisationName}</span>}>
      <div className="intact-signout">
        <Paragraph>{t("mailbox.signOutText")}</Paragraph>
        <Form action={urls.signOut} className="intact-inline-form">
          <Submit label="mailbox.signOut" secondary />
        </Form>
      </div>
      <MailboxContent mailbox={mailbox} errors={errors} body={body} files={files}
        actions={{ messages: urls.messages, files: urls.files, minutes: minutesUrls(target.organisation.slug) }} />
    </IntakeLayout>
  );
}
