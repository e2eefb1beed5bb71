import type { ReactNode } from "react";
import { Alert, DataList, DataListItem, DataListKey, DataListValue, Heading2, Link, Paragraph } from "@utrecht/component-library-react";
import type { FieldErrors } from "../../http/errors.ts";
import { usePage } from "../../ui/context.tsx";
import { formatDate, formatDateTime } from "../../ui/format.ts";
import { CheckboxField, ErrorSummary, Form, SelectField, Submit, TextAreaField, TextField } from "../../ui/forms.tsx";
import { Layout } from "../../ui/layout.tsx";
import type { MessageKey } from "../../ui/messages.ts";
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
};

const FIELD_LABELS: Record<string, MessageKey> = {
  "note.body": "contacts.notes.body", "successor.accountId": "contacts.successor.account", "successor.consentOn": "contacts.successor.consentOn",
  "successor.consent": "contacts.successor.consent", "link.reference": "contacts.link.reference", "link.consentOn": "contacts.link.consentOn",
  "link.consent": "contacts.link.consent",
};

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="intact-case-section">
      <Heading2 id={`${id}-title`}>{title}</Heading2>
      {children}
    </section>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return <DataListItem><DataListKey>{label}</DataListKey><DataListValue>{children}</DataListValue></DataListItem>;
}

export function ContactPage({ view, can, retention, successor, successors, errors = {}, values = {}, problem }: ContactPageProps) {
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
      <ErrorSummary errors={errors} labels={FIELD_LABELS} />
      {successor ? <Paragraph>{t("contacts.view.successor")}</Paragraph> : null}

      <Section id="gegevens" title={t("contacts.view.details")}>
        <DataList className="intact-datalist">
          <Item label={t("contacts.item.date")}><time dateTime={c.contact_on}>{day(c.contact_on, locale)}</time></Item>
          <Item label={t("contacts.item.organisation")}>{view.organisationName}</Item>
          <Item label={t("contacts.item.unit")}>{view.unitName ?? t("contacts.notGiven")}</Item>
          <Item label={t("contacts.item.relation")}>{vocabularyLabel(t, "advisor.relation", c.relation)}</Item>
          <Item label={t("contacts.item.people")}>{c.people}</Item>
          <Item label={t("contacts.item.natures")}>
            <ul className="intact-plain-list">{view.natures.map((n) => <li key={n.code}>{natureLabel(n, locale)}</li>)}</ul>
          </Item>
          <Item label={t("contacts.item.form")}>{vocabularyLabel(t, "advisor.form", c.form)}</Item>
          <Item label={t("contacts.item.conversations")}>{c.conversations}</Item>
          <Item label={t("contacts.item.minutes")}>{t("contacts.minutes", { minutes: c.minutes })}</Item>
          <Item label={t("contacts.item.followUp")}>{vocabularyLabel(t, "advisor.followUp", c.follow_up)}</Item>
          <Item label={t("contacts.item.status")}>
            <strong>{c.status === "closed" && c.closed_on ? t("contacts.status.closed", { date: day(c.closed_on, locale) }) : t("contacts.status.open")}</strong>
          </Item>
        </DataList>
        <Paragraph><Link href="/contacten/nieuw">{t("contacts.view.another")}</Link></Paragraph>
      </Section>

      <Section id="notities" title={t("contacts.notes.title")}>
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
                    <Paragraph className="intact-multiline">{n.body}</Paragraph>
                  </li>
                ))}
              </ol>
            ) : <Paragraph>{t("contacts.notes.empty")}</Paragraph>}
            {can.note ? (
              <Form action={`/contacten/${c.id}/notities`}>
                <TextAreaField name="note.body" label="contacts.notes.body" value={values["note.body"]} errors={errors} rows={5} />
                <div className="intact-actions"><Submit label="contacts.notes.save" secondary /></div>
              </Form>
            ) : null}
          </>
        )}
      </Section>

      {c.follow_up === "formal_complaint_or_report" ? (
        <Section id="melding" title={t("contacts.link.title")}>
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
        </Section>
      ) : null}

      {successors ? (
        <Section id="opvolger" title={t("contacts.successor.title")}>
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
        </Section>
      ) : null}

      {can.close ? (
        <Section id="afsluiten" title={t("contacts.close.title")}>
          <Form action={`/contacten/${c.id}/afsluiten`}>
            <input type="hidden" name="version" value={String(c.version)} />
            <Paragraph>{t("contacts.close.intro", { months: retention.months, date: day(retention.destroyOn, locale) })}</Paragraph>
            <div className="intact-actions"><Submit label="contacts.close.submit" secondary /></div>
          </Form>
        </Section>
      ) : null}
    </Layout>
  );
}
