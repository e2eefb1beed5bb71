import { Alert, DataList, Heading2, Link, Paragraph } from "@utrecht/component-library-react";
import type { FieldErrors } from "../../http/errors.ts";
import { usePage } from "../../ui/context.tsx";
import { formatDate, formatDateTime } from "../../ui/format.ts";
import { CheckboxField, ErrorSummary, FileField, Form, SelectField, Submit, TextAreaField, TextField } from "../../ui/forms.tsx";
import { Layout } from "../../ui/layout.tsx";
import type { MessageKey } from "../../ui/messages.ts";
import { DataItem, PageSection } from "../../ui/sections.tsx";
import { ACCEPT, formatSize } from "../../reports/views/attachments.tsx";
import type { NoteFile } from "../note-files.ts";
import type { ContactView } from "../service.ts";
import { day, natureLabel, vocabularyLabel } from "./labels.ts";

// One contact, for its advisor only (anyone else gets 404 before this renders): the counts, the advisor's own
// notes with a form for a new one, and closing, which starts the clock on the notes.

export type ContactPageProps = {
  view: ContactView;
  /** What the page may offer: set by the route from the actor's permissions and the contact's state. */
  can: { note: boolean; close: boolean };
  /** The organisation's notes retention, in months (advisor_settings), and the day closing today would destroy them. */
  retention: { months: number; destroyOn: string };
  /** True when the actor is the recorded successor, not the advisor who registered the contact. */
  successor: boolean;
  /** For the contact's own advisor: who could take it over, and who has (null: none yet). */
  successors: { options: { id: string; name: string }[]; current: string | null } | null;
  errors?: FieldErrors;
  values?: Record<string, string>;
  /** A refused action (409): shown in an alert above everything else. */
  problem?: MessageKey | null;
  /** What the note form says about files: how many with one note, and how large each may be (MB). */
  limits: { count: number; file: number };
  /** The placeholders of a refused file's message (the limit, the file's name). */
  fileProblem?: Record<string, string | number>;
};

const FIELD_LABELS: Record<string, MessageKey> = {
  "note.body": "contacts.notes.body", "note.files": "contacts.notes.files", "successor.accountId": "contacts.successor.account", "successor.consentOn": "contacts.successor.consentOn",
  "successor.consent": "contacts.successor.consent", "link.reference": "contacts.link.reference", "link.consentOn": "contacts.link.consentOn",
  "link.consent": "contacts.link.consent",
};

/** A note's files: each name a download link, with its size. */
function NoteFiles({ contactId, files }: { contactId: string; files: NoteFile[] }) {
  const { t, locale } = usePage();
  return (
    <ul className="intact-files" aria-label={t("contacts.notes.filesList")}>
      {files.map((f) => (
        <li key={f.id} className="intact-files__item">
          <a href={`/contacten/${contactId}/bestanden/${f.id}`} download className="utrecht-link">
            <span className="intact-files__name">{f.name}</span><span className="intact-visually-hidden"> ({t("contacts.notes.download")})</span>
          </a> <span className="intact-files__size">({formatSize(f.size, locale)})</span>
        </li>
      ))}
    </ul>
  );
}

export function ContactPage({ view, can, retention, successor, successors, errors = {}, values = {}, problem, limits, fileProblem }: ContactPageProps) {
  const { t, locale } = usePage();
  const c = view.contact;
  const title = t("contacts.view.title", { date: day(c.contact_on, locale) });
  return (
    <Layout title={title}>
      <Paragraph><Link href="/contacten">{t("contacts.back")}</Link></Paragraph>
      {problem ? (
        <Alert type="error" role="alert">
          <Heading2>{t("contacts.view.problem")}</Heading2>
          <Paragraph>{t(problem)}</Paragraph>
        </Alert>
      ) : null}
      <ErrorSummary errors={errors} labels={FIELD_LABELS} params={fileProblem} />
      {successor ? <Paragraph>{t("contacts.view.successor")}</Paragraph> : null}

      <PageSection id="gegevens" title={t("contacts.view.details")}>
        <DataList className="intact-datalist">
          <DataItem label={t("contacts.item.date")}><time dateTime={c.contact_on}>{day(c.contact_on, locale)}</time></DataItem>
          <DataItem label={t("contacts.item.organisation")}>{view.organisationName}</DataItem>
          <DataItem label={t("contacts.item.unit")}>{view.unitName ?? t("contacts.notGiven")}</DataItem>
          <DataItem label={t("contacts.item.relation")}>{vocabularyLabel(t, "advisor.relation", c.relation)}</DataItem>
          <DataItem label={t("contacts.item.people")}>{c.people}</DataItem>
          <DataItem label={t("contacts.item.natures")}>
            <ul className="intact-plain-list">{view.natures.map((n) => <li key={n.code}>{natureLabel(n, locale)}</li>)}</ul>
          </DataItem>
          <DataItem label={t("contacts.item.form")}>{vocabularyLabel(t, "advisor.form", c.form)}</DataItem>
          <DataItem label={t("contacts.item.conversations")}>{c.conversations}</DataItem>
          <DataItem label={t("contacts.item.minutes")}>{t("contacts.minutes", { minutes: c.minutes })}</DataItem>
          <DataItem label={t("contacts.item.followUp")}>{vocabularyLabel(t, "advisor.followUp", c.follow_up)}</DataItem>
          <DataItem label={t("contacts.item.status")}>
            <strong>{c.status === "closed" && c.closed_on ? t("contacts.status.closed", { date: day(c.closed_on, locale) }) : t("contacts.status.open")}</strong>
          </DataItem>
        </DataList>
        <Paragraph><Link href="/contacten/nieuw">{t("contacts.view.another")}</Link></Paragraph>
      </PageSection>

      <PageSection id="notities" title={t("contacts.notes.title")}>
        {c.notes_destroyed_at ? (
          <Paragraph>{t("contacts.notes.destroyed", { date: formatDate(c.notes_destroyed_at, locale) })}</Paragraph>
        ) : (
          <>
            <Paragraph>{t("contacts.notes.intro")}</Paragraph>
            {c.notes_destroy_on ? <Paragraph>{t("contacts.notes.destroyOn", { date: day(c.notes_destroy_on, locale) })}</Paragraph> : null}
            {view.notes.length ? (
              <ol className="intact-timeline" aria-label={t("contacts.notes.list")}>
                {view.notes.map((n) => (
                  <li key={n.id} className="intact-entry intact-entry--note">
                    <p className="intact-entry__meta">
                      <time dateTime={n.createdAt}>{formatDateTime(n.createdAt, locale)}</time>
                      {n.mine ? null : <>, {t("contacts.notes.byPredecessor")}</>}
                    </p>
                    {n.body ? <Paragraph className="intact-multiline">{n.body}</Paragraph> : null}
                    {n.files.length ? <NoteFiles contactId={c.id} files={n.files} /> : null}
                  </li>
                ))}
              </ol>
            ) : <Paragraph>{t("contacts.notes.empty")}</Paragraph>}
            {can.note ? (
              // Multipart, so the files go with the text in one press (no JavaScript needed); text, files or both.
              <Form action={`/contacten/${c.id}/notities`} multipart>
                <TextAreaField name="note.body" label="contacts.notes.body" hint="contacts.notes.bodyHint" optional value={values["note.body"]} errors={errors} rows={5} />
                <Paragraph>{t("contacts.notes.filesLimits", { count: limits.count, file: limits.file })}</Paragraph>
                {fileProblem?.file ? <Paragraph>{t("contacts.notes.fileRefused", { file: fileProblem.file })}</Paragraph> : null}
                <FileField name="note.files" label="contacts.notes.files" hint="contacts.notes.filesHint" optional multiple accept={ACCEPT}
                  errors={errors} params={fileProblem} />
                <div className="intact-actions"><Submit label="contacts.notes.save" secondary /></div>
              </Form>
            ) : null}
          </>
        )}
      </PageSection>

      {c.follow_up === "formal_complaint_or_report" ? (
        <PageSection id="melding" title={t("contacts.link.title")}>
          {view.linkedReference && c.consent_on ? (
            <Paragraph>{t("contacts.link.current", { reference: view.linkedReference, date: day(c.consent_on, locale) })}</Paragraph>
          ) : (
            <Form action={`/contacten/${c.id}/melding`}>
              <Paragraph>{t("contacts.link.intro")}</Paragraph>
              <TextField name="link.reference" label="contacts.link.reference" value={values["link.reference"]} errors={errors} width="short" autoComplete="off" />
              <TextField name="link.consentOn" label="contacts.link.consentOn" type="date" value={values["link.consentOn"]} errors={errors} width="short" />
              <CheckboxField name="link.consent" label="contacts.link.consent" checked={!!values["link.consent"]} errors={errors} />
              <div className="intact-actions"><Submit label="contacts.link.submit" secondary /></div>
            </Form>
          )}
        </PageSection>
      ) : null}

      {successors ? (
        <PageSection id="opvolger" title={t("contacts.successor.title")}>
          {successors.current ? <Paragraph>{t("contacts.successor.current", { name: successors.current })}</Paragraph> : null}
          {successors.options.length ? (
            <Form action={`/contacten/${c.id}/opvolger`}>
              <Paragraph>{t("contacts.successor.intro")}</Paragraph>
              <SelectField name="successor.accountId" label="contacts.successor.account" value={values["successor.accountId"] ?? ""} errors={errors}
                empty="" options={successors.options.map((o) => ({ value: o.id, label: o.name }))} />
              <TextField name="successor.consentOn" label="contacts.successor.consentOn" type="date" value={values["successor.consentOn"]} errors={errors} width="short" />
              <CheckboxField name="successor.consent" label="contacts.successor.consent" checked={!!values["successor.consent"]} errors={errors} />
              <div className="intact-actions"><Submit label="contacts.successor.submit" secondary /></div>
            </Form>
          ) : <Paragraph>{t("contacts.successor.none")}</Paragraph>}
        </PageSection>
      ) : null}

      {can.close ? (
        <PageSection id="afsluiten" title={t("contacts.close.title")}>
          <Form action={`/contacten/${c.id}/afsluiten`}>
            <input type="hidden" name="version" value={String(c.version)} />
            <Paragraph>{t("contacts.close.intro", { months: retention.months, date: day(retention.destroyOn, locale) })}</Paragraph>
            <div className="intact-actions"><Submit label="contacts.close.submit" secondary /></div>
          </Form>
        </PageSection>
      ) : null}
    </Layout>
  );
}
