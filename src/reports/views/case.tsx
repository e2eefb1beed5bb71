import type { ReactNode } from "react";
import { Alert, DataList, Heading2, Heading3, Link, Paragraph } from "@utrecht/component-library-react";
import type { FieldErrors } from "../../http/errors.ts";
import { usePage } from "../../ui/context.tsx";
import {
  CheckboxField, CheckboxGroupField, ErrorSummary, Form, SelectField, Submit, TextAreaField, TextField,
} from "../../ui/forms.tsx";
import { formatDate, formatDateTime } from "../../ui/format.ts";
import { Layout } from "../../ui/layout.tsx";
import type { Locale, MessageKey, Translate } from "../../ui/messages.ts";
import { currentMinutes } from "../minutes.ts";
import type { CaseView } from "../service.ts";
import { FINDINGS, INVESTIGATION_BY, REFERRAL_BODIES, type Action } from "../workflow.ts";
import { DisclosureSection, DossierLink, ExclusionSection, HandOverSection, RetentionNotice } from "./case-extra.tsx";
import { ackClock, codeLabel, dayInstant, feedbackClock, measureLabel, type Clock } from "./case-labels.ts";
import { CaseAttachments, EntryFiles } from "./attachments.tsx";
import type { InboxBase } from "./inbox.tsx";
import { CaseMinutesSection, MINUTES_FIELD_LABELS } from "./minutes.tsx";
import { DataItem, PageSection } from "../../ui/sections.tsx";

/** Which form on the page was posted (its errors and typed values are shown there, and only there). */
export type CaseForm = { kind: "step"; action: string } | { kind: "message" } | { kind: "note" } | { kind: "assign" } | { kind: "refer" }
  | { kind: "minutes" } | { kind: "minutesApproval" } | { kind: "disclose" } | { kind: "exclude" } | { kind: "handOver" };

/** Rows for allegations and findings in the "conclude investigation" form. */
export const FINDING_ROWS = 3;

export type CasePageProps = {
  view: CaseView;
  base: InboxBase;
  /** Display names of the accounts named in assignment entries. */
  accountNames: Map<string, string>;
  form?: CaseForm;
  errors?: FieldErrors;
  values?: Record<string, unknown>;
  /** A refused step (409): shown in an alert above everything else. */
  problem?: MessageKey | null;
};

/** The labels of every field on the page, for the error summary. */
const FIELD_LABELS: Record<string, MessageKey> = {
  reason: "case.step.reason", investigationBy: "case.step.investigationBy", approvedBy: "case.step.approvedBy",
  approvedOn: "case.step.approvedOn", findings: "case.step.findings", measures: "case.step.measures",
  "message.body": "case.message.body", "message.feedback": "case.message.feedback", "note.body": "case.note.body",
  "assign.coordinatorId": "case.assign.coordinator", "assign.investigatorId": "case.assign.investigator",
  "refer.body": "case.refer.body", "refer.reason": "case.refer.reason", "handOver.reason": "caseExtra.handOver.reason", ...MINUTES_FIELD_LABELS,
};

const str = (v: unknown) => (typeof v === "string" ? v : "");
const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : []);

export function CasePage(props: CasePageProps) {
  const { t, locale } = usePage();
  const { view, base } = props;
  const r = view.report;
  const desk = base === "/meldingen";
  const errors = props.errors ?? {};
  const title = t("case.title", { reference: r.reference });
  const sections: { id: string; label: MessageKey }[] = [
    { id: "gegevens", label: "case.summary" },
    ...(view.can.handle ? [{ id: "stap", label: "case.steps.title" as MessageKey }] : []),
    { id: "inhoud", label: "case.content.title" },
    { id: "bijlagen", label: "case.attachments.title" },
    ...(currentMinutes(view.timeline) ? [{ id: "verslag", label: "minutes.case.title" as MessageKey }] : []),
    { id: "melder", label: "case.identity.title" },
    { id: "tijdlijn", label: "case.timeline.title" },
    ...(view.can.handle ? [{ id: "bericht", label: "case.message.title" as MessageKey }] : []),
    ...(view.can.note ? [{ id: "notitie", label: "case.note.title" as MessageKey }] : []),
    ...(view.can.assign ? [{ id: "toewijzing", label: "case.assign.title" as MessageKey }] : []),
    ...(view.can.handle ? [{ id: "doorverwijzen", label: "case.refer.title" as MessageKey }] : []),
    ...(view.can.handle && view.identity ? [{ id: "identiteit-delen", label: "caseExtra.disclose.title" as MessageKey }] : []),
    ...(view.can.handle ? [{ id: "uitsluiten", label: "caseExtra.exclude.title" as MessageKey }] : []),
    ...(view.can.handle && r.routing === "desk" ? [{ id: "overdragen", label: "caseExtra.handOver.title" as MessageKey }] : []),
  ];

  return (
    <Layout title={title} wide>
      <Paragraph><Link href={base}>{desk ? t("case.back") : t("case.backInvestigations")}</Link></Paragraph>
      {props.problem ? (
        <Alert type="error" role="alert">
          <Heading2>{t("case.problem")}</Heading2>
          <Paragraph>{t(props.problem)}</Paragraph>
        </Alert>
      ) : null}
      <ErrorSummary errors={errors} labels={FIELD_LABELS} />

      <nav aria-labelledby="op-deze-pagina" className="intact-toc">
        <p id="op-deze-pagina" className="intact-toc__title">{t("case.onThisPage")}</p>
        <ul>{sections.map((s) => <li key={s.id}><a href={`#${s.id}`}>{t(s.label)}</a></li>)}</ul>
      </nav>

      <Summary view={view} t={t} locale={locale} />
      <RetentionNotice view={view} />
      <DossierLink view={view} base={base} />
      {view.can.handle ? <Steps {...props} /> : null}
      <ContentSection view={view} t={t} locale={locale} />
      <CaseAttachments attachments={view.attachments} href={(a) => `${base}/${r.id}/bijlagen/${a}`} />
      <CaseMinutesSection {...props} />
      <IdentitySection view={view} t={t} />
      <DisclosureSection {...props} />
      <Timeline view={view} accountNames={props.accountNames} t={t} locale={locale} />
      {view.can.handle ? <MessageSection {...props} /> : null}
      {view.can.note ? <NoteSection {...props} /> : null}
      {view.can.assign ? <AssignSection {...props} /> : null}
      {view.can.handle ? <ReferSection {...props} /> : null}
      <ExclusionSection {...props} />
      <HandOverSection {...props} />
    </Layout>
  );
}

function ClockText({ clock }: { clock: Clock }) {
  return <span className={`intact-clock intact-clock--${clock.state}`}>{clock.text}</span>;
}

// ---- the metadata -----------------------------------------------------------------------------------

function Summary({ view, t, locale }: { view: CaseView; t: Translate; locale: Locale }) {
  const r = view.report;
  const ack = ackClock(t, locale, r, view.deadlines.ack);
  const feedback = feedbackClock(t, locale, r, view.deadlines.feedback);
  const category = view.category ? (locale === "en" ? view.category.label_en : view.category.label_nl) : null;
  return (
    <PageSection id="gegevens" title={t("case.summary")}>
      {r.routing === "alternative" ? <Paragraph>{t("case.alternativeRouting")}</Paragraph> : null}
      <DataList className="intact-datalist intact-case-summary">
        <DataItem label={t("case.field.reference")}>{r.reference}</DataItem>
        <DataItem label={t("case.field.organisation")}>{view.organisationName}</DataItem>
        <DataItem label={t("case.field.received")}><time dateTime={r.received_at}>{formatDateTime(r.received_at, locale)}</time></DataItem>
        <DataItem label={t("case.field.channel")}>{codeLabel(t, "case.channel", r.channel)}</DataItem>
        <DataItem label={t("case.field.mode")}>{codeLabel(t, "case.mode", r.mode)}</DataItem>
        <DataItem label={t("case.field.kind")}>{codeLabel(t, "case.kind", r.kind)}</DataItem>
        <DataItem label={t("case.field.category")}>{category ?? t("case.notGiven")}</DataItem>
        <DataItem label={t("case.field.unit")}>{view.unitName ?? t("case.notGiven")}</DataItem>
        <DataItem label={t("case.field.status")}>
          <strong>{codeLabel(t, "case.status", r.status)}</strong>
          {r.closed_at ? <> ({t("case.clock.closed", { date: formatDate(r.closed_at, locale) })})</> : null}
        </DataItem>
        {r.decision ? <DataItem label={t("case.field.decision")}>{codeLabel(t, "case.decision", r.decision)}</DataItem> : null}
        <DataItem label={t("case.field.coordinator")}>{view.coordinatorName ?? t("case.nobody")}</DataItem>
        <DataItem label={t("case.field.investigator")}>{view.investigatorName ?? t("case.nobody")}</DataItem>
        <DataItem label={t("case.field.ackDeadline")}><ClockText clock={ack} /></DataItem>
        <DataItem label={t("case.field.feedbackDeadline")}>
          {feedback ? <ClockText clock={feedback} /> : t("case.clock.feedback.notStarted")}
        </DataItem>
      </DataList>
    </PageSection>
  );
}

// ---- the steps ----------------------------------------------------------------------------------------

function Steps(props: CasePageProps) {
  const { t } = usePage();
  const { view } = props;
  return (
    <PageSection id="stap" title={t("case.steps.title")}>
      {view.actions.length ? view.actions.map((a) => <StepForm key={a} action={a} {...props} />) : <Paragraph>{t("case.steps.none")}</Paragraph>}
    </PageSection>
  );
}

function StepForm({ action, view, base, form, errors: allErrors, values: allValues }: CasePageProps & { action: Action }) {
  const { t, locale } = usePage();
  const mine = form?.kind === "step" && form.action === action;
  const errors = mine ? allErrors ?? {} : {};
  const values = mine ? allValues ?? {} : {};
  const v = (name: string) => str(values[name]);
  return (
    <div className="intact-step">
      <Heading3>{t(`case.action.${action}`)}</Heading3>
      <Form action={`${base}/${view.report.id}/stap`}>
        <input type="hidden" name="action" value={action} />
        <input type="hidden" name="version" value={String(view.report.version)} />
        <Paragraph>{t(`case.actionHint.${action}`)}</Paragraph>
        {action === "acknowledge" ? (
          <TextAreaField name="reason" label="case.step.ackText" hint="case.step.ackTextHint" value={v("reason")} errors={errors} optional rows={4} />
        ) : null}
        {action === "rejectInvestigation" || action === "reopen" ? (
          <TextAreaField name="reason" label="case.step.reason" value={v("reason")} errors={errors} optional={action !== "reopen"} rows={4} />
        ) : null}
        {action === "decideInvestigation" ? (
          <SelectField name="investigationBy" label="case.step.investigationBy" value={v("investigationBy")} errors={errors}
            empty={t("case.step.investigationByUnknown")} options={INVESTIGATION_BY.map((x) => ({ value: x, label: codeLabel(t, "case.investigationBy", x) }))} />
        ) : null}
        {action === "recordApproval" ? (
          <>
            <TextField name="approvedBy" label="case.step.approvedBy" value={v("approvedBy")} errors={errors} autoComplete="off" />
            <TextField name="approvedOn" label="case.step.approvedOn" type="date" value={v("approvedOn")} errors={errors} width="short" />
          </>
        ) : null}
        {action === "concludeInvestigation" ? <FindingsFields values={values} errors={errors} /> : null}
        {action === "decideMeasures" ? (
          <CheckboxGroupField name="measures" legend="case.step.measures" values={list(values.measures)} errors={errors}
            options={view.measures.filter((m) => m.active).map((m) => ({ value: m.code, label: measureLabel(view.measures, m.code, locale) }))} />
        ) : null}
        <div className="intact-actions"><Submit label={`case.action.${action}`} /></div>
      </Form>
    </div>
  );
}

function FindingsFields({ values, errors }: { values: Record<string, unknown>; errors: FieldErrors }) {
  const { t } = usePage();
  const error = errors.findings;
  return (
    <fieldset id="field-findings" className="intact-findings utrecht-form-fieldset__fieldset" aria-describedby={error ? "field-findings-error" : undefined}>
      <legend className="utrecht-form-fieldset__legend">{t("case.step.findings")}</legend>
      {error ? <p id="field-findings-error" className="utrecht-form-field-error-message">{t(error)}</p> : null}
      {Array.from({ length: FINDING_ROWS }, (_, i) => (
        <fieldset className="intact-finding-row utrecht-form-fieldset__fieldset" key={i}>
          <legend className="utrecht-form-fieldset__legend">{t("case.step.allegationRow", { n: i + 1 })}</legend>
          <TextField name={`findings.${i}.allegation`} label="case.step.allegation" value={str(values[`findings.${i}.allegation`])}
            errors={errors} optional={i > 0} />
          <SelectField name={`findings.${i}.finding`} label="case.step.finding" value={str(values[`findings.${i}.finding`])}
            errors={errors} empty={t("case.choose")} options={FINDINGS.map((f) => ({ value: f, label: codeLabel(t, "case.finding", f) }))} optional={i > 0} />
        </fieldset>
      ))}
    </fieldset>
  );
}

// ---- what the reporter wrote, and who they are ------------------------------------------------------------

function Text({ children }: { children: string }) {
  return <Paragraph className="intact-multiline">{children}</Paragraph>;
}

function ContentSection({ view, t, locale }: { view: CaseView; t: Translate; locale: Locale }) {
  const c = view.content;
  const given = (s: string | undefined) => (s && s.trim() ? <Text>{s}</Text> : <Paragraph>{t("case.notGiven")}</Paragraph>);
  const yesNo = (v: "yes" | "no") => (v === "yes" ? t("form.yes") : t("form.no"));
  return (
    <PageSection id="inhoud" title={t("case.content.title")}>
      {!c ? <Paragraph>{t("case.content.missing")}</Paragraph> : (
        <DataList className="intact-datalist intact-case-content">
          <DataItem label={t("case.content.description")}>{given(c.description)}</DataItem>
          <DataItem label={t("case.content.when")}>
            {c.occurredOn || c.occurredWhen ? (
              <>
                {c.occurredOn ? <Paragraph><time dateTime={c.occurredOn}>{formatDate(dayInstant(c.occurredOn), locale)}</time></Paragraph> : null}
                {c.occurredWhen ? <Text>{c.occurredWhen}</Text> : null}
              </>
            ) : <Paragraph>{t("case.notGiven")}</Paragraph>}
          </DataItem>
          <DataItem label={t("case.content.where")}>{given(c.location)}</DataItem>
          <DataItem label={t("case.content.involved")}>{given(c.involved)}</DataItem>
          <DataItem label={t("case.content.howKnown")}>
            <Paragraph>{codeLabel(t, "case.howKnown", c.howKnown)}</Paragraph>
            {c.howKnownDetail ? <Text>{c.howKnownDetail}</Text> : null}
          </DataItem>
          <DataItem label={t("case.content.reportedBefore")}>
            <Paragraph>{yesNo(c.reportedBefore)}</Paragraph>
            {c.reportedBeforeDetail ? <Text>{c.reportedBeforeDetail}</Text> : null}
          </DataItem>
          <DataItem label={t("case.content.concernsHandler")}><Paragraph>{yesNo(c.concernsHandler)}</Paragraph></DataItem>
        </DataList>
      )}
    </PageSection>
  );
}

function IdentitySection({ view, t }: { view: CaseView; t: Translate }) {
  const id = view.identity;
  return (
    <PageSection id="melder" title={t("case.identity.title")}>
      {id ? (
        <>
          {view.report.mode === "confidential" ? <Alert type="warning"><Paragraph>{t("case.identity.confidential")}</Paragraph></Alert> : null}
          <DataList className="intact-datalist intact-identity">
            <DataItem label={t("case.identity.name")}>{id.name}</DataItem>
            <DataItem label={t("case.identity.email")}>{id.email || t("case.notGiven")}</DataItem>
            <DataItem label={t("case.identity.phone")}>{id.phone || t("case.notGiven")}</DataItem>
            <DataItem label={t("case.identity.relation")}>{codeLabel(t, "case.relation", id.relation)}</DataItem>
          </DataList>
        </>
      ) : view.identityHidden ? <Paragraph>{t("case.identity.hidden")}</Paragraph>
        : view.report.mode === "anonymous" ? <Paragraph>{t("case.identity.anonymous")}</Paragraph>
          : <Paragraph>{t("case.identity.none")}</Paragraph>}
    </PageSection>
  );
}

// ---- the timeline ---------------------------------------------------------------------------------------

type Entry = CaseView["timeline"][number];
type StatusSealed = { reason?: string; approvedBy?: string; approvedOn?: string; allegations?: string[] };

function entryTitle(t: Translate, e: Entry, accountNames: Map<string, string>): string {
  const m = e.meta;
  const accountNameOf = (id: string) => accountNames.get(id) ?? t("case.entry.otherAccount");
  switch (e.kind) {
    case "message_out": return m.acknowledgement ? t("case.entry.acknowledgement") : m.feedback ? t("case.entry.feedback") : t("case.entry.message_out");
    case "message_in": return m.minutesCorrection ? t("minutes.entryCorrection") : t("case.entry.message_in");
    case "minutes": return t("minutes.entry", { version: Number(m.version) });
    case "note": return t("case.entry.note");
    case "attachment": return t("case.entry.attachment");
    case "status": return t("case.entry.status", {
      action: codeLabel(t, "case.action", str(m.action)), from: codeLabel(t, "case.status", str(m.from)), to: codeLabel(t, "case.status", str(m.to)),
    });
    case "referral": return t("case.entry.referral", { body: codeLabel(t, "case.referral", str(m.body)) });
    case "assignment": return t("case.entry.assignment");
    case "exclusion": return t("caseExtra.excluded", { name: str((e.sealed as { name?: string } | null)?.name) });
    case "handover": return t("caseExtra.handedOver", { name: accountNameOf(str(m.accountId)) });
    case "disclosure": return t("caseExtra.disclosed", {
      name: str(m.accountId) ? accountNameOf(str(m.accountId)) : "", basis: t(m.basis === "consent" ? "caseExtra.disclose.consent" : "caseExtra.disclose.legalGround"),
    });
    default: return e.kind;
  }
}

function author(t: Translate, e: Entry): string {
  if (e.authorType === "reporter") return t("case.entry.byReporter");
  if (e.authorType === "system") return t("case.entry.bySystem");
  return e.authorName ? t("case.entry.by", { name: e.authorName }) : t("case.entry.byUnknown");
}

export function Timeline({ view, accountNames, t, locale }: { view: CaseView; accountNames: Map<string, string>; t: Translate; locale: Locale }) {
  const entries = view.timeline;
  return (
    <PageSection id="tijdlijn" title={t("case.timeline.title")}>
      <Paragraph>{t("case.timeline.intro")}</Paragraph>
      {entries.length ? (
        <ol className="intact-timeline">
          {entries.map((e) => (
            <li key={e.id} className={`intact-entry intact-entry--${e.kind}`}>
              <Heading3 className="intact-entry__title">
                {entryTitle(t, e, accountNames)}
                {e.kind === "note" ? <> <span className="intact-tag">{t("case.entry.noteTag")}</span></> : null}
              </Heading3>
              <p className="intact-entry__meta">
                <time dateTime={e.createdAt}>{formatDateTime(e.createdAt, locale)}</time>, {author(t, e)}
              </p>
              <EntryBody entry={e} accountNames={accountNames} measureList={view.measures} t={t} locale={locale} />
              {e.kind === "attachment" ? <EntryFiles files={view.attachments.filter((a) => a.entryId === e.id)} locale={locale} /> : null}
            </li>
          ))}
        </ol>
      ) : <Paragraph>{t("case.timeline.empty")}</Paragraph>}
    </PageSection>
  );
}

/** A measure's name as it was when decided (stored on the entry since measures are configurable). */
function decidedName(names: unknown, i: number, locale: Locale): string | null {
  const pair = Array.isArray(names) ? names[i] : null;
  return Array.isArray(pair) && typeof pair[0] === "string" && typeof pair[1] === "string" ? (locale === "en" ? pair[1] : pair[0]) : null;
}

function EntryBody({ entry: e, accountNames, measureList, t, locale }: {
  entry: Entry; accountNames: Map<string, string>; measureList: CaseView["measures"]; t: Translate; locale: Locale;
}) {
  const sealed = (e.sealed ?? {}) as Record<string, unknown>;
  if (e.kind === "message_in" || e.kind === "message_out" || e.kind === "note" || e.kind === "minutes") {
    return str(sealed.body) ? <Text>{str(sealed.body)}</Text> : null;
  }
  if (e.kind === "referral" || e.kind === "disclosure" || e.kind === "handover") return str(sealed.reason) ? <Text>{str(sealed.reason)}</Text> : null;
  if (e.kind === "assignment") {
    const name = (id: unknown) => (typeof id === "string" && id ? accountNames.get(id) ?? t("case.entry.otherAccount") : t("case.nobody"));
    return (
      <DataList className="intact-entry__details">
        <DataItem label={t("case.entry.coordinator")}>{name(e.meta.coordinatorId)}</DataItem>
        <DataItem label={t("case.entry.investigator")}>{name(e.meta.investigatorId)}</DataItem>
      </DataList>
    );
  }
  if (e.kind !== "status") return null;
  const s = sealed as StatusSealed;
  const findings = list(e.meta.findings);
  const allegations = s.allegations ?? [];
  const items: ReactNode[] = [];
  if (s.reason) items.push(<DataItem key="reason" label={t("case.entry.reason")}><Text>{s.reason}</Text></DataItem>);
  if (typeof e.meta.investigationBy === "string") {
    items.push(<DataItem key="by" label={t("case.entry.investigationBy")}>{codeLabel(t, "case.investigationBy", e.meta.investigationBy)}</DataItem>);
  }
  if (s.approvedBy) items.push(<DataItem key="approvedBy" label={t("case.entry.approvedBy")}>{s.approvedBy}</DataItem>);
  if (s.approvedOn) items.push(<DataItem key="approvedOn" label={t("case.entry.approvedOn")}>{formatDate(dayInstant(s.approvedOn), locale)}</DataItem>);
  if (findings.length) {
    items.push(
      <DataItem key="findings" label={t("case.entry.findings")}>
        <ul className="intact-plain-list">
          {findings.map((f, i) => <li key={i}>{allegations[i] ? `${allegations[i]}: ` : ""}<strong>{codeLabel(t, "case.finding", f)}</strong></li>)}
        </ul>
      </DataItem>,
    );
  }
  if (Array.isArray(e.meta.measures)) {
    const measures = list(e.meta.measures);
    items.push(
      <DataItem key="measures" label={t("case.entry.measures")}>
        {measures.length ? measures.map((m, i) => decidedName(e.meta.measureNames, i, locale) ?? measureLabel(measureList, m, locale)).join(", ") : t("case.entry.noMeasures")}
      </DataItem>,
    );
  }
  return items.length ? <DataList className="intact-entry__details">{items}</DataList> : null;
}

// ---- message, note, assignment, referral ------------------------------------------------------------------

function scoped(props: CasePageProps, kind: CaseForm["kind"]) {
  const mine = props.form?.kind === kind;
  return { errors: mine ? props.errors ?? {} : {}, values: mine ? props.values ?? {} : {} };
}

function MessageSection(props: CasePageProps) {
  const { t } = usePage();
  const r = props.view.report;
  const { errors, values } = scoped(props, "message");
  return (
    <PageSection id="bericht" title={t("case.message.title")}>
      {props.view.can.message ? (
        <Form action={`${props.base}/${r.id}/berichten`}>
          <Paragraph>{t("case.message.intro")}</Paragraph>
          <TextAreaField name="message.body" label="case.message.body" value={str(values["message.body"])} errors={errors} rows={6} />
          {r.acknowledged_at ? (
            <div>
              {errors["message.feedback"] ? <p id="field-message-feedback-error" className="utrecht-form-field-error-message">{t(errors["message.feedback"])}</p> : null}
              <CheckboxField name="message.feedback" label="case.message.feedback" checked={str(values["message.feedback"]) === "1"} errors={errors} />
              <Paragraph className="intact-hint">{t("case.message.feedbackHint")}</Paragraph>
            </div>
          ) : <Paragraph className="intact-hint">{t("case.message.beforeAck")}</Paragraph>}
          <div className="intact-actions"><Submit label="case.message.send" /></div>
        </Form>
      ) : <Paragraph>{t("case.message.closed")}</Paragraph>}
    </PageSection>
  );
}

function NoteSection(props: CasePageProps) {
  const { t } = usePage();
  const { errors, values } = scoped(props, "note");
  return (
    <PageSection id="notitie" title={t("case.note.title")}>
      <Form action={`${props.base}/${props.view.report.id}/notities`}>
        <Paragraph>{t("case.note.intro")}</Paragraph>
        <TextAreaField name="note.body" label="case.note.body" value={str(values["note.body"])} errors={errors} rows={4} />
        <div className="intact-actions"><Submit label="case.note.save" secondary /></div>
      </Form>
    </PageSection>
  );
}

function AssignSection(props: CasePageProps) {
  const { t } = usePage();
  const { view } = props;
  const { errors, values } = scoped(props, "assign");
  const current = (name: string, fallback: string | null) => (name in values ? str(values[name]) : fallback ?? "");
  return (
    <PageSection id="toewijzing" title={t("case.assign.title")}>
      <Form action={`${props.base}/${view.report.id}/toewijzing`}>
        <Paragraph>{t("case.assign.intro")}</Paragraph>
        <SelectField name="assign.coordinatorId" label="case.assign.coordinator" value={current("assign.coordinatorId", view.report.coordinator_account_id)}
          errors={errors} empty={t("case.assign.nobody")} options={view.assignable.coordinators.map((a) => ({ value: a.id, label: a.name }))} />
        <SelectField name="assign.investigatorId" label="case.assign.investigator" value={current("assign.investigatorId", view.report.investigator_account_id)}
          errors={errors} empty={t("case.assign.nobody")} options={view.assignable.investigators.map((a) => ({ value: a.id, label: a.name }))} />
        <div className="intact-actions"><Submit label="case.assign.save" secondary /></div>
      </Form>
    </PageSection>
  );
}

function ReferSection(props: CasePageProps) {
  const { t } = usePage();
  const { errors, values } = scoped(props, "refer");
  return (
    <PageSection id="doorverwijzen" title={t("case.refer.title")}>
      <Form action={`${props.base}/${props.view.report.id}/doorverwijzing`}>
        <Paragraph>{t("case.refer.intro")}</Paragraph>
        <SelectField name="refer.body" label="case.refer.body" value={str(values["refer.body"])} errors={errors} empty={t("case.choose")}
          options={REFERRAL_BODIES.map((b) => ({ value: b, label: codeLabel(t, "case.referral", b) }))} />
        <TextAreaField name="refer.reason" label="case.refer.reason" value={str(values["refer.reason"])} errors={errors} optional rows={3} />
        <div className="intact-actions"><Submit label="case.refer.save" secondary /></div>
      </Form>
    </PageSection>
  );
}
